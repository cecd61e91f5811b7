import { describe, expect, it } from 'vitest';
import { MAX_SHOW_PART_CHARS } from '../../../../app/contract/cluster.js';
import { clientMessageSchema, MAX_TEXT_MESSAGE_BYTES } from '../../../../app/contract/messages.js';
import type { Show } from '../../../../app/contract/show.js';
import { ShowAssembler, showParts } from '../../../../app/engine/cluster/show-transfer.js';
import { emptyShow } from '../../../../app/show/show-file.js';

/** A show far above one message: 60 cues with long notes and non-ASCII prompts. */
function largeShow(): Show {
  const show = emptyShow('Große Bühne');
  return {
    ...show,
    cues: Array.from({ length: 60 }, (_, i) => ({
      id: `c${i + 1}`,
      number: String(i + 1),
      name: `cue ${i + 1}`,
      look: { prompt: `nébuleuse «${i}» über dem Meer 🌊`, seed: i, params: {} },
      transition: { durationMs: 1000, curve: 'linear' as const },
      notes: `"quoted" notes\n${'x'.repeat(3900)}`,
      continueMode: 'none' as const,
      delayMs: 0,
    })),
  };
}

describe('the show push in parts', () => {
  it('carries a show larger than one message in parts that each fit the message limit, and the node gets the same show', () => {
    const show = largeShow();
    const parts = showParts(show, 'd1-show-1');
    expect(parts.length).toBeGreaterThan(1);
    for (const part of parts) {
      expect(part.data.length).toBeLessThanOrEqual(MAX_SHOW_PART_CHARS);
      const message = JSON.stringify({ kind: 'command', id: 12345, command: part });
      expect(new TextEncoder().encode(message).length).toBeLessThan(MAX_TEXT_MESSAGE_BYTES);
      expect(clientMessageSchema.safeParse(JSON.parse(message)).success).toBe(true);
    }
    const assembler = new ShowAssembler();
    const steps = parts.map((part) => assembler.receive(part));
    expect(steps.slice(0, -1).every((step) => !step.done)).toBe(true);
    expect(steps.at(-1)).toEqual({ done: true, show });
  });

  it('a new transfer drops an unfinished one; a part out of order is refused by name', () => {
    const show = largeShow();
    const first = showParts(show, 't1');
    const second = showParts({ ...show, name: 'second' }, 't2');
    const assembler = new ShowAssembler();
    assembler.receive(first[0]!);
    let last;
    for (const part of second) last = assembler.receive(part);
    expect(last).toMatchObject({ done: true, show: { name: 'second' } });
    const skipped = assembler.receive(first[1]!);
    expect(skipped).toMatchObject({ done: true, error: { code: 'invalid-message', details: { field: 'part' } } });
  });

  it('a show the node cannot load is refused with its field', () => {
    const bad = showParts(emptyShow(), 't3')[0]!;
    const text = Buffer.from(bad.data, 'base64').toString('utf8').replace('"goGuardMs": 300', '"goGuardMs": -5');
    const step = new ShowAssembler().receive({ ...bad, data: Buffer.from(text).toString('base64') });
    expect(step).toMatchObject({ done: true, error: { code: 'show-file', details: { field: 'settings.goGuardMs' } } });
  });
});
