/** Number formatting for the status strip: fixed widths so figures never shift the layout. */
import type { OutputStatus } from '../../app/contract/index.js';

/** Frames per second with one decimal, e.g. "49.9"; an en dash when unknown. */
export function formatFps(fps: number | null | undefined): string {
  return fps === null || fps === undefined || !Number.isFinite(fps) ? '–' : fps.toFixed(1);
}

/** Milliseconds as an integer, e.g. "184 ms". */
export function formatMs(ms: number | null | undefined): string {
  return ms === null || ms === undefined || !Number.isFinite(ms) ? '–' : `${Math.round(ms)} ms`;
}

/** A rational output rate as operators say it: 60000/1001 -> "59.94", 50/1 -> "50". */
export function formatRate(rate: OutputStatus['rate']): string {
  const value = rate.num / rate.den;
  return Number.isInteger(value) ? String(value) : value.toFixed(2);
}

/** Counts with thousands separators, e.g. "12,345". */
export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

/** Wall-clock time of day, HH:MM:SS, 24 h: what a show log uses. */
export function formatClock(ms: number): string {
  return new Date(ms).toLocaleTimeString('en-GB', { hour12: false });
}

/**
 * The word beside an output's fps, so its state never rests on colour alone (issue 16):
 * OK at 95% of its clock or more, LOW under it, FAILED when the output failed; nothing when stopped.
 */
export function outputStateWord(tone: 'ok' | 'warn' | 'bad' | 'idle'): string {
  return tone === 'ok' ? 'OK' : tone === 'warn' ? 'LOW' : tone === 'bad' ? 'FAILED' : '';
}
