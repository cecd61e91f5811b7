/**
 * Cues that fire at a timecode (cue.triggerTimecode, as QLab's timecode triggers).
 * Pure: the show runner gives the chased timecode (as a frame count of the chase's
 * rate) at each tick and the count it saw at the tick before.
 *
 * A trigger fires when the timecode crosses its frame running forward: the frame
 * before the tick was earlier than the trigger, the frame now is at or past it. So
 * it fires once per pass (a repeated or parked frame does not fire it again) and a
 * jump back before the trigger re-arms it. A jump forward of more than
 * MAX_TRIGGER_STEP_FRAMES (a locate, a new reel) fires nothing it skipped: that is
 * not the show playing through those frames.
 */
import type { Cue } from '../contract/show.js';
import { parseTimecode, timecodeToFrames, type TimecodeRate } from './timecode.js';

/** Most frames one tick may advance for the triggers in between to fire (the show ticks at 100 Hz; a stall of ~0.5 s still fires). */
export const MAX_TRIGGER_STEP_FRAMES = 15;

/** A cue's trigger as a frame count at `rate`; null when it has none or its label does not exist at that rate. */
export function triggerFrames(cue: Cue, rate: TimecodeRate): number | null {
  if (cue.triggerTimecode === undefined) return null;
  try {
    const { timecode, dropFrameSeparator } = parseTimecode(cue.triggerTimecode);
    // A label written for drop-frame (';') means nothing at a non-drop rate, and the reverse is read as the same label.
    if (dropFrameSeparator && !rate.dropFrame) return null;
    return timecodeToFrames(timecode, rate);
  } catch {
    return null;
  }
}

export interface DueTrigger {
  cue: Cue;
  /** The trigger's frame count at the chase's rate. */
  frames: number;
}

/** The cues whose trigger lies in (previousFrames, nowFrames], in timecode order (list order for the same frame). */
export function dueTriggers(cues: readonly Cue[], rate: TimecodeRate, previousFrames: number | null, nowFrames: number): DueTrigger[] {
  if (previousFrames === null || nowFrames <= previousFrames || nowFrames - previousFrames > MAX_TRIGGER_STEP_FRAMES) return [];
  const due: DueTrigger[] = [];
  for (const cue of cues) {
    const frames = triggerFrames(cue, rate);
    if (frames !== null && frames > previousFrames && frames <= nowFrames) due.push({ cue, frames });
  }
  return due.sort((a, b) => a.frames - b.frames);
}
