/** The inspector's field messages (renderer/src/components/field-check.ts): what is wrong and what is allowed. */
import { describe, expect, it } from 'vitest';
import { cueNumberProblem, durationProblem, promptProblem, seedProblem, timecodeProblem } from '../../../../renderer/src/components/field-check.js';

describe('field messages say what is wrong and what is allowed', () => {
  it('numbers, prompt, timecode', () => {
    expect(seedProblem('12')).toBeNull();
    expect(seedProblem('abc')).toBe('Seed "abc" is not a whole number from 0 to 2,147,483,647.');
    expect(seedProblem('')).toBe('Seed is empty: type a whole number from 0 to 2,147,483,647.');
    expect(durationProblem('The transition', '700000')).toBe('The transition "700000" is not a whole number from 0 to 600,000 ms.');
    expect(promptProblem(' ')).toMatch(/empty/);
    expect(promptProblem('x'.repeat(3120))).toBe('The prompt is 3,120 characters: at most 1,000. Shorten it; nothing was cut.');
    expect(cueNumberProblem('2', ['1', '2'])).toBe('Cue number 2 is taken by another cue: numbers are unique.');
    expect(cueNumberProblem('2.5', ['1', '2'])).toBeNull();
    expect(cueNumberProblem('1234567890123', [])).toMatch(/at most 12/);
    expect(timecodeProblem('')).toBeNull();
    expect(timecodeProblem('00:01:30:00')).toBeNull();
    expect(timecodeProblem('1:30')).toMatch(/not HH:MM:SS:FF/);
  });
});
