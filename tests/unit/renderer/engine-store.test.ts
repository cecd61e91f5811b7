/**
 * The console's store (renderer/src/engine-store.ts) driven with real contract
 * messages: JSON text as the engine sends it (hello, state, error, lookOnAir,
 * replies), read by the console's own contract client (app/contract/client.ts)
 * over an in-memory bridge standing in for the WebSocket / Electron port. Every
 * state is checked against the contract's schema before it is sent.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createEngineConnection } from '../../../app/contract/client.js';
import type { MessageBridge } from '../../../app/contract/connection.js';
import { CONTRACT_VERSION, type ServerMessage } from '../../../app/contract/messages.js';
import { engineStateSchema, type EngineState } from '../../../app/contract/state.js';
import { createEngineStore, STATE_SILENT_MS, type EngineStore } from '../../../renderer/src/engine-store.js';

type Status = 'connecting' | 'open' | 'closed';

/** Stand-in for the transport (WebSocket or Electron MessagePort): text both ways, in memory. */
function inMemoryBridge() {
  const textListeners: ((text: string) => void)[] = [];
  const statusListeners: ((status: Status) => void)[] = [];
  const sent: unknown[] = [];
  const bridge: MessageBridge = {
    postText: (text) => sent.push(JSON.parse(text)),
    onText: (l) => textListeners.push(l),
    onBinary: () => {},
    onStatus: (l) => statusListeners.push(l),
    close: () => statusListeners.forEach((l) => l('closed')),
  };
  return {
    bridge,
    sent,
    /** The engine sends a message (as JSON text, as on the wire). */
    engineSends: (message: ServerMessage) => textListeners.forEach((l) => l(JSON.stringify(message))),
    engineSendsRaw: (text: string) => textListeners.forEach((l) => l(text)),
    transport: (status: Status) => statusListeners.forEach((l) => l(status)),
  };
}

function engineState(patch: Partial<EngineState> = {}): EngineState {
  return engineStateSchema.parse({
    contractVersion: CONTRACT_VERSION,
    engineVersion: '0.1.0',
    model: { id: 'builtin', name: 'Cyclorama built-in backdrops', status: 'running', provider: 'cpu', fallbacks: [], width: 1920, height: 1080 },
    program: { prompt: 'harbour at dawn', seed: 7, lookId: 1, panic: 'none' },
    stats: { modelFps: 30, lastTtffMs: null, generatedFrames: 100, droppedFrames: 0, staleFrames: 0 },
    outputs: [],
    recentErrors: [],
    ...patch,
  });
}

let store: EngineStore | null = null;
afterEach(() => {
  store?.dispose();
  store = null;
  vi.useRealTimers();
});

function connect(now = () => 1_700_000_000_000) {
  const wire = inMemoryBridge();
  const transportListeners: ((s: Status) => void)[] = [];
  const created = createEngineStore(createEngineConnection(wire.bridge), { now, onTransportStatus: (l) => transportListeners.push(l) });
  store = created;
  const transport = (status: Status) => {
    wire.transport(status);
    transportListeners.forEach((l) => l(status));
  };
  return { wire, store: created, transport };
}

const hello = (state = engineState()): ServerMessage => ({ kind: 'hello', contractVersion: CONTRACT_VERSION, state });

