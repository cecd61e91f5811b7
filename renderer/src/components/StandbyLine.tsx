/**
 * The standby line under GO: the cue the next GO fires ("Standby: Q4 Forest dawn") and,
 * when automation is armed, a countdown ("Q5 follows in 3.2 s"). The fire time is the
 * engine's (state.show.pendingFollow, engine wall-clock ms); the console only counts down to it.
 */
import { useEffect, useState } from 'react';
import { useConsoleSnapshot } from '../engine-context.js';
import { cueById, cueLabel, secondsUntil } from '../live-labels.js';
import './live-state.css';

/** Countdown refresh, ms: tenths of a second are shown. */
const TICK_MS = 100;

/** Re-renders every TICK_MS while `active`, returning Date.now(). */
function useNow(active: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => setNow(Date.now()), TICK_MS);
    return () => clearInterval(timer);
  }, [active]);
  return active ? now : Date.now();
}

export function StandbyLine() {
  const { state, stale } = useConsoleSnapshot();
  const show = state?.show;
  const standby = cueById(show, show?.standbyCueId);
  const pending = stale ? null : (show?.pendingFollow ?? null);
  const now = useNow(pending !== null);
  const follower = cueById(show, pending?.cueId);

  return (
    <div className={`standby-line${stale ? ' is-stale' : ''}`} data-testid="standby-line" aria-live="polite">
      <span className="standby-text" data-testid="standby-cue">
        {standby ? `Standby: ${cueLabel(standby)}` : !show ? 'Standby: –' : show.document.cues.length === 0 ? 'Standby: none (no cues yet)' : 'Standby: none (end of the cue list)'}
      </span>
      {pending && follower ? (
        <span
          className="standby-countdown"
          data-testid="standby-countdown"
          title={pending.mode === 'auto-follow' ? 'Auto-follow: after the transition and the delay' : 'Auto-continue: after the delay'}
        >
          Q{follower.number} {pending.mode === 'auto-follow' ? 'follows' : 'continues'} in {secondsUntil(pending.fireAtMs, now)}
        </span>
      ) : null}
    </div>
  );
}
