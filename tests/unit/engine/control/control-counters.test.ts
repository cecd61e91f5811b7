/**
 * CommandSink's pacing of fader commands (contract/levels.ts), with a stand-in for
 * ClientHub that records what reaches it (the engine's dispatch is not what is tested):
 * a fader moved faster than the rate limit is held, not dropped, a newer value replaces
 * the held one, and the last value always arrives; other commands are still refused
 * beyond the limit, as before.
 */
import { describe, expect, it } from 'vitest';
import type { CommandInput } from '../../../../app/contract/commands.js';
import type { ClientHub } from '../../../../app/engine/control/client-hub.js';
import { CommandSink } from '../../../../app/engine/control/control-counters.js';
import { RateLimiter } from '../../../../app/engine/control/rate-limit.js';
import { waitUntil } from '../../../helpers/wait.js';

function standInHub() {
  const received: CommandInput[] = [];
  const hub = { submit: async (command: CommandInput) => (received.push(command), { ok: true as const }) } as unknown as ClientHub;
  return { hub, received };
}

describe('CommandSink paces fader commands (with a stand-in for ClientHub)', () => {
  it('beyond the burst a fader is held, replaced by newer values, and its last value arrives', async () => {
    const { hub, received } = standInHub();
    const sink = new CommandSink(hub, new RateLimiter({ perSecond: 20, burst: 2 }), 'test desk', () => {});
    for (let i = 1; i <= 10; i++) await sink.submit({ type: 'setMasterLevel', level: i / 10 }, 0);
    // The burst at once; the rest held (only the newest), sent when a token is back.
    expect(received).toEqual([
      { type: 'setMasterLevel', level: 0.1 },
      { type: 'setMasterLevel', level: 0.2 },
    ]);
    await waitUntil(() => received.length === 3, { what: 'the held value sent' });
    expect(received[2]).toEqual({ type: 'setMasterLevel', level: 1 });
    expect(sink.counters).toEqual({ received: 10, dispatched: 3, rejected: 0, rateLimited: 7 });
    sink.stop();
  });

  it('each fader is paced on its own; a button beyond the limit is still refused', async () => {
    const { hub, received } = standInHub();
    const sink = new CommandSink(hub, new RateLimiter({ perSecond: 20, burst: 1 }), 'test desk', () => {});
    await sink.submit({ type: 'crossfade', position: 0.5 }, 0);
    await sink.submit({ type: 'crossfade', position: 1 }, 0);
    await sink.submit({ type: 'setStrength', strength: 0.3 }, 0);
    await sink.submit({ type: 'go' }, 0);
    await sink.submit({ type: 'go' }, 0);
    await waitUntil(() => received.some((c) => c.type === 'crossfade' && c.position === 1), { what: 'the bar at the end sent' });
    expect(received.filter((c) => c.type === 'go')).toHaveLength(1);
    expect(received.filter((c) => c.type === 'setStrength')).toEqual([{ type: 'setStrength', strength: 0.3 }]);
    expect(sink.counters.rateLimited).toBe(1); // the second GO
    sink.stop();
  });
});
