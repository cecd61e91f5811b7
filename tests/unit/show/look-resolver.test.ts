/**
 * The one look resolver (app/show/look-resolver.ts) at explicit instants: the
 * weight of `to`, the held mix of a paused timeline, the parameter blend and its
 * rule for a name set on one side only, and agreement with resolveShow (the show
 * and the worker call the same function).
 */
import { describe, expect, it } from 'vitest';
import { commandSchema } from '../../../app/contract/commands.js';
import { showSchema } from '../../../app/contract/show.js';
import { blendParams, lookMix, lookParams, resolveLookAt, type TimedLook } from '../../../app/show/look-resolver.js';
import { resolveLook } from '../../../app/show/program.js';
import { emptyShow } from '../../../app/show/show-file.js';
import { initialShowState, reduceShow, resolveShow } from '../../../app/show/show-state.js';

const crossfade = (extra: Partial<TimedLook> = {}): TimedLook => ({
  lookId: 4,
  from: { prompt: 'dawn', seed: 1, params: { strength: 0.2, motion: 1 } },
  to: { prompt: 'dusk', seed: 2, params: { strength: 0.6, similarity: 0.9 } },
  transition: { durationMs: 1000, curve: 'linear' },
  startedAtMs: 5000,
  ...extra,
});

describe('look resolver', () => {
  it('weighs `to` by the transition curve against the clock, 1 without a source, the held mix when paused', () => {
    expect(lookMix(crossfade(), 5000)).toBe(0);
    expect(lookMix(crossfade(), 5250)).toBeCloseTo(0.25, 12);
    expect(lookMix(crossfade(), 7000)).toBe(1);
    expect(lookMix(crossfade({ from: null }), 5250)).toBe(1);
    expect(lookMix(crossfade({ holdMix: 0.7 }), 9000)).toBe(0.7);
    expect(lookMix(crossfade({ holdMix: null }), 5500)).toBeCloseTo(0.5, 12);
    expect(lookMix(crossfade({ transition: { durationMs: 1000, curve: 'ease-in' } }), 5500)).toBeCloseTo(0.125, 12);
  });

  it('blends params both sides set; a name on one side only holds its value; the source drops once done', () => {
    const mid = resolveLookAt(crossfade(), 5250);
    expect(mid.mix).toBeCloseTo(0.25, 12);
    expect(mid.from?.prompt).toBe('dawn');
    expect(mid.params.strength).toBeCloseTo(0.3, 12);
    expect(mid.params.motion).toBe(1); // from only
    expect(mid.params.similarity).toBe(0.9); // to only
    expect(resolveLookAt(crossfade(), 6000)).toEqual({ lookId: 4, from: null, to: crossfade().to, mix: 1, params: { strength: 0.6, similarity: 0.9 } });
  });

  it("the blend is blendParams of the two targets; no transition gives the target's names", () => {
    const look = crossfade();
    expect(lookParams(look.from, look.to, 0.4)).toEqual(blendParams(look.from?.params ?? {}, look.to.params ?? {}, 0.4));
    expect(blendParams({ a: 0 }, { a: 10, b: 3 }, 0.3)).toEqual({ a: 3, b: 3 });
    expect(lookParams(null, { prompt: 'x', seed: 1, params: { strength: 1 } }, 1)).toEqual({ strength: 1 });
    expect(lookParams(null, { prompt: 'x', seed: 1 }, 1)).toEqual({});
  });

  it('is what the show reports: resolveLook and resolveShow agree with it at every instant of a cue crossfade', () => {
    const show = showSchema.parse({
      ...emptyShow('Resolver'),
      cues: [
        { id: 'c1', number: '1', look: { prompt: 'dawn', seed: 1, params: { strength: 0.2 } }, transition: { durationMs: 0 } },
        { id: 'c2', number: '2', look: { prompt: 'dusk', seed: 2, params: { strength: 0.8, motion: 2 } }, transition: { durationMs: 2000, curve: 'ease-in-out' } },
      ],
    });
    let s = reduceShow(show, initialShowState(show, 0), commandSchema.parse({ type: 'go' }), 0);
    s = reduceShow(show, s, commandSchema.parse({ type: 'go' }), 1000);
    for (let t = 1000; t <= 3500; t += 125) {
      const resolved = resolveLookAt(s.program, t);
      const reported = resolveShow(show, s, t);
      expect(resolveLook(s.program, t)).toEqual(resolved);
      expect({ mix: reported.mix, from: reported.from, to: reported.to, params: reported.params }).toEqual({
        mix: resolved.mix,
        from: resolved.from,
        to: resolved.to,
        params: resolved.params,
      });
    }
  });
});
