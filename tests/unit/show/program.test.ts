import { describe, expect, it } from 'vitest';
import { commandSchema, type CommandInput } from '../../../app/contract/commands.js';
import { applyCurve, transitionWeight } from '../../../app/show/curves.js';
import { applyCommand, initialProgram, outputLevel, resolveLook } from '../../../app/show/program.js';

const cmd = (input: CommandInput) => commandSchema.parse(input);

describe('transition curves', () => {
  it('start at 0, end at 1 and never leave [0, 1]', () => {
    for (const curve of ['linear', 'ease-in', 'ease-out', 'ease-in-out'] as const) {
      expect(applyCurve(curve, 0)).toBe(0);
      expect(applyCurve(curve, 1)).toBe(1);
      expect(applyCurve(curve, -3)).toBe(0);
      expect(applyCurve(curve, 7)).toBe(1);
      let previous = 0;
      for (let i = 1; i <= 100; i++) {
        const w = applyCurve(curve, i / 100);
        expect(w).toBeGreaterThanOrEqual(previous); // monotonic: a morph never backs up
        expect(w - previous).toBeLessThan(0.05); // continuous: no jump between 1% steps
        previous = w;
      }
    }
  });

  it('treats a zero duration as a cut', () => {
    expect(transitionWeight('linear', 0, 0)).toBe(1);
    expect(transitionWeight('ease-in-out', 500, 1000)).toBeCloseTo(0.5, 5);
  });
});

describe('program state', () => {
  it('makes a new look id for each prompt change and resolves a morph over time', () => {
    const start = initialProgram(1000, 'snow', 7);
    const next = applyCommand(start, cmd({ type: 'setPrompt', prompt: 'neon night', transition: { durationMs: 2000, curve: 'linear' } }), 5000);
    expect(next.lookId).toBe(start.lookId + 1);
    expect(resolveLook(next, 5000)).toMatchObject({ mix: 0, from: { prompt: 'snow' }, to: { prompt: 'neon night', seed: 7 } });
    expect(resolveLook(next, 6000).mix).toBeCloseTo(0.5, 5);
    expect(resolveLook(next, 7000)).toMatchObject({ mix: 1, from: null });
  });

  it('cuts when no transition is given', () => {
    const next = applyCommand(initialProgram(0), cmd({ type: 'setPrompt', prompt: 'forest' }), 10);
    expect(resolveLook(next, 10)).toMatchObject({ mix: 1, from: null, to: { prompt: 'forest' } });
  });

  it('ignores a seed that does not change', () => {
    const start = initialProgram(0, 'sky', 3);
    expect(applyCommand(start, cmd({ type: 'setSeed', seed: 3 }), 5)).toBe(start);
    expect(applyCommand(start, cmd({ type: 'setSeed', seed: 4 }), 5).lookId).toBe(start.lookId + 1);
  });

  it('fades to black over the panic fade and comes back on restore', () => {
    const black = applyCommand(initialProgram(0), cmd({ type: 'panic', mode: 'black', fadeMs: 1000 }), 2000);
    expect(outputLevel(black, 2000)).toBe(1);
    expect(outputLevel(black, 2500)).toBeCloseTo(0.5, 5);
    expect(outputLevel(black, 3500)).toBe(0);
    const restored = applyCommand(black, cmd({ type: 'restore' }), 4000);
    expect(restored.panic.mode).toBe('none');
    expect(outputLevel(restored, 4000)).toBe(1);
    // A panic does not change the look: the wall comes back to the same picture.
    expect(restored.lookId).toBe(black.lookId);
  });
});
