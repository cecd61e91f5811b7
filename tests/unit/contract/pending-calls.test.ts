/**
 * A command's promise always settles: when the connection drops or is closed
 * before the engine replies, the caller gets a failed result at once (not a
 * hang, not a 5 s timeout), and a reply still settles it normally.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createEngineConnection } from '../../../app/contract/client.js';
import type { MessageBridge } from '../../../app/contract/connection.js';

/** An in-memory MessageBridge: the connection's other side, driven by the test. */
function memoryBridge() {
  const sent: string[] = [];
  let text: (data: string) => void = () => {};
  let status: (s: 'connecting' | 'open' | 'closed') => void = () => {};
  let closed = false;
  const bridge: MessageBridge = {
    postText: (data) => void sent.push(data),
    onText: (l) => void (text = l),
    onBinary() {},
    onStatus: (l) => void (status = l),
    close: () => void (closed = true),
  };
  return { bridge, sent, closed: () => closed, reply: (data: unknown) => text(JSON.stringify(data)), status: (s: 'connecting' | 'open' | 'closed') => status(s) };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('pending calls', () => {
  it('a reply settles its own call', async () => {
    const side = memoryBridge();
    const connection = createEngineConnection(side.bridge);
    const call = connection.send({ type: 'go' });
    const { id } = JSON.parse(side.sent[0]!) as { id: number };
    side.reply({ kind: 'reply', id, ok: true });
    expect(await call).toEqual({ ok: true });
  });

  it('a dropped connection fails every waiting call at once, saying it may have been applied', async () => {
    const side = memoryBridge();
    const connection = createEngineConnection(side.bridge);
    const calls = [connection.send({ type: 'go' }), connection.send({ type: 'back' })];
    side.status('closed');
    const results = await Promise.all(calls);
    for (const result of results) {
      expect(result.ok).toBe(false);
      expect(result.ok ? '' : result.error.message).toMatch(/closed before it answered.*may or may not/);
    }
  });

  it('closing the connection fails waiting calls instead of leaving them pending', async () => {
    // Fake timers: the 5 s reply timeout cannot fire, so only close() can settle the call.
    vi.useFakeTimers();
    const side = memoryBridge();
    const connection = createEngineConnection(side.bridge);
    const call = connection.send({ type: 'go' });
    const { id } = JSON.parse(side.sent[0]!) as { id: number };
    let settled: Awaited<typeof call> | undefined;
    void call.then((result) => (settled = result));
    connection.close();
    await vi.advanceTimersByTimeAsync(0); // promise callbacks only; no time passes
    expect(settled).toBeDefined();
    const result = await call;
    expect(result.ok).toBe(false);
    expect(result.ok ? '' : result.error.message).toMatch(/connection was closed before the engine answered/);
    expect(side.closed()).toBe(true);
    // The reply timer went with the call: nothing is left to fire, and a late reply changes nothing.
    expect(vi.getTimerCount()).toBe(0);
    side.reply({ kind: 'reply', id, ok: true });
    expect(await call).toEqual(result);
  });
});
