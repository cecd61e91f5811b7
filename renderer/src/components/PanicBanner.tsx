/**
 * A banner across the console while a panic is in force: which state, since when, and
 * what GO and R do now. With the console root's panic class it changes the whole console,
 * so nobody mistakes a black wall for a live one (words first; the colour only repeats them).
 */
import { useConsoleSnapshot } from '../engine-context.js';
import { goLabel, panicSentence } from '../live-labels.js';
import { SHORTCUTS } from '../shortcuts.js';
import './live-state.css';

export function PanicBanner() {
  const { state } = useConsoleSnapshot();
  if (!state || state.program.panic === 'none') return null;
  const go = goLabel(state);
  return (
    <div className={`panic-banner panic-banner--${state.program.panic}`} data-testid="panic-banner">
      <strong className="panic-banner-state">{panicSentence(state)}</strong>
      <span className="panic-banner-keys">
        {SHORTCUTS.go.label} = {go.main}
        {go.detail && go.main !== 'GO: restore' ? ` (${go.detail})` : ''} · {SHORTCUTS.restore.label} = restore
      </span>
    </div>
  );
}
