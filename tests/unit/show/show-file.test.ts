/**
 * Show files: field + line for broken files, refusal of newer versions, the
 * v1 -> v2 -> v3 migrations, JSON positions, undo history and the wall log CSV.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_TRANSITION_MS, transitionCurveSchema } from '../../../app/contract/primitives.js';
import { SHOW_FILE_VERSION, showSchema, type Show } from '../../../app/contract/show.js';
import { record, historyOf, redo, undo } from '../../../app/show/history.js';
import { parseJsonWithPositions, positionOf } from '../../../app/show/json-locate.js';
import { emptyShow, parseShowFile, serializeShow } from '../../../app/show/show-file.js';
import { csvField, formatTimecode, wallLogCsv, type WallLogEntry } from '../../../app/show/wall-log.js';

const goodShow = () => ({
  ...emptyShow('Good'),
  cues: [
    {
      id: 'c1',
      number: '1',
      name: 'Open',
      look: { prompt: 'dawn', seed: 1, params: {} },
      transition: { durationMs: 1000, curve: 'linear' },
      notes: '',
      continueMode: 'none',
      delayMs: 0,
    },
    { id: 'c2', number: '2', name: '', look: { prompt: 'noon', seed: 2, params: {} }, transition: { durationMs: 0, curve: 'linear' }, notes: '', continueMode: 'none', delayMs: 0 },
  ],
});

describe('JSON with positions', () => {
  it('locates members at their key line and reports syntax errors with line and column', () => {
    const text = '{\n  "a": 1,\n  "b": [\n    {"c": true}\n  ]\n}';
    const parsed = parseJsonWithPositions(text);
    if (!parsed.ok) throw new Error(parsed.message);
    expect(parsed.value).toEqual({ a: 1, b: [{ c: true }] });
    expect(positionOf(parsed.positions, ['b', 0, 'c'])?.line).toBe(4);
    expect(positionOf(parsed.positions, ['b', 0, 'missing'])?.line).toBe(4); // nearest existing parent
    const broken = parseJsonWithPositions('{\n  "a": 1,\n  "b": 2,\n}\n');
    expect(broken.ok).toBe(false);
    if (!broken.ok) expect(broken.position.line).toBe(4);
  });

  it('agrees with JSON.parse on what it accepts', () => {
    for (const text of ['"\\u00e9\\n"', '-1.5e3', '[1, "two", null, false, {"x": {}}]', ' {"a" : [ ] } ']) {
      const parsed = parseJsonWithPositions(text);
      expect(parsed.ok && parsed.value).toEqual(JSON.parse(text));
    }
    for (const text of ['{"a":1,}', '[1 2]', "{'a':1}", '01', '', '{"a":1} x']) expect(parseJsonWithPositions(text).ok).toBe(false);
  });
});

describe('show files', () => {
  it('round-trips a show through its file text', () => {
    const text = serializeShow(goodShow() as never);
    const parsed = parseShowFile(text);
    expect(parsed.ok).toBe(true);
    if (parsed.ok) {
      expect(parsed.show).toEqual(goodShow());
      expect(parsed.migratedFrom).toBeNull();
    }
  });

  it('names the field and the line of a bad value', () => {
    const show = goodShow();
    (show.cues[1]!.transition as { durationMs: unknown }).durationMs = -5;
    const text = serializeShow(show as never);
    const parsed = parseShowFile(text);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.error.field).toBe('cues.1.transition.durationMs');
    const expectedLine = text.split('\n').findIndex((l) => l.includes('"durationMs": -5')) + 1;
    expect(parsed.error.line).toBe(expectedLine);
    expect(parsed.error.message).toMatch(/cues\.1\.transition\.durationMs/);
  });

  it('names a missing field at its object and a wrong type', () => {
    const show = goodShow() as Record<string, unknown>;
    delete (show.cues as Record<string, unknown>[])[0]!.look;
    const text = serializeShow(show as never);
    const parsed = parseShowFile(text);
    expect(!parsed.ok && parsed.error.field).toBe('cues.0.look');
    // Reported at the cue object: its "{" is the line above its "id".
    const cueLine = text.split('\n').findIndex((l) => l.includes('"id": "c1"'));
    expect(!parsed.ok && parsed.error.line).toBe(cueLine);
  });

  it('refuses a newer version, naming the version field and line', () => {
    const text = serializeShow({ ...goodShow(), version: SHOW_FILE_VERSION + 1 } as never);
    const parsed = parseShowFile(text);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) {
      expect(parsed.error.field).toBe('version');
      expect(parsed.error.line).toBe(2);
      expect(parsed.error.message).toMatch(/newer Cyclorama/);
    }
  });

  it('reports broken JSON with its line', () => {
    const parsed = parseShowFile('{\n  "version": 2,\n  "name": "x"\n  "cues": []\n}');
    expect(!parsed.ok && parsed.error).toMatchObject({ field: '(file)', line: 4 });
  });

  it('reports duplicate cue numbers with the line of the duplicate', () => {
    const show = goodShow();
    show.cues[1]!.number = '1';
    const text = serializeShow(show as never);
    const parsed = parseShowFile(text);
    expect(!parsed.ok && parsed.error.field).toBe('cues.1.number');
    const lines = text.split('\n');
    const second = lines.findIndex((l, i) => l.includes('"number": "1"') && lines.slice(0, i).some((x) => x.includes('"id": "c2"')));
    expect(!parsed.ok && parsed.error.line).toBe(second + 1);
  });

  it('migrates version 1 files to the current version', () => {
    const v1 = {
      version: 1,
      name: 'Old show',
      cues: [
        { number: '1', prompt: 'fog', seed: 4, fadeMs: 1500 },
        { number: '2', prompt: 'rain', seed: 5, fadeMs: 0 },
      ],
    };
    const parsed = parseShowFile(JSON.stringify(v1, null, 2));
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.migratedFrom).toBe(1);
    expect(parsed.show.version).toBe(SHOW_FILE_VERSION);
    expect(parsed.show.cues.map((c) => [c.id, c.number, c.look.prompt, c.look.seed, c.transition.durationMs])).toEqual([
      ['c1', '1', 'fog', 4, 1500],
      ['c2', '2', 'rain', 5, 0],
    ]);
    expect(parsed.show.timeline.keyframes).toEqual([]);
  });

  it('migrates version 2 files (looks without inputs) to the current version', () => {
    const v2 = {
      ...goodShow(),
      version: 2,
      timeline: { durationMs: 60_000, loop: false, keyframes: [{ id: 'k1', timeMs: 0, look: { prompt: 'dusk', seed: 3, params: {} }, curve: 'linear' }] },
    };
    const parsed = parseShowFile(JSON.stringify(v2, null, 2));
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.migratedFrom).toBe(2);
    expect(parsed.show.version).toBe(SHOW_FILE_VERSION);
    expect(parsed.show.cues.map((c) => [c.id, c.look.prompt, c.look.input])).toEqual([
      ['c1', 'dawn', undefined],
      ['c2', 'noon', undefined],
    ]);
    expect(parsed.show.timeline.keyframes[0]?.look).toEqual({ prompt: 'dusk', seed: 3, params: {} });
  });

  it('migrates version 3 files: a panic GO restores only, the timeline runs on its own clock, no timecode triggers', () => {
    const current = goodShow();
    const { panicGo: _panicGo, timecode: _timecode, ...v3Settings } = current.settings;
    const v3 = { ...current, version: 3, settings: v3Settings };
    const parsed = parseShowFile(JSON.stringify(v3, null, 2));
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.migratedFrom).toBe(3);
    expect(parsed.show.version).toBe(SHOW_FILE_VERSION);
    expect(parsed.show.settings.panicGo).toBe('restore');
    expect(parsed.show.settings.timecode).toEqual({ source: 'internal', offsetMs: 0, engaged: false });
    expect(parsed.show.cues.map((c) => c.triggerTimecode)).toEqual([undefined, undefined]);
  });

  it('round-trips the version 4 fields and names a bad trigger timecode by its field and line', () => {
    const show = goodShow();
    const v4 = {
      ...show,
      settings: { ...show.settings, panicGo: 'restore-and-fire', timecode: { source: 'ltc', offsetMs: -36_000_000, engaged: true, rate: '25', freewheelFrames: 12 } },
      cues: [{ ...show.cues[0]!, triggerTimecode: '10:00:05:00' }, show.cues[1]!],
    };
    const parsed = parseShowFile(serializeShow(v4 as never));
    expect(parsed.ok && parsed.show.settings).toEqual(v4.settings);
    expect(parsed.ok && parsed.show.cues[0]?.triggerTimecode).toBe('10:00:05:00');
    const bad = { ...v4, cues: [{ ...v4.cues[0]!, triggerTimecode: '10:00:05' }, show.cues[1]!] };
    const text = JSON.stringify(bad, null, 2);
    const refused = parseShowFile(text);
    expect(!refused.ok && refused.error.field).toBe('cues.0.triggerTimecode');
    expect(!refused.ok && refused.error.line).toBe(text.split('\n').findIndex((l) => l.includes('"10:00:05"')) + 1);
  });

  it('migrates version 4 files to version 5: no cue records while on, everything else kept', () => {
    const current = goodShow();
    const v4 = { ...current, version: 4, cues: [{ ...current.cues[0]!, triggerTimecode: '10:00:05:00' }, current.cues[1]!] };
    const parsed = parseShowFile(JSON.stringify(v4, null, 2));
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.migratedFrom).toBe(4);
    expect(parsed.show.version).toBe(5);
    expect(parsed.show.cues.map((c) => [c.id, c.triggerTimecode, c.recordWhileOn])).toEqual([
      ['c1', '10:00:05:00', undefined],
      ['c2', undefined, undefined],
    ]);
    expect(parsed.show.settings).toEqual(current.settings);
  });

  it('a version 4 file cannot turn recording on: v4 cues have no such field, so it is dropped on load', () => {
    const current = goodShow();
    const v4 = { ...current, version: 4, cues: [{ ...current.cues[0]!, recordWhileOn: 'yes' }, current.cues[1]!] };
    const parsed = parseShowFile(JSON.stringify(v4, null, 2));
    expect(parsed.ok).toBe(true);
    expect(parsed.ok && parsed.show.cues[0]?.recordWhileOn).toBe(undefined);
  });

  it('round-trips a cue that records while it is on (version 5) and names a bad value by its field and line', () => {
    const show = goodShow();
    const v5 = { ...show, version: 5, cues: [{ ...show.cues[0]!, recordWhileOn: true }, show.cues[1]!] };
    const parsed = parseShowFile(serializeShow(v5 as never));
    expect(parsed.ok && parsed.show.cues.map((c) => c.recordWhileOn)).toEqual([true, undefined]);
    const bad = { ...v5, cues: [{ ...v5.cues[0]!, recordWhileOn: 'yes' }, show.cues[1]!] };
    const text = JSON.stringify(bad, null, 2);
    const refused = parseShowFile(text);
    expect(!refused.ok && refused.error.field).toBe('cues.0.recordWhileOn');
    expect(!refused.ok && refused.error.line).toBe(text.split('\n').findIndex((l) => l.includes('"yes"')) + 1);
  });

  it('a version 6 file (from a newer build) is refused clearly: this build reads up to 5', () => {
    const parsed = parseShowFile(JSON.stringify({ ...emptyShow(), version: 6 }, null, 2));
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) {
      expect(parsed.error.field).toBe('version');
      expect(parsed.error.message).toBe('this show was saved by a newer Cyclorama (file version 6; this one reads up to 5). Open it with that version or newer.');
    }
  });

  it('validates a version 2 file against version 2 fields', () => {
    const v2 = { ...goodShow(), version: 2 };
    (v2.cues[1]!.look as { seed: unknown }).seed = 'seven';
    const text = JSON.stringify(v2, null, 2);
    const parsed = parseShowFile(text);
    expect(!parsed.ok && parsed.error.field).toBe('cues.1.look.seed');
    expect(!parsed.ok && parsed.error.line).toBe(text.split('\n').findIndex((l) => l.includes('"seven"')) + 1);
  });

  it('round-trips a current show whose looks name inputs (an NDI input by its name, fit defaulting to fill)', () => {
    const show = goodShow();
    const withInputs = {
      ...show,
      cues: [
        { ...show.cues[0]!, look: { ...show.cues[0]!.look, params: { strength: 0.6 }, input: { source: { kind: 'ndi', name: 'STAGE-PC (Unreal Plate)' }, fit: 'crop' } } },
        { ...show.cues[1]!, look: { ...show.cues[1]!.look, input: { source: { kind: 'image', path: 'plates/set.png' } } } },
      ],
    };
    const parsed = parseShowFile(serializeShow(withInputs as never));
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.migratedFrom).toBeNull();
    expect(parsed.show.cues[0]?.look.input).toEqual({ source: { kind: 'ndi', name: 'STAGE-PC (Unreal Plate)' }, fit: 'crop' });
    expect(parsed.show.cues[1]?.look.input).toEqual({ source: { kind: 'image', path: 'plates/set.png' }, fit: 'fill' });
    const again = parseShowFile(serializeShow(parsed.show));
    expect(again.ok && again.show).toEqual(parsed.show);
  });

  it('names a bad look input by its field and line', () => {
    const show = goodShow();
    const text = serializeShow({ ...show, cues: [{ ...show.cues[0]!, look: { ...show.cues[0]!.look, input: { source: { kind: 'ndi', name: '' } } } }] } as never);
    const parsed = parseShowFile(text);
    expect(!parsed.ok && parsed.error.field).toBe('cues.0.look.input.source.name');
  });

  it('validates a version 1 file against version 1 fields (errors name fields that exist in the file)', () => {
    const text = JSON.stringify({ version: 1, name: 'Old', cues: [{ number: '1', prompt: 'fog', seed: 4, fadeMs: 'slow' }] }, null, 2);
    const parsed = parseShowFile(text);
    expect(!parsed.ok && parsed.error.field).toBe('cues.0.fadeMs');
    expect(!parsed.ok && parsed.error.line).toBe(text.split('\n').findIndex((l) => l.includes('fadeMs')) + 1);
  });
});

describe('undo history', () => {
  it('undoes and redoes, and a new edit drops the redo branch', () => {
    let h = historyOf(1);
    h = record(h, 2);
    h = record(h, 3);
    h = undo(h);
    expect(h.present).toBe(2);
    h = redo(h);
    expect(h.present).toBe(3);
    h = undo(undo(h));
    expect(h.present).toBe(1);
    expect(undo(h)).toBe(h);
    h = record(h, 4);
    expect(h.future).toEqual([]);
    expect(redo(h)).toBe(h);
  });

  it('is bounded', () => {
    let h = historyOf(0);
    for (let i = 1; i <= 50; i++) h = record(h, i, 10);
    expect(h.past.length).toBe(10);
  });
});

describe('wall log', () => {
  it('formats time-of-day timecode at the output rate', () => {
    expect(formatTimecode(((10 * 60 + 2) * 60 + 3) * 1000 + 500, { num: 30000, den: 1001 })).toBe('10:02:03:15');
    expect(formatTimecode(999, { num: 25, den: 1 })).toBe('00:00:00:24');
  });

  it('writes CSV with a header and escapes prompts', () => {
    const entry: WallLogEntry = {
      atMs: Date.UTC(2025, 0, 2, 3, 4, 5),
      timecode: '03:04:05:00',
      lookId: 7,
      source: 'cue',
      cueNumber: '2',
      cueName: 'Wide',
      prompt: 'fog, "heavy"\nlow',
      negativePrompt: '',
      seed: 42,
      transition: { durationMs: 1500, curve: 'ease-in-out' },
      output: 'none',
    };
    const csv = wallLogCsv([entry]);
    const lines = csv.split('\r\n');
    // tick and chase_timecode (frame lock) come last, empty when the entry has none.
    expect(lines[0]).toBe('time_utc,timecode,look_id,source,cue_number,cue_name,prompt,negative_prompt,seed,transition_ms,curve,output,tick,chase_timecode');
    expect(csv).toContain('2025-01-02T03:04:05.000Z,03:04:05:00,7,cue,2,Wide,"fog, ""heavy""\nlow",,42,1500,ease-in-out,none,,\r\n');
    const locked = wallLogCsv([{ ...entry, tick: 53_846_153_846, chaseTimecode: '10:00:00:12' }]);
    expect(locked).toContain(',ease-in-out,none,53846153846,10:00:00:12\r\n');
    expect(csvField('=cmd()')).toBe("'=cmd()");
  });
});

describe('show file parsing cannot be stalled or made to quote the file', () => {
  it('refuses 100k-level nesting by its depth, before any recursive parse', () => {
    for (const text of ['['.repeat(100_000) + ']'.repeat(100_000), `{"version": 2, "name": ${'{"a":'.repeat(50_000)}1${'}'.repeat(50_000)}}`]) {
      const parsed = parseShowFile(text);
      expect(parsed.ok).toBe(false);
      if (!parsed.ok) expect(parsed.error.message).toMatch(/nested more than \d+ levels deep at line 1/);
    }
    // Brackets inside strings are text, not nesting.
    const show = { ...emptyShow('[[[['.repeat(40)), cues: [] };
    expect(parseShowFile(serializeShow(show)).ok).toBe(true);
  });

  it('a newer file (current version + 1) is refused naming both versions', () => {
    const parsed = parseShowFile(JSON.stringify({ ...emptyShow(), version: SHOW_FILE_VERSION + 1 }, null, 2));
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error.message).toContain(`file version ${SHOW_FILE_VERSION + 1}; this one reads up to ${SHOW_FILE_VERSION}`);
  });

  it('syntax errors give line and column but never the characters found', () => {
    for (const text of ['\u00a7root:x:0:0', '{\n  "version": \u00a7\n}', '{"\u00a7key" 1}', '[1, 2] \u00a7']) {
      const parsed = parseShowFile(text);
      expect(parsed.ok).toBe(false);
      if (!parsed.ok) {
        expect(parsed.error.message).toMatch(/not valid JSON at line \d+, column \d+/);
        expect(parsed.error.message).not.toContain('\u00a7');
      }
    }
  });
});

describe('show file parsing, property-based (fast-check, bounded)', () => {
  const lookArb = fc.record({
    prompt: fc.string({ maxLength: 60, unit: 'grapheme' }),
    seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
    params: fc.dictionary(
      fc.stringMatching(/^[a-z]{1,8}$/),
      fc.double({ noNaN: true, noDefaultInfinity: true }).map((x) => (x === 0 ? 0 : x)),
      { maxKeys: 3 },
    ),
  });
  const curveArb = fc.constantFrom(...transitionCurveSchema.options);
  const showArb = fc
    .record({
      name: fc.string({ maxLength: 40 }),
      numbers: fc.uniqueArray(fc.stringMatching(/^[0-9A-Z.]{1,12}$/), { maxLength: 6 }),
      looks: fc.array(lookArb, { minLength: 6, maxLength: 6 }),
      durations: fc.array(fc.integer({ min: 0, max: MAX_TRANSITION_MS }), { minLength: 6, maxLength: 6 }),
      curve: curveArb,
      keyTimes: fc.uniqueArray(fc.integer({ min: 0, max: 60_000 }), { maxLength: 4 }),
      loop: fc.boolean(),
    })
    .map(({ name, numbers, looks, durations, curve, keyTimes, loop }): Show => ({
      ...emptyShow(name),
      cues: numbers.map((number, i) => ({
        id: `c${i + 1}`,
        number,
        name: '',
        look: looks[i]!,
        transition: { durationMs: durations[i]!, curve },
        notes: '',
        continueMode: 'none' as const,
        delayMs: 0,
      })),
      timeline: { durationMs: 60_000, loop, keyframes: [...keyTimes].sort((a, b) => a - b).map((timeMs, i) => ({ id: `k${i + 1}`, timeMs, look: looks[i]!, curve })) },
    }));

  /** Never throws, always a result of the declared shape. */
  const expectResult = (text: string) => {
    const parsed = parseShowFile(text);
    expect(typeof parsed.ok).toBe('boolean');
    if (!parsed.ok) {
      expect(typeof parsed.error.field).toBe('string');
      expect(typeof parsed.error.message).toBe('string');
      expect(parsed.error.line === null || (Number.isInteger(parsed.error.line) && parsed.error.line >= 1)).toBe(true);
    } else {
      expect(showSchema.safeParse(parsed.show).success).toBe(true);
    }
    return parsed;
  };

  /** Every path to a value in a JSON document. */
  const pathsOf = (value: unknown, at: (string | number)[] = []): (string | number)[][] => {
    const here = [at];
    if (Array.isArray(value)) return here.concat(...value.map((v, i) => pathsOf(v, [...at, i])));
    if (value && typeof value === 'object') return here.concat(...Object.entries(value).map(([k, v]) => pathsOf(v, [...at, k])));
    return here;
  };
  const replaceAt = (doc: unknown, at: (string | number)[], value: unknown): unknown => {
    if (at.length === 0) return value;
    const copy = structuredClone(doc) as Record<string | number, unknown>;
    let node = copy;
    for (const step of at.slice(0, -1)) node = node[step] as Record<string | number, unknown>;
    node[at.at(-1)!] = value;
    return copy;
  };

  it('a valid document round-trips', () => {
    fc.assert(
      fc.property(showArb, (show) => {
        const parsed = expectResult(serializeShow(show));
        expect(parsed.ok).toBe(true);
        if (parsed.ok) expect(parsed.show).toEqual(show);
      }),
      { numRuns: 200 },
    );
  });

  it('wrong types anywhere in a valid document give an error or a valid show, never a throw', () => {
    fc.assert(
      fc.property(showArb, fc.nat(), fc.jsonValue({ maxDepth: 3 }), (show, pick, value) => {
        const paths = pathsOf(show);
        expectResult(JSON.stringify(replaceAt(show, paths[pick % paths.length]!, value), null, 2));
      }),
      { numRuns: 300 },
    );
  });

  it('cut, spliced and random text gives an error value, never a throw, and never quotes the text', () => {
    fc.assert(
      fc.property(showArb, fc.nat(), fc.nat(), fc.string({ maxLength: 8 }), (show, from, length, insert) => {
        const text = serializeShow(show);
        const at = from % (text.length + 1);
        expectResult(text.slice(0, at) + insert + text.slice(at + (length % 20)));
      }),
      { numRuns: 300 },
    );
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (text) => {
        const parsed = expectResult(`\u00a7${text}`);
        if (!parsed.ok) expect(parsed.error.message).not.toContain('\u00a7');
      }),
      { numRuns: 200 },
    );
  });

  it('huge and deep documents are answered as values', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 200_000 }), fc.constantFrom('[', '{"a":'), (depth, open) => {
        const close = open === '[' ? ']' : '}';
        expectResult(open.repeat(depth) + (open === '[' ? '' : '1') + close.repeat(depth));
      }),
      { numRuns: 20 },
    );
    const huge = { ...emptyShow(), cues: [], junk: 'x'.repeat(4 * 1024 * 1024) };
    expect(expectResult(JSON.stringify(huge)).ok).toBe(true); // unknown fields are dropped, not kept
    expect(expectResult(`{"version": 2, "name": "${'y'.repeat(4 * 1024 * 1024)}`).ok).toBe(false);
  });
});
