/**
 * The one EngineConnection implementation, over any MessageBridge. The console
 * (and tests, and the CLI) use it whether the bridge is Electron's preload or a
 * WebSocket. Replies are matched to calls by id; events and frames fan out.
 */
import type { CommandInput } from './commands.js';
import type { CommandResult, EngineConnection, MessageBridge } from './connection.js';
import { engineError } from './errors.js';
import { readFrame, readThumbnail, type FrameHeader, type ThumbnailMessage } from './frame-wire.js';
import { CONTRACT_VERSION, serverMessageSchema, type EngineEvent } from './messages.js';

/** How long a command may wait for its reply before it is failed, in ms. */
const REPLY_TIMEOUT_MS = 5000;
/** Commands that reply only when slow work is done, and how long each may take, ms. */
const SLOW_REPLY_TIMEOUT_MS: Partial<Record<CommandInput['type'], number>> = {
  /** Replies when the new model is live or has failed: a large model on a slow machine loads for minutes. */
  loadModel: 300_000,
  /** Replies when the PNG is written: a 4K frame encoded in pure JS on a busy machine takes seconds. */
  saveStill: 60_000,
  /** Replies once the encoder runs. */
  startRecording: 90_000,
  /** Replies when FFmpeg has finished the file (up to 60 s on a loaded machine, engine/recording/recorder.ts). */
  stopRecording: 90_000,
};

type Listener<A extends unknown[]> = (...args: A) => void;

export function createEngineConnection(bridge: MessageBridge): EngineConnection {
  let nextId = 1;
  const pending = new Map<number, { resolve: (r: CommandResult) => void; timer: unknown }>();
  const eventListeners = new Set<Listener<[EngineEvent]>>();
  const frameListeners = new Set<Listener<[FrameHeader, Uint8Array]>>();
  const standbyListeners = new Set<Listener<[FrameHeader, Uint8Array]>>();
  const outputListeners = new Set<Listener<[FrameHeader, Uint8Array]>>();
  const inputListeners = new Set<Listener<[FrameHeader, Uint8Array]>>();
  const thumbnailListeners = new Set<Listener<[ThumbnailMessage]>>();
  const statusListeners = new Set<Listener<['connecting' | 'open' | 'closed']>>();

  const reportUnreadable = (what: string) => {
    const error = engineError('invalid-message', `The engine sent ${what}. Are the console and engine the same version?`);
    for (const l of eventListeners) l({ kind: 'error', error });
  };

  bridge.onText((text) => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      reportUnreadable('a message that is not JSON');
      return;
    }
    const result = serverMessageSchema.safeParse(parsed);
    if (!result.success) {
      // Usually an engine of another version: say so instead of waiting for ever.
      const issue = result.error.issues[0];
      reportUnreadable(`a message this console cannot read (field "${issue?.path.join('.') ?? ''}": ${issue?.message ?? 'invalid'})`);
      return;
    }
    const message = result.data;
    if (message.kind === 'reply') {
      const call = message.id === null ? undefined : pending.get(message.id);
      if (call) {
        pending.delete(message.id as number);
        clearTimeout(call.timer);
        call.resolve(message.ok ? { ok: true, ...(message.data ? { data: message.data } : {}) } : { ok: false, error: message.error ?? engineError('internal', 'rejected') });
      }
      return;
    }
    if (message.kind === 'hello') {
      if (message.contractVersion !== CONTRACT_VERSION) {
        const error = engineError('version-mismatch', `Engine speaks contract v${message.contractVersion}, this console v${CONTRACT_VERSION}. Update the older one.`);
        for (const l of eventListeners) l({ kind: 'error', error });
      }
      for (const l of statusListeners) l('open');
    }
    for (const l of eventListeners) l(message);
  });

  /** Answers every call still waiting: its reply can no longer come (the connection dropped or was closed). */
  const abandonPending = (why: string) => {
    for (const [id, call] of pending) {
      clearTimeout(call.timer);
      pending.delete(id);
      call.resolve({ ok: false, error: engineError('internal', why) });
    }
  };

  bridge.onStatus((status) => {
    if (status === 'closed') abandonPending('The connection to the engine closed before it answered; the command may or may not have been applied.');
    // 'open' is announced by the hello, after the version check, not by the socket.
    if (status !== 'open') for (const l of statusListeners) l(status);
  });

  bridge.onBinary((data) => {
    const frame = readFrame(data);
    if (!frame) {
      // Not a frame: a cue thumbnail, or a stream of a newer engine (ignored).
      const thumbnail = readThumbnail(data);
      if (thumbnail) for (const l of thumbnailListeners) l(thumbnail);
      return;
    }
    const stream = frame.header.stream;
    for (const l of stream === 'standby' ? standbyListeners : stream === 'output' ? outputListeners : stream === 'input' ? inputListeners : frameListeners)
      l(frame.header, frame.pixels);
  });

  const subscribe = <T>(set: Set<T>, listener: T) => {
    set.add(listener);
    return () => void set.delete(listener);
  };

  return {
    send(command: CommandInput): Promise<CommandResult> {
      const id = nextId++;
      const timeoutMs = SLOW_REPLY_TIMEOUT_MS[command.type] ?? REPLY_TIMEOUT_MS;
      return new Promise((resolve) => {
        const timer = setTimeout(() => {
          pending.delete(id);
          resolve({ ok: false, error: engineError('internal', `No reply from the engine within ${timeoutMs} ms.`) });
        }, timeoutMs);
        pending.set(id, { resolve, timer });
        bridge.postText(JSON.stringify({ kind: 'command', id, command }));
      });
    },
    onEvent: (l) => subscribe(eventListeners, l),
    onFrame: (l) => subscribe(frameListeners, l),
    onStandbyFrame: (l) => subscribe(standbyListeners, l),
    onOutputFrame: (l) => subscribe(outputListeners, l),
    onInputFrame: (l) => subscribe(inputListeners, l),
    onThumbnail: (l) => subscribe(thumbnailListeners, l),
    onConnectionChange: (l) => subscribe(statusListeners, l),
    close() {
      abandonPending('The connection was closed before the engine answered.');
      bridge.close();
    },
  };
}
