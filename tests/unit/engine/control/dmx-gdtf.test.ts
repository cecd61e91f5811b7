import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gdtfDescription } from '../../../../app/engine/control/dmx-gdtf.js';
import { CHANNELS } from '../../../../app/engine/control/dmx-personality.js';

const FILE = join(import.meta.dirname, '../../../../docs/gdtf/description.xml');

/** Tag balance: every element closed in order (a small well-formedness check; no XML library in the project). */
function unbalancedTags(xml: string): string[] {
  const stack: string[] = [];
  const problems: string[] = [];
  for (const m of xml.matchAll(/<(\/?)([A-Za-z][\w]*)([^>]*?)(\/?)>/g)) {
    const [, close, name, , selfClose] = m as unknown as [string, string, string, string, string];
    if (selfClose) continue;
    if (!close) stack.push(name);
    else if (stack.pop() !== name) problems.push(`</${name}> closes the wrong element`);
  }
  return [...problems, ...stack.map((n) => `<${n}> never closed`)];
}

describe('DMX personality as GDTF description.xml', () => {
  it('the published docs/gdtf/description.xml is the generator output (regenerate it when the channel map changes)', () => {
    expect(readFileSync(FILE, 'utf8')).toBe(gdtfDescription());
  });

  it('is balanced XML with one DMX mode of the personality footprint', () => {
    const xml = gdtfDescription();
    expect(unbalancedTags(xml)).toEqual([]);
    expect(xml).toMatch(/<DMXMode Name="12ch"/);
  });

  it('its DMX channel offsets cover the channel map exactly, 16-bit pairs as coarse,fine', () => {
    const offsets = [...gdtfDescription().matchAll(/<DMXChannel [^>]*Offset="([\d,]+)"/g)].map((m) => (m[1] as string).split(',').map(Number));
    expect(offsets.flat()).toEqual(CHANNELS.map((c) => c.channel));
    const byFn = (fn: string) => CHANNELS.find((c) => c.fn === fn)?.channel;
    expect(offsets).toContainEqual([byFn('cueSelect16Coarse'), byFn('cueSelect16Fine')]);
    expect(offsets).toContainEqual([byFn('seedCoarse'), byFn('seedFine')]);
  });

  it('master is the Dimmer attribute; each channel set names what its levels mean', () => {
    const xml = gdtfDescription();
    expect(xml).toMatch(/<DMXChannel [^>]*Offset="1" [^>]*InitialFunction="Body_Dimmer\.Dimmer\./);
    for (const c of CHANNELS) expect(xml).toContain(`${c.label}: ${c.values}`.replace(/&/g, '&amp;').replace(/"/g, '&quot;'));
  });
});
