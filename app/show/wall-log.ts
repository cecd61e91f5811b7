/**
 * The wall log: what was on the wall when, for continuity between takes. One
 * entry per look that went to the generator (cue fired, timeline segment, live
 * edit, panic). Pure: the engine stamps the times and keeps the entries.
 */
import type { Transition } from '../contract/commands.js';

export interface WallLogEntry {
  /** Wall-clock ms (Date.now()) when the look started. */
  atMs: number;
  /** Time-of-day timecode HH:MM:SS:FF at the output rate, for matching against camera timecode. */
  timecode: string;
  lookId: number;
  source: 'cue' | 'timeline' | 'live' | 'panic';
  cueNumber: string;
  cueName: string;
  prompt: string;
  negativePrompt: string;
  seed: number;
  transition: Transition;
  /** Panic mode in force ('none' when the picture is live). */
  output: string;
  /**
   * Frame lock: the output grid tick k the look was due on air from (a scheduled action:
   * its tick, the same on every node; else the next tick when it was applied). Absent: unknown.
   */
  tick?: number;
  /** The external timecode chased when the look started (HH:MM:SS:FF), absent when not chasing. */
  chaseTimecode?: string;
}

/** Non-drop-frame timecode of `ms` since midnight at `fps` frames per second (rounded: 29.97 -> 30). */
export function formatTimecode(msOfDay: number, rate: { num: number; den: number }): string {
  const fps = Math.max(1, Math.round(rate.num / rate.den));
  const totalFrames = Math.floor((Math.max(0, msOfDay) * fps) / 1000);
  const frames = totalFrames % fps;
  const totalSeconds = Math.floor(totalFrames / fps);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(Math.floor(totalSeconds / 3600) % 24)}:${pad(Math.floor(totalSeconds / 60) % 60)}:${pad(totalSeconds % 60)}:${pad(frames)}`;
}

/** RFC 4180 field: quoted when it holds a comma, quote or line break; a leading =+-@ is neutralised (spreadsheet formula injection). */
export function csvField(value: string | number): string {
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export const WALL_LOG_COLUMNS = [
  'time_utc',
  'timecode',
  'look_id',
  'source',
  'cue_number',
  'cue_name',
  'prompt',
  'negative_prompt',
  'seed',
  'transition_ms',
  'curve',
  'output',
  'tick',
  'chase_timecode',
] as const;

export function wallLogCsv(entries: readonly WallLogEntry[]): string {
  const rows = entries.map((e) =>
    [
      new Date(e.atMs).toISOString(),
      e.timecode,
      e.lookId,
      e.source,
      e.cueNumber,
      e.cueName,
      e.prompt,
      e.negativePrompt,
      e.seed,
      Math.round(e.transition.durationMs),
      e.transition.curve,
      e.output,
      e.tick ?? '',
      e.chaseTimecode ?? '',
    ]
      .map(csvField)
      .join(','),
  );
  return `${[WALL_LOG_COLUMNS.join(','), ...rows].join('\r\n')}\r\n`;
}
