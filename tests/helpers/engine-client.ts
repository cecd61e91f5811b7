/**
 * A test client that speaks the real contract over a real WebSocket: it uses the
 * console's own connection code (contract/client.ts) and keeps what arrives.
 */
import WebSocket from 'ws';
import { createEngineConnection } from '../../app/contract/client.js';
import type { EngineConnection, MessageBridge } from '../../app/contract/connection.js';
import type { EngineEvent } from '../../app/contract/messages.js';
import type { EngineState } from '../../app/contract/state.js';
import type { FrameHeader } from '../../app/contract/frame-wire.js';
import { waitUntil } from './wait.js';

export interface ReceivedFrame {
  header: FrameHeader;
  rgba: Uint8Array;
  atMs: number;
}

export interface TestClient {
  connection: EngineConnection;
  socket: WebSocket;
  events: EngineEvent[];
  frames: ReceivedFrame[];
  /** Raw text replies, for tests that send malformed messages by hand. */
  rawReplies: unknown[];
  waitFor<T>(predicate: () => T | undefined | null | false, timeoutMs?: number): Promise<T>;
  /** The newest state snapshot received (from a state or hello event); throws before the first. */
  latestState(): EngineState;
  close(): void;
}

export async function connectTestClient(url: string): Promise<TestClient> {
  const socket = new WebSocket(url);
  socket.binaryType = 'arraybuffer';
  const events: EngineEvent[] = [];
  const frames: ReceivedFrame[] = [];
  const rawReplies: unknown[] = [];
  const bridge: MessageBridge = {
    postText: (text) => socket.send(text),
    onText: (listener) =>
      socket.on('message', (data, isBinary) => {
        if (!isBinary) listener(data.toString());
      }),
    onBinary: (listener) =>
      socket.on('message', (data, isBinary) => {
        if (isBinary) listener(data as ArrayBuffer);
      }),
    onStatus: () => {},
    close: () => socket.close(),
  };
  socket.on('message', (data, isBinary) => {
    if (isBinary) return;
    const parsed = JSON.parse(data.toString());
    if (parsed.kind === 'reply') rawReplies.push(parsed);
  });
  const connection = createEngineConnection(bridge);
  connection.onEvent((event) => events.push(event));
  // Keep only recent frames: a copy each, since the view is only valid during the call.
  connection.onFrame((header, rgba) => {
    frames.push({ header, rgba: rgba.slice(), atMs: performance.now() });
    if (frames.length > 200) frames.shift();
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  const waitFor = <T>(predicate: () => T | undefined | null | false, timeoutMs = 10_000) => waitUntil(predicate, { timeoutMs, intervalMs: 10 });
  const latestState = (): EngineState => {
    for (let i = events.length - 1; i >= 0; i--) {
      const event = events[i];
      if (event && (event.kind === 'state' || event.kind === 'hello')) return event.state;
    }
    throw new Error('no state received');
  };
  return { connection, socket, events, frames, rawReplies, waitFor, latestState, close: () => socket.close() };
}

/** Mean R, G, B of an RGBA buffer. */
export function meanRgb(rgba: Uint8Array): [number, number, number] {
  let r = 0;
  let g = 0;
  let b = 0;
  const n = rgba.length / 4;
  for (let i = 0; i < rgba.length; i += 4) {
    r += rgba[i] as number;
    g += rgba[i + 1] as number;
    b += rgba[i + 2] as number;
  }
  return [r / n, g / n, b / n];
}

export function rgbDistance(a: [number, number, number], b: [number, number, number]): number {
  return Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);
}

/** Mean absolute difference per channel between two same-size RGBA buffers. */
export function meanAbsDiff(a: Uint8Array, b: Uint8Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) if ((i & 3) !== 3) sum += Math.abs((a[i] as number) - (b[i] as number));
  return sum / ((a.length / 4) * 3);
}
