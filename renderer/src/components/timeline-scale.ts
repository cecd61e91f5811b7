/**
 * Pure helpers for the timeline's ruler and labels: which tick spacing fits the zoomed width, and how
 * a time reads. Times are ms; widths are CSS px.
 */

/** Tick spacings the ruler may use, ms: the smallest whose labels are at least MIN_LABEL_PX apart wins. */
const STEPS_MS = [100, 200, 500, 1_000, 2_000, 5_000, 10_000, 15_000, 30_000, 60_000, 120_000, 300_000, 600_000, 900_000, 1_800_000, 3_600_000];
/** Room for a "12:34" label and some air. */
export const MIN_LABEL_PX = 56;

export interface Tick {
  timeMs: number;
  /** Major ticks carry a time label; minor ones are a short line between them. */
  major: boolean;
}

/** Ticks for a track `widthPx` wide showing `durationMs`: labelled majors, unlabelled minors between them. */
export function ticksFor(durationMs: number, widthPx: number): { ticks: Tick[]; stepMs: number } {
  if (durationMs <= 0 || widthPx <= 0) return { ticks: [{ timeMs: 0, major: true }], stepMs: 1_000 };
  const pxPerMs = widthPx / durationMs;
  const stepMs = STEPS_MS.find((s) => s * pxPerMs >= MIN_LABEL_PX) ?? STEPS_MS[STEPS_MS.length - 1]!;
  // Five minors per major where the step is 5-based (500 ms, 5 s, 15 s...), else two.
  const minorsPer = String(stepMs).startsWith('5') || String(stepMs).startsWith('15') ? 5 : 2;
  const minorMs = stepMs / minorsPer;
  const ticks: Tick[] = [];
  for (let i = 0; i * minorMs <= durationMs + 1e-6; i++) ticks.push({ timeMs: Math.round(i * minorMs), major: i % minorsPer === 0 });
  return { ticks, stepMs };
}

/** "m:ss" (whole seconds) or "m:ss.s"; hours roll into minutes ("75:00"), as a show clock reads. */
export function formatTime(ms: number, tenths: boolean): string {
  // Round to what is shown first, so 59.96 s reads 1:00.0, never 0:60.0.
  const clamped = tenths ? Math.round(Math.max(0, ms) / 100) * 100 : Math.floor(Math.max(0, ms) / 1000) * 1000;
  const minutes = Math.floor(clamped / 60_000);
  const seconds = (clamped - minutes * 60_000) / 1000;
  const secondsText = tenths ? seconds.toFixed(1).padStart(4, '0') : String(Math.floor(seconds)).padStart(2, '0');
  return `${minutes}:${secondsText}`;
}
