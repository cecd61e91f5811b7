import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CHANNELS, FOOTPRINT, GO_FIRE_LEVEL, GO_REARM_LEVEL, decodeValues, mergeRules, validatePatch } from '../../../../app/engine/control/dmx-personality.js';

const DOC = join(import.meta.dirname, '../../../../docs/dmx-personality.md');

/** The published table's rows: | Channel | Function | Merge | Values |. */
function publishedRows(): { channel: number; label: string; merge: string; values: string }[] {
  const lines = readFileSync(DOC, 'utf8').split('\n');
  const header = lines.findIndex((l) => /^\|\s*Channel\s*\|\s*Function\s*\|\s*Merge\s*\|\s*Values\s*\|/.test(l));
  expect(header, 'docs/dmx-personality.md has the channel table').toBeGreaterThanOrEqual(0);
  const rows = [];
  for (const line of lines.slice(header + 2)) {
    if (!line.startsWith('|')) break;
    const cells = line
      .split('|')
      .slice(1, -1)
      .map((c) => c.trim());
    rows.push({ channel: Number(cells[0]), label: cells[1] as string, merge: cells[2] as string, values: cells[3] as string });
  }
  return rows;
}

const universe = (start: number, levels: Record<number, number>) => {
  const u = new Uint8Array(512);
  for (const [ch, v] of Object.entries(levels)) u[start - 1 + Number(ch) - 1] = v;
  return u;
};

describe('DMX personality: the published table and the code cannot drift', () => {
  it('docs/dmx-personality.md lists exactly the code channel map (channel, function, merge, values)', () => {
    expect(publishedRows()).toEqual(CHANNELS.map(({ channel, label, merge, values }) => ({ channel, label, merge, values })));
  });

  it('channels are contiguous from 1 and the footprint is the row count', () => {
    expect(CHANNELS.map((c) => c.channel)).toEqual(Array.from({ length: FOOTPRINT }, (_, i) => i + 1));
    expect(new Set(CHANNELS.map((c) => c.fn)).size).toBe(FOOTPRINT);
  });

  it('the GO thresholds in the table are the ones the code uses', () => {
    const go = publishedRows().find((r) => r.label === 'GO')?.values ?? '';
    expect(Number(/rising through (\d+)/.exec(go)?.[1])).toBe(GO_FIRE_LEVEL);
    expect(Number(/re-arms below (\d+)/.exec(go)?.[1])).toBe(GO_REARM_LEVEL);
  });

  it('the panic bands in the table decode to those modes at both ends of each band', () => {
    const text = publishedRows().find((r) => r.label === 'Panic')?.values ?? '';
    const bands = [...text.matchAll(/(\d+)-(\d+): ([a-z ]+)/g)].map((m) => ({ from: Number(m[1]), to: Number(m[2]), mode: (m[3] as string).trim() }));
    expect(bands).toHaveLength(4);
    const names: Record<string, string> = { none: 'none', black: 'black', freeze: 'freeze', 'safe plate': 'safe-plate' };
    for (const b of bands) {
      for (const level of [b.from, b.to]) expect(decodeValues(universe(1, { 6: level }), { universe: 1, startAddress: 1 }).panic).toBe(names[b.mode]);
    }
  });

  it('the input bands in the table decode as written', () => {
    const text = publishedRows().find((r) => r.label === 'Input select')?.values ?? '';
    for (const m of text.matchAll(/(\d+)-(\d+) input (\d+)/g)) {
      for (const level of [Number(m[1]), Number(m[2])]) expect(decodeValues(universe(1, { 12: level }), { universe: 1, startAddress: 1 }).input).toBe(Number(m[3]));
    }
    expect(decodeValues(universe(1, { 12: 9 }), { universe: 1, startAddress: 1 }).input).toBe(0);
  });
});

describe('DMX personality: decoding and patch', () => {
  it('reads from the start address; the 16-bit cue pair overrides the 8-bit select', () => {
    const patch = { universe: 2, startAddress: 101 };
    const v = decodeValues(universe(101, { 1: 255, 2: 7, 7: 25, 8: 51, 9: 128, 10: 1, 11: 2 }), patch);
    expect(v).toMatchObject({ master: 1, cuePosition: 7, crossfadeMs: 2500, promptBlend: 0.2, seed: 258 });
    expect(v.strength).toBeCloseTo(128 / 255, 9);
    expect(decodeValues(universe(101, { 2: 7, 3: 1, 4: 44 }), patch).cuePosition).toBe(300);
  });

  it('HTP slots are the intensity-like channels at the patch, LTP elsewhere', () => {
    const rules = mergeRules({ universe: 1, startAddress: 500 });
    expect(rules[499]).toBe('HTP'); // master
    expect(rules[504]).toBe('HTP'); // panic
    expect(rules[500]).toBe('LTP');
    expect(rules[0]).toBe('LTP');
  });

  it('refuses a patch that does not fit, naming the setting', () => {
    expect(() => validatePatch({ universe: 1, startAddress: 502 })).toThrow(/start address 502 is out of range 1-501 \(the personality is 12 channels\)/);
    expect(() => validatePatch({ universe: 1, startAddress: 0 })).toThrow(/start address 0/);
    expect(() => validatePatch({ universe: -1, startAddress: 1 })).toThrow(/universe -1/);
    expect(() => validatePatch({ universe: 1, startAddress: 501 })).not.toThrow();
  });
});
