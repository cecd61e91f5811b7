/**
 * A display output's presented-frame cadence in the real Chromium (issue 17): the
 * output page (/output.html) against the real engine, measured from inside the page.
 * A requestAnimationFrame loop stamps every animation frame the page gets, and notes
 * the ones in which the page painted a new engine frame (its `data-drawn` count moved:
 * the page paints in its own animation-frame callback, registered before this one).
 * Printed as `BENCH` lines (speed is never asserted here; the machine is shared):
 *  display_raf_fps, display_raf_interval_p99_ms: the page's own animation frames;
 *  display_shown_fps, display_shown_interval_p99_ms, display_shown_late_intervals
 *  (> 1.5x the output period): frames the page showed; display_received_fps: frames
 *  that reached it. BENCH_DISPLAY_SECONDS (default 10).
 */
import { connectTestClient } from '../helpers/engine-client.js';
import { expect, openConsole, test, waitForLivePicture } from './fixtures.js';

const SECONDS = Number(process.env.BENCH_DISPLAY_SECONDS ?? 10);

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? NaN;
}
const print = (name: string, value: number, unit: string) => console.log(`BENCH ${name} ${Number.isInteger(value) ? value : value.toFixed(2)} ${unit}`);

test('a display output page: the cadence of the frames it shows, measured in the page (BENCH lines)', async ({ page, engine, context }) => {
  test.setTimeout(60_000 + SECONDS * 1000);
  await openConsole(page, engine);
  await waitForLivePicture(page);
  const client = await connectTestClient(`${engine.url.replace(/^http/, 'ws')}ws`);
  try {
    expect((await client.connection.send({ type: 'addDisplayOutput', name: 'Cadence wall', width: 960, height: 540 })).ok).toBe(true);
    const output = await context.newPage();
    await output.setViewportSize({ width: 960, height: 540 });
    await output.goto(`${engine.url}output.html?output=display-1`);
    await expect.poll(async () => Number(await output.evaluate(() => document.body.dataset.frames ?? '0')), { timeout: 15_000 }).toBeGreaterThan(10);
    // The console page would share the two cores: only the output page runs while measuring.
    await page.close();
    const measured = await output.evaluate(
      (seconds) =>
        new Promise<{ raf: number[]; shown: number[]; received: number; ms: number }>((resolve) => {
          const raf: number[] = [];
          const shown: number[] = [];
          const count = (key: 'drawn' | 'frames') => Number(document.body.dataset[key] ?? '0');
          let lastDrawn = count('drawn');
          const received0 = count('frames');
          const t0 = performance.now();
          const step = (t: number) => {
            raf.push(t);
            const drawn = count('drawn');
            if (drawn !== lastDrawn) shown.push(t);
            lastDrawn = drawn;
            if (t - t0 < seconds * 1000) requestAnimationFrame(step);
            else resolve({ raf, shown, received: count('frames') - received0, ms: t - t0 });
          };
          requestAnimationFrame(step);
        }),
      SECONDS,
    );
    const state = client.events.filter((e) => e.kind === 'state').at(-1);
    const rate = state?.kind === 'state' ? state.state.outputs.find((o) => o.id === 'display-1')?.rate : undefined;
    const periodMs = rate ? (1000 * rate.den) / rate.num : 1000 / 29.97;
    const intervals = (times: number[]) => times.slice(1).map((t, i) => t - (times[i] as number));
    const rafIntervals = intervals(measured.raf);
    const shownIntervals = intervals(measured.shown);
    const seconds = measured.ms / 1000;
    print('display_raf_fps', measured.raf.length / seconds, 'fps');
    print('display_raf_interval_p99_ms', percentile(rafIntervals, 99), 'ms');
    print('display_shown_fps', measured.shown.length / seconds, 'fps');
    print('display_shown_interval_p99_ms', percentile(shownIntervals, 99), 'ms');
    print('display_shown_late_intervals', shownIntervals.filter((x) => x > 1.5 * periodMs).length, 'intervals');
    print('display_received_fps', measured.received / seconds, 'fps');
    console.log(`# display output 960x540 at ${(1000 / periodMs).toFixed(2)} fps over ${seconds.toFixed(1)} s in headless Chromium`);
    // Behaviour, not speed: the page got frames and showed them, never more than one per animation frame.
    expect(measured.received).toBeGreaterThan(0);
    expect(measured.shown.length).toBeGreaterThan(0);
    expect(measured.shown.length).toBeLessThanOrEqual(measured.raf.length);
    await output.close();
  } finally {
    client.close();
  }
});
