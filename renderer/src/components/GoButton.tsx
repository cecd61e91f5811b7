/**
 * GO: fires the standby cue. The biggest target on the screen, on purpose. It says what
 * it will do: the cue it fires ("Q4 Forest dawn"), or during a panic "GO: restore"
 * (or "GO: restore + Q4" when the show's panicGo setting also fires the standby cue).
 */
import { useConsoleSnapshot } from '../engine-context.js';
import { goLabel } from '../live-labels.js';
import { SHORTCUTS } from '../shortcuts.js';
import { Kbd } from './Kbd.js';
import './live-state.css';

export function GoButton({ onGo, disabled }: { onGo: () => void; disabled: boolean }) {
  const { state, stale } = useConsoleSnapshot();
  const label = goLabel(state);
  const panic = state !== null && state.program.panic !== 'none';
  return (
    <button
      type="button"
      className={`button button--go${panic ? ' is-panic' : ''}${stale ? ' is-stale' : ''}`}
      data-testid="go-button"
      disabled={disabled}
      onClick={onGo}
      aria-label={`${label.main}${label.detail ? `: ${label.detail}` : ''}`}
    >
      <span className={`go-label${panic ? ' go-label--panic' : ''}`} data-testid="go-label">
        {label.main}
      </span>
      {label.detail ? (
        <span className="go-detail" data-testid="go-detail">
          {label.detail}
        </span>
      ) : null}
      <Kbd>{SHORTCUTS.go.label}</Kbd>
    </button>
  );
}
