/** GO: fires the standby cue. The biggest target on the screen, on purpose. */
import { SHORTCUTS } from '../shortcuts.js';
import { Kbd } from './Kbd.js';

export function GoButton({ onGo, disabled }: { onGo: () => void; disabled: boolean }) {
  return (
    <button type="button" className="button button--go" data-testid="go-button" disabled={disabled} onClick={onGo}>
      <span className="go-label">GO</span>
      <Kbd>{SHORTCUTS.go.label}</Kbd>
    </button>
  );
}