describe('engine store, driven by contract messages', () => {
  it('is connecting until the hello; then open with the engine state; "lost" after a close is told from "starting"', () => {
    const { wire, store, transport } = connect();
    expect(store.getSnapshot()).toMatchObject({ connection: 'connecting', everConnected: false, state: null });
    transport('open');
    expect(store.getSnapshot().connection, 'the socket alone is not the engine').toBe('connecting');
    wire.engineSends(hello());
    expect(store.getSnapshot()).toMatchObject({ connection: 'open', everConnected: true });
    expect(store.getSnapshot().state?.program.prompt).toBe('harbour at dawn');
    wire.engineSends({ kind: 'state', state: engineState({ program: { prompt: 'storm', seed: 2, lookId: 2, panic: 'black' } }) });
    expect(store.getSnapshot().state?.program).toMatchObject({ prompt: 'storm', panic: 'black' });
    transport('closed');
    expect(store.getSnapshot()).toMatchObject({ connection: 'closed', everConnected: true });
  });

  it('notifies subscribers on every change, and stops after unsubscribe', () => {
    const { wire, store } = connect();
    const seen: string[] = [];
    const unsubscribe = store.subscribe(() => seen.push(store.getSnapshot().connection));
    wire.engineSends(hello());
    expect(seen).toContain('open');
    const count = seen.length;
    unsubscribe();
    wire.engineSends({ kind: 'state', state: engineState() });
    expect(seen).toHaveLength(count);
  });

  it("turns the engine's recentErrors into alerts once each (a resent snapshot is not new), newest first", () => {
    let clock = 1_700_000_000_000;
    const { wire, store } = connect(() => clock);
    const broken = { code: 'show-file' as const, message: 'gig.json: line 3, field "cues": expected array.', atMs: clock - 5000 };
    wire.engineSends(hello(engineState({ recentErrors: [broken] })));
    expect(store.getSnapshot().alerts).toEqual([
      { key: `engine:show-file:${broken.message}`, severity: 'error', code: 'show-file', message: broken.message, source: 'engine', lastSeenMs: broken.atMs },
    ]);
    clock += 1000;
    wire.engineSends({ kind: 'state', state: engineState({ recentErrors: [broken] }) });
    expect(store.getSnapshot().alerts).toHaveLength(1);
    expect(store.getSnapshot().alerts[0]?.lastSeenMs).toBe(broken.atMs);
    // A live error event becomes an alert at once.
    wire.engineSends({ kind: 'error', error: { code: 'output-failed', message: 'NDI output "Wall" failed: no runtime.' } });
    expect(store.getSnapshot().alerts.map((a) => a.code)).toEqual(['output-failed', 'show-file']);
  });

  it('shows a provider fallback as a warning while it holds, and drops it when it is gone', () => {
    const { wire, store } = connect();
    const fallback = engineState({
      model: { id: 'b', name: 'B', status: 'running', provider: 'cpu', fallbacks: [{ provider: 'cuda', reason: 'no driver' }], width: 64, height: 36 },
    });
    wire.engineSends(hello(fallback));
    expect(store.getSnapshot().alerts).toEqual([
      expect.objectContaining({ severity: 'warning', code: 'provider-fallback', message: expect.stringMatching(/CPU.*cuda \(no driver\)/) }),
    ]);
    wire.engineSends({ kind: 'state', state: engineState() });
    expect(store.getSnapshot().alerts).toEqual([]);
  });

  it('dismissed alerts stay hidden until the problem happens again', () => {
    let clock = 1_700_000_000_000;
    const { wire, store } = connect(() => clock);
    wire.engineSends(hello());
    wire.engineSends({ kind: 'error', error: { code: 'model-run-failed', message: 'Model run failed.' } });
    const [alert] = store.getSnapshot().alerts;
    clock += 10;
    store.dismissAlert(alert!.key);
    expect(store.getSnapshot().alerts).toEqual([]);
    clock += 10;
    wire.engineSends({ kind: 'error', error: { code: 'model-run-failed', message: 'Model run failed.' } });
    expect(store.getSnapshot().alerts.map((a) => a.code)).toEqual(['model-run-failed']);
    clock += 10;
    store.dismissAll();
    expect(store.getSnapshot().alerts).toEqual([]);
  });

  it('folds a lookOnAir TTFF into the stats before the next snapshot', () => {
    const { wire, store } = connect();
    wire.engineSends(hello());
    wire.engineSends({ kind: 'lookOnAir', lookId: 2, ttffMs: 83 });
    expect(store.getSnapshot().state?.stats.lastTtffMs).toBe(83);
  });

  it('sends commands as contract messages, counts them pending, and turns a rejection into an alert naming the command', async () => {
    const { wire, store } = connect();
    wire.engineSends(hello());
    const go = store.send({ type: 'go' });
    expect(store.getSnapshot().pendingCommands).toBe(1);
    const message = wire.sent.at(-1) as { kind: string; id: number; command: unknown };
    expect(message).toMatchObject({ kind: 'command', command: { type: 'go' } });
    wire.engineSends({ kind: 'reply', id: message.id, ok: true });
    expect(await go).toEqual({ ok: true });
    const fire = store.send({ type: 'fireCue', number: '9' });
    const second = wire.sent.at(-1) as { id: number };
    wire.engineSends({ kind: 'reply', id: second.id, ok: false, error: { code: 'show-edit', message: 'No cue numbered 9 in this show (cues: 1, 2).' } });
    expect(await fire).toMatchObject({ ok: false });
    expect(store.getSnapshot()).toMatchObject({ pendingCommands: 0 });
    expect(store.getSnapshot().alerts[0]).toMatchObject({ source: 'console', code: 'show-edit', message: 'fireCue: No cue numbered 9 in this show (cues: 1, 2).' });
  });

  it('shows a failure the engine also reported (a model that did not load) as one alert', async () => {
    const { wire, store } = connect();
    wire.engineSends(hello());
    const load = store.send({ type: 'loadModel', dir: '/models/missing' });
    const message = wire.sent.at(-1) as { id: number };
    const error = { code: 'model-load-failed' as const, message: '/models/missing has no model.json. Still running Cyclorama built-in backdrops.' };
    // The engine records the error (an event to every console), then answers the caller.
    wire.engineSends({ kind: 'error', error });
    wire.engineSends({ kind: 'reply', id: message.id, ok: false, error });
    expect(await load).toMatchObject({ ok: false });
    expect(store.getSnapshot().alerts.map((a) => [a.source, a.code])).toEqual([['engine', 'model-load-failed']]);
  });

  it('refuses to send while not connected, and says why', async () => {
    const { wire, store } = connect();
    expect(await store.send({ type: 'go' })).toMatchObject({ ok: false, error: { message: expect.stringMatching(/Not connected.*"go" was not sent/) } });
    expect(wire.sent).toEqual([]);
    expect(store.getSnapshot().alerts[0]?.source).toBe('console');
  });

  it('says so when the socket is up but the engine speaks another build', () => {
    vi.useFakeTimers();
    const { wire, store, transport } = connect();
    transport('open');
    wire.engineSendsRaw(JSON.stringify({ kind: 'hello', contractVersion: CONTRACT_VERSION, state: { not: 'a state' } }));
    vi.advanceTimersByTime(4001);
    expect(store.getSnapshot().handshakeFailed).toBe(true);
    const codes = store.getSnapshot().alerts.map((a) => a.code);
    expect(codes).toContain('version-mismatch');
    expect(codes).toContain('invalid-message');
  });

  it('asks for a state when none arrived for a while (stale stats)', () => {
    vi.useFakeTimers();
    let clock = 1_700_000_000_000;
    const { wire } = connect(() => clock);
    wire.engineSends(hello());
    clock += 2000;
    vi.advanceTimersByTime(1500);
    expect(wire.sent.at(-1)).toMatchObject({ kind: 'command', command: { type: 'getState' } });
  });
  it('marks the figures stale, since the last state, when the engine is lost; live again with the next state', () => {
    let clock = 1_700_000_000_000;
    const { wire, store, transport } = connect(() => clock);
    transport('open');
    wire.engineSends(hello());
    expect(store.getSnapshot().stale).toBeNull();
    const lastStateAt = clock;
    clock += 3000;
    transport('closed');
    expect(store.getSnapshot().stale).toEqual({ sinceMs: lastStateAt, reason: 'lost' });
    // Reconnect attempts do not move the time the figures are from.
    clock += 5000;
    transport('connecting');
    transport('closed');
    expect(store.getSnapshot().stale).toEqual({ sinceMs: lastStateAt, reason: 'lost' });
    expect(store.getSnapshot().state?.model.status, 'the last figures are kept, marked stale').toBe('running');
    transport('open');
    wire.engineSends(hello());
    expect(store.getSnapshot().stale).toBeNull();
  });

  it('marks the figures stale when a connected engine sends no state for STATE_SILENT_MS', () => {
    vi.useFakeTimers();
    let clock = 1_700_000_000_000;
    const { wire, store } = connect(() => clock);
    wire.engineSends(hello());
    const lastStateAt = clock;
    clock += STATE_SILENT_MS - 100;
    vi.advanceTimersByTime(500);
    expect(store.getSnapshot().stale).toBeNull();
    clock += 200;
    vi.advanceTimersByTime(500);
    expect(store.getSnapshot().stale).toEqual({ sinceMs: lastStateAt, reason: 'silent' });
    wire.engineSends({ kind: 'state', state: engineState() });
    expect(store.getSnapshot().stale).toBeNull();
  });
});
