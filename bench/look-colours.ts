/**
 * Shared by the benches that watch a look arrive at a real NDI receiver (bench/wire.ts,
 * bench/dmx.ts): the receiver in its own process (bench/wire-receiver.ts, every frame
 * stamped on the engine clock and reduced to its mean colour), and telling looks apart
 * by colour: each look's colour as received (a centroid measured in the run), and the
 * first frame after an instant that is nearer the new look's colour than the old one's.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { ReceiverMessage } from './wire-receiver.js';

export interface Colour {
  y: number;
  u: number;
  v: number;
}

export const distance = (a: Colour, b: Colour) => Math.hypot(a.y - b.y, a.u - b.u, a.v - b.v);

export function mean(colours: Colour[]): Colour {
  const n = Math.max(1, colours.length);
  return { y: colours.reduce((s, c) => s + c.y, 0) / n, u: colours.reduce((s, c) => s + c.u, 0) / n, v: colours.reduce((s, c) => s + c.v, 0) / n };
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? NaN;
}

export function printFigure(name: string, value: number, unit: string): void {
  console.log(`BENCH ${name} ${Number.isInteger(value) ? value : value.toFixed(2)} ${unit}`);
}

export const describeColour = (c: Colour) => `Y${c.y.toFixed(0)} Cb${c.u.toFixed(0)} Cr${c.v.toFixed(0)}`;

export interface ReceivedFrame {
  /** Engine-clock ms at receipt (clock.ts: the same epoch in every process). */
  atMs: number;
  colour: Colour;
}

/** The first frame received after `afterMs` (scanning from index `from`) nearer `target` than `other`; null if none yet. */
export function firstFrameOf(frames: readonly ReceivedFrame[], from: number, afterMs: number, target: Colour, other: Colour): ReceivedFrame | null {
  for (let i = from; i < frames.length; i++) {
    const f = frames[i] as ReceivedFrame;
    if (f.atMs > afterMs && distance(f.colour, target) < distance(f.colour, other)) return f;
  }
  return null;
}

const here = path.dirname(fileURLToPath(import.meta.url));
const fromSource = import.meta.url.endsWith('.ts');
/** Node flags that run a .ts child from source (tsx), as this bench runs. */
export const execArgv = fromSource ? ['--import', pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm')).href] : [];

export interface LookReceiver {
  child: ChildProcess;
  /** Every video frame received so far, in order. */
  frames: ReceivedFrame[];
  /** Resolves with the NDI source's full name once connected. */
  connected: Promise<string>;
  /** Asks the receiver to stop; its libndi counts, or null when it did not answer in 3 s. */
  stop(): Promise<Extract<ReceiverMessage, { type: 'done' }> | null>;
}

/** Forks bench/wire-receiver.ts for the engine's NDI output `outputName` (its name without "HOST (...)"). */
export function startLookReceiver(outputName: string): LookReceiver {
  const frames: ReceivedFrame[] = [];
  let receiverDone: (m: Extract<ReceiverMessage, { type: 'done' }>) => void = () => {};
  const done = new Promise<Extract<ReceiverMessage, { type: 'done' }>>((r) => (receiverDone = r));
  const child = fork(path.join(here, fromSource ? 'wire-receiver.ts' : 'wire-receiver.js'), [outputName], { execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const connected = new Promise<string>((resolve, reject) => {
    child.on('message', (m: ReceiverMessage) => {
      if (m.type === 'connected') resolve(m.name);
      else if (m.type === 'frame') frames.push({ atMs: m.atMs, colour: m });
      else if (m.type === 'done') receiverDone(m);
      else if (m.type === 'failed') reject(new Error(`receiver: ${m.message}`));
    });
  });
  return {
    child,
    frames,
    connected,
    stop: async () => {
      child.send({ type: 'stop' });
      return Promise.race([done, new Promise<null>((r) => setTimeout(() => r(null), 3000))]);
    },
  };
}
