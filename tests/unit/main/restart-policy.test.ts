/** Restart policy of Electron main (app/main/restart-policy.ts): crashes restart, a crash loop stops, a deliberate stop never restarts. */
import { describe, expect, it } from 'vitest';
import { MAX_RESTARTS, RESTART_WINDOW_MS, RestartPolicy } from '../../../app/main/restart-policy.js';

describe('RestartPolicy', () => {
  it('restarts after a crash, and says it comes back where it was', () => {
    const decision = new RestartPolicy().onExit(134, 1000);
    expect(decision.restart).toBe(true);
    expect(decision.message).toMatch(/code 134.*restarting.*show, cue, model/);
  });

  it(`gives up after ${MAX_RESTARTS} crashes inside ${RESTART_WINDOW_MS} ms, and counts again once they are older`, () => {
    const policy = new RestartPolicy();
    for (let i = 0; i < MAX_RESTARTS; i++) expect(policy.onExit(1, i * 1000).restart).toBe(true);
    const loop = policy.onExit(1, MAX_RESTARTS * 1000);
    expect(loop.restart).toBe(false);
    expect(loop.message).toMatch(/6 times in 60 s; not restarting/);
    expect(policy.onExit(1, MAX_RESTARTS * 1000 + RESTART_WINDOW_MS + 1).restart).toBe(true);
  });

  it('never restarts after a deliberate stop, whatever the exit code', () => {
    const policy = new RestartPolicy();
    policy.deliberateStop();
    expect(policy.stopRequested).toBe(true);
    expect(policy.onExit(0, 0)).toEqual({ restart: false, message: 'Cyclorama engine stopped (code 0).' });
    expect(policy.onExit(139, 10).restart).toBe(false);
  });
});
