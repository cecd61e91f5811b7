/**
 * "The output never stops or goes black because the model has failed": a fake
 * device failure (injected into the real worker's runs, since no GPU can fail on
 * this machine) while the real engine streams. The outputs keep ticking on the
 * last good frame, the failure is reported, and frames resume when the model does.
 */
import { describe, expect, it } from 'vitest';
import { Engine } from '../../app/engine/engine.js';
import { readFrame } from '../../app/contract/frame-wire.js';
import { waitUntil } from '../helpers/wait.js';

describe('fake GPU failure mid-show', () => {
  it('holds the last good frame, reports the failure and recovers', async () => {
    // 30 good frames, then 6 failing runs (with the worker's back-off, ~2 s of failure).
    const engine = await Engine.start({ width: 320, height: 180, faultInjection: { afterFrames: 30, count: 6 } });
    const previews: { lookId: number; sequence: number; mean: number; at: number }[] = [];
    engine.on('preview', (message) => {
      const frame = readFrame(message);
      if (!frame) return;
      let sum = 0;
      for (let i = 0; i < frame.pixels.length; i += 4) sum += frame.pixels[i] as number;
      previews.push({ lookId: frame.header.lookId, sequence: frame.header.sequence, mean: sum / (frame.pixels.length / 4), at: performance.now() });
    });
    try {
      const waitFor = (predicate: () => boolean, timeoutMs: number) => waitUntil(predicate, { timeoutMs });
      await waitFor(() => engine.state().recentErrors.some((e) => e.code === 'model-run-failed'), 10_000);
      const failure = engine.state().recentErrors.find((e) => e.code === 'model-run-failed');
      expect(failure?.message).toMatch(/injected fault.*last good frame/);

      // While the model fails, the output clock keeps ticking at its rate.
      const ticksBefore = engine.state().outputs[0]!;
      await new Promise((r) => setTimeout(r, 1000));
      const ticksAfter = engine.state().outputs[0]!;
      const ticks = ticksAfter.freshFrames + ticksAfter.repeatedFrames - (ticksBefore.freshFrames + ticksBefore.repeatedFrames);
      expect(ticks).toBeGreaterThanOrEqual(25); // ~30 at 29.97 fps
      expect(ticksAfter.repeatedFrames).toBeGreaterThan(ticksBefore.repeatedFrames); // the last good frame, again
      expect(ticksAfter.missedTicks - ticksBefore.missedTicks).toBeLessThanOrEqual(2);

      // The picture on the console never went black.
      expect(previews.length).toBeGreaterThan(10);
      expect(Math.min(...previews.map((p) => p.mean))).toBeGreaterThan(10);

      // The model comes back: new frames flow again.
      const generatedAtFailure = engine.state().stats.generatedFrames;
      await waitFor(() => engine.state().stats.generatedFrames > generatedAtFailure + 10, 15_000);
      expect(engine.state().model.status).toBe('running');
    } finally {
      await engine.stop();
    }
  }, 40_000);
});
