import { describe, expect, it } from 'vitest';
import { oscToCommand } from '../../../../app/engine/control/osc-map.js';
import { RateLimiter } from '../../../../app/engine/control/rate-limit.js';

const i = (value: number) => ({ type: 'integer', value });
const f = (value: number) => ({ type: 'float', value });
const s = (value: string) => ({ type: 'string', value });

describe('OSC address map', () => {
  it('maps the documented addresses onto contract commands', () => {
    expect(oscToCommand('/cyclorama/go', [])).toEqual({ kind: 'command', command: { type: 'go' } });
    expect(oscToCommand('/cyclorama/cue/fire', [i(3)])).toEqual({ kind: 'command', command: { type: 'fireCue', number: '3' } });
    expect(oscToCommand('/cyclorama/cue/2.5/fire', [])).toEqual({ kind: 'command', command: { type: 'fireCue', number: '2.5' } });
    expect(oscToCommand('/cyclorama/panic/black', [f(1500)])).toEqual({ kind: 'command', command: { type: 'panic', mode: 'black', fadeMs: 1500 } });
    expect(oscToCommand('/cyclorama/panic/plate', [])).toEqual({ kind: 'command', command: { type: 'panic', mode: 'safe-plate' } });
    expect(oscToCommand('/cyclorama/prompt', [s('dunes'), i(800)])).toEqual({ kind: 'command', command: { type: 'setPrompt', prompt: 'dunes', transition: { durationMs: 800 } } });
    expect(oscToCommand('/cyclorama/timeline/seek', [f(1.25)])).toEqual({ kind: 'command', command: { type: 'timelineSeek', positionMs: 1250 } });
    expect(oscToCommand('/cyclorama/seed', [s('12')])).toEqual({ kind: 'command', command: { type: 'setSeed', seed: 12 } });
  });

  it('maps /still onto saveStill with its folder, and refuses it without one', () => {
    expect(oscToCommand('/cyclorama/still', [s('/shows/stills')])).toEqual({ kind: 'command', command: { type: 'saveStill', folder: '/shows/stills' } });
    expect(oscToCommand('/cyclorama/still', [])).toMatchObject({ kind: 'error', code: 'invalid-message', message: expect.stringContaining('folder') });
    expect(oscToCommand('/cyclorama/still', [i(1)])).toMatchObject({ kind: 'error', code: 'invalid-message' });
  });

  it('maps output selection by name, with 1/0 or true/false and a toggle', () => {
    const select = (output: string, live: boolean | 'toggle') => ({ kind: 'command', command: { type: 'selectOutput', output, live } });
    expect(oscToCommand('/cyclorama/output/select', [s('Wall A')])).toEqual(select('Wall A', true));
    expect(oscToCommand('/cyclorama/output/select', [s('Wall A'), i(0)])).toEqual(select('Wall A', false));
    expect(oscToCommand('/cyclorama/output/select', [s('ndi-2'), { type: 'true', value: true }])).toEqual(select('ndi-2', true));
    expect(oscToCommand('/cyclorama/output/select', [s('Wall A'), { type: 'false', value: false }])).toEqual(select('Wall A', false));
    expect(oscToCommand('/cyclorama/output/toggle', [s('Ceiling')])).toEqual(select('Ceiling', 'toggle'));
    expect(oscToCommand('/cyclorama/output/select', [])).toMatchObject({ kind: 'error', code: 'invalid-message' });
    expect(oscToCommand('/cyclorama/output/select', [s('Wall A'), s('on')])).toMatchObject({ kind: 'error', code: 'invalid-message' });
  });

  it('maps the live input addresses: an NDI source by name (optional fit), a still, the program, clear, strength', () => {
    const set = (command: object) => ({ kind: 'command', command: { type: 'setInput', ...command } });
    expect(oscToCommand('/cyclorama/input/ndi', [s('STAGE (Unreal)')])).toEqual(set({ input: { source: { kind: 'ndi', name: 'STAGE (Unreal)' } } }));
    expect(oscToCommand('/cyclorama/input/ndi', [s('CAM'), s('crop')])).toEqual(set({ input: { source: { kind: 'ndi', name: 'CAM' }, fit: 'crop' } }));
    expect(oscToCommand('/cyclorama/input/image', [s('/plates/set.png')])).toEqual(set({ input: { source: { kind: 'image', path: '/plates/set.png' } } }));
    expect(oscToCommand('/cyclorama/input/program', [])).toEqual(set({ input: { source: { kind: 'program' } } }));
    expect(oscToCommand('/cyclorama/input/clear', [])).toEqual(set({ input: null }));
    expect(oscToCommand('/cyclorama/input/strength', [f(0.25)])).toEqual(set({ strength: 0.25 }));
    expect(oscToCommand('/cyclorama/input/ndi', [])).toMatchObject({ kind: 'error', code: 'invalid-message', message: expect.stringMatching(/NDI source name/) });
    expect(oscToCommand('/cyclorama/input/ndi', [s('CAM'), s('stretch')])).toMatchObject({
      kind: 'error',
      code: 'invalid-message',
      message: expect.stringMatching(/fill, fit or crop/),
    });
    expect(oscToCommand('/cyclorama/input/strength', [s('lots')])).toMatchObject({ kind: 'error', code: 'invalid-message' });
  });

  it('maps the fader addresses: master, strength, crossfade (0..1), transition in seconds, input select by position', () => {
    const command = (c: object) => ({ kind: 'command', command: c });
    expect(oscToCommand('/cyclorama/master', [f(0.5)])).toEqual(command({ type: 'setMasterLevel', level: 0.5 }));
    expect(oscToCommand('/cyclorama/strength', [f(0.25)])).toEqual(command({ type: 'setStrength', strength: 0.25 }));
    expect(oscToCommand('/cyclorama/crossfade', [s('1')])).toEqual(command({ type: 'crossfade', position: 1 }));
    expect(oscToCommand('/cyclorama/transition', [f(1.5)])).toEqual(command({ type: 'setTransitionTime', durationMs: 1500 }));
    expect(oscToCommand('/cyclorama/input/select', [i(2)])).toEqual(command({ type: 'selectInput', index: 2 }));
    expect(oscToCommand('/cyclorama/master', [])).toMatchObject({ kind: 'error', code: 'invalid-message', message: expect.stringMatching(/number from 0 to 1/) });
  });

  it('maps /record/start (optional folder and codec; a 1/0 button press starts with the last choice) and /record/stop', () => {
    const start = (command: object) => ({ kind: 'command', command: { type: 'startRecording', ...command } });
    expect(oscToCommand('/cyclorama/record/start', [])).toEqual(start({}));
    expect(oscToCommand('/cyclorama/record/start', [i(1)])).toEqual(start({}));
    expect(oscToCommand('/cyclorama/record/start', [i(0)])).toEqual({ kind: 'release' });
    expect(oscToCommand('/cyclorama/record/start', [s('/media/takes')])).toEqual(start({ folder: '/media/takes' }));
    expect(oscToCommand('/cyclorama/record/start', [s('/media/takes'), s('prores-mov')])).toEqual(start({ folder: '/media/takes', codec: 'prores-mov' }));
    expect(oscToCommand('/cyclorama/record/start', [{ type: 'blob', value: new Uint8Array(1) }])).toMatchObject({ kind: 'error', code: 'invalid-message' });
    expect(oscToCommand('/cyclorama/record/stop', [])).toEqual({ kind: 'command', command: { type: 'stopRecording' } });
    expect(oscToCommand('/cyclorama/record/stop', [i(0)])).toEqual({ kind: 'release' });
  });

  it('treats 0/false on a trigger as a button release', () => {
    expect(oscToCommand('/cyclorama/go', [i(0)]).kind).toBe('release');
    expect(oscToCommand('/cyclorama/go', [{ type: 'false', value: false }]).kind).toBe('release');
    expect(oscToCommand('/cyclorama/go', [f(1)]).kind).toBe('command');
  });

  it('refuses unknown addresses and wrong argument types', () => {
    expect(oscToCommand('/other/go', [])).toMatchObject({ kind: 'error', code: 'not-found' });
    expect(oscToCommand('/cyclorama/go/now', [])).toMatchObject({ kind: 'error', code: 'not-found' });
    expect(oscToCommand('/cyclorama/prompt', [i(3)])).toMatchObject({ kind: 'error', code: 'invalid-message' });
    expect(oscToCommand('/cyclorama/seed', [{ type: 'true', value: true }])).toMatchObject({ kind: 'error' });
    expect(oscToCommand('/cyclorama/go', [{ type: 'blob', value: new DataView(new ArrayBuffer(4)) }])).toMatchObject({ kind: 'error' });
  });
});

describe('rate limiter', () => {
  it('allows a burst, then the sustained rate, per key', () => {
    const limiter = new RateLimiter({ perSecond: 10, burst: 5 });
    const takes = (key: string, at: number, n: number) => Array.from({ length: n }, () => limiter.take(key, at)).filter(Boolean).length;
    expect(takes('a', 0, 20)).toBe(5);
    expect(takes('b', 0, 2)).toBe(2); // its own bucket
    expect(takes('a', 500, 20)).toBe(5); // 0.5 s at 10/s
    expect(takes('a', 600, 20)).toBe(1);
    expect(limiter.refused).toBe(15 + 15 + 19);
  });

  it('forgets the least recently used keys beyond its bound', () => {
    const limiter = new RateLimiter({ perSecond: 1, burst: 1, maxKeys: 2 });
    limiter.take('a', 0);
    limiter.take('b', 0);
    limiter.take('c', 0); // 'a' forgotten: it gets a full bucket again
    expect(limiter.take('a', 0)).toBe(true);
    expect(limiter.take('c', 0)).toBe(false);
  });
});
