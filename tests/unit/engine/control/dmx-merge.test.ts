import { describe, expect, it } from 'vitest';
import { DmxMerger } from '../../../../app/engine/control/dmx-merge.js';

// Slot 0 HTP, the rest LTP.
const rules = Array.from({ length: 512 }, (_, i) => (i === 0 ? 'HTP' : 'LTP') as 'HTP' | 'LTP');
const slots = (...levels: number[]) => Uint8Array.from(levels);

describe('DMX merge', () => {
  it('HTP takes the highest level; LTP the source that changed the slot last', () => {
    const m = new DmxMerger({ universe: 1, rules });
    m.receive({ sourceId: 'A', universe: 1, slots: slots(100, 10) }, 0);
    m.receive({ sourceId: 'B', universe: 1, slots: slots(50, 20) }, 10);
    // B joined later, so B holds slot 1 until A changes it.
    expect([...m.merged(20).slots.slice(0, 2)]).toEqual([100, 20]);
    m.receive({ sourceId: 'A', universe: 1, slots: slots(100, 11) }, 30);
    expect([...m.merged(30).slots.slice(0, 2)]).toEqual([100, 11]);
    // B resending the same level is not a change: A keeps slot 1.
    m.receive({ sourceId: 'B', universe: 1, slots: slots(200, 20) }, 40);
    expect([...m.merged(40).slots.slice(0, 2)]).toEqual([200, 11]);
  });

  it('sACN priority: a higher-priority source takes over entirely; when it times out the lower one is back', () => {
    const m = new DmxMerger({ universe: 1, rules, sourceTimeoutMs: 2500 });
    m.receive({ sourceId: 'desk', universe: 1, slots: slots(255, 1), priority: 100 }, 0);
    m.receive({ sourceId: 'backup', universe: 1, slots: slots(10, 2), priority: 150 }, 0);
    expect([...m.merged(0).slots.slice(0, 2)]).toEqual([10, 2]);
    m.receive({ sourceId: 'desk', universe: 1, slots: slots(255, 1), priority: 100 }, 2000);
    expect([...m.merged(2600).slots.slice(0, 2)]).toEqual([255, 1]);
    expect(m.liveSources(2600)).toEqual(['desk']);
  });

  it('refuses wrong universes, oversize packets and bad priorities, naming them', () => {
    const m = new DmxMerger({ universe: 3, rules });
    expect(m.receive({ sourceId: 'A', universe: 4, slots: slots(1) }, 0)).toEqual({ accepted: false, reason: 'universe 4, listening on 3' });
    expect(m.receive({ sourceId: 'A', universe: 3, slots: new Uint8Array(513) }, 0)).toEqual({ accepted: false, reason: 'DMX packet with 513 slots (at most 512)' });
    expect(m.receive({ sourceId: 'A', universe: 3, slots: slots(1), priority: 201 }, 0)).toEqual({ accepted: false, reason: 'sACN priority 201 is out of range 0-200' });
    expect(m.merged(0).live).toBe(false);
  });

  it('loss of signal holds the last merged levels; a terminated source leaves at once', () => {
    const m = new DmxMerger({ universe: 1, rules, sourceTimeoutMs: 1000 });
    m.receive({ sourceId: 'A', universe: 1, slots: slots(77, 5) }, 0);
    expect(m.merged(500)).toMatchObject({ live: true });
    const lost = m.merged(1500);
    expect(lost.live).toBe(false);
    expect(lost.everLive).toBe(true);
    expect([...lost.slots.slice(0, 2)]).toEqual([77, 5]);
    m.receive({ sourceId: 'B', universe: 1, slots: slots(9) }, 2000);
    m.removeSource('B');
    expect(m.merged(2000).live).toBe(false);
  });

  it('a short universe reads the missing slots as 0', () => {
    const m = new DmxMerger({ universe: 1, rules });
    m.receive({ sourceId: 'A', universe: 1, slots: slots(1, 2, 3) }, 0);
    expect(m.merged(0).slots[3]).toBe(0);
    expect(() => new DmxMerger({ universe: 1, rules: [] })).toThrow(/512 slot rules/);
  });
});
