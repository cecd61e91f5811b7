/**
 * Checks of the inspector's text fields, each with the message the operator reads under
 * the field: what is wrong and what is allowed (not just a red border).
 * `null` means the field is fine.
 */
import { MAX_PROMPT_LENGTH, MAX_TRANSITION_MS, timecodeLabelSchema } from '../../../app/contract/index.js';

export const MAX_SEED = 2 ** 31 - 1;
/** Cue numbers: 1 to 12 characters (contract/show.ts). */
const MAX_NUMBER_LENGTH = 12;

export function wholeNumberProblem(label: string, text: string, max: number, unit = ''): string | null {
  const value = text.trim();
  if (/^\d+$/.test(value) && Number(value) <= max) return null;
  const range = `a whole number from 0 to ${max.toLocaleString('en-US')}${unit}`;
  return value === '' ? `${label} is empty: type ${range}.` : `${label} "${value}" is not ${range}.`;
}

export const seedProblem = (text: string) => wholeNumberProblem('Seed', text, MAX_SEED);
export const durationProblem = (label: string, text: string) => wholeNumberProblem(label, text, MAX_TRANSITION_MS, ' ms');

export function promptProblem(prompt: string): string | null {
  if (prompt.trim() === '') return 'The prompt is empty: type what the wall should show (up to 1,000 characters).';
  if (prompt.length > MAX_PROMPT_LENGTH)
    return `The prompt is ${prompt.length.toLocaleString('en-US')} characters: at most ${MAX_PROMPT_LENGTH.toLocaleString('en-US')}. Shorten it; nothing was cut.`;
  return null;
}

export function cueNumberProblem(text: string, otherNumbers: readonly string[]): string | null {
  const value = text.trim();
  if (value === '') return 'The cue number is empty: type 1 to 12 characters, e.g. 3 or 2.5.';
  if (value.length > MAX_NUMBER_LENGTH) return `The cue number is ${value.length} characters: at most ${MAX_NUMBER_LENGTH}.`;
  if (/\s/.test(value)) return 'A cue number has no spaces (it is an address: /cue/N/fire).';
  if (otherNumbers.includes(value)) return `Cue number ${value} is taken by another cue: numbers are unique.`;
  return null;
}

/** The timecode trigger: empty (GO only) or HH:MM:SS:FF. */
export function timecodeProblem(text: string): string | null {
  const value = text.trim();
  if (value === '' || timecodeLabelSchema.safeParse(value).success) return null;
  return `Timecode "${value}" is not HH:MM:SS:FF (e.g. 00:01:30:00); leave it empty to fire on GO only.`;
}

export function notesProblem(text: string): string | null {
  return text.length > 4000 ? `Notes are ${text.length.toLocaleString('en-US')} characters: at most 4,000.` : null;
}
