/**
 * While the engine is lost (its connection closed) or silent (no state for a few seconds):
 * a banner that says since when, and that every figure on the console is from then. The
 * console root's is-stale class greys every live figure under it.
 */
import { useConsoleSnapshot } from '../engine-context.js';
import { staleSentence } from '../live-labels.js';
import './live-state.css';

export function StaleBanner() {
  const { stale, connection } = useConsoleSnapshot();
  if (!stale) return null;
  return (
    <div className="stale-banner" role="alert" data-testid="stale-banner">
      <strong>{staleSentence(stale)}</strong>
      <span>
        {stale.reason === 'lost'
          ? `What the wall shows now is not known here. ${connection === 'connecting' ? 'Reconnecting…' : 'The console reconnects by itself.'}`
          : 'The engine is connected but not answering.'}
      </span>
    </div>
  );
}
