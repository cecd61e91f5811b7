/**
 * The undo offer after a destructive edit: when the show's last edit is a delete
 * (state.show.undoLabel "delete cue 3 ..."), a bar names it and offers Undo at
 * once, saying so when the deleted cue was the live one (the wall keeps its
 * picture: deleting a cue never changes what is on air). The undo history is the
 * engine's, per show and shared by every console, so the bar goes away as soon
 * as the next undo would undo something else (another edit, an undo from another
 * console), and after UNDO_OFFER_MS.
 */
import { useEffect, useRef, useState } from 'react';
import { useConsoleSnapshot, useEngine } from '../engine-context.js';
import './confirm-action.css';

/** How long the offer stays up, ms: long enough to notice in a busy moment. Undo in the show bar stays after it. */
export const UNDO_OFFER_MS = 20_000;

interface Offer {
  label: string;
  wasLive: boolean;
}

/** "delete cue 3 "storm"" -> "Deleted cue 3 "storm"". */
function pastTense(label: string): string {
  return label.replace(/^delete /, 'Deleted ');
}

export function UndoBar({ disabled }: { disabled: boolean }) {
  const { store } = useEngine();
  const { state } = useConsoleSnapshot();
  const show = state?.show ?? null;
  const label = show?.undoLabel ?? null;
  const [offer, setOffer] = useState<Offer | null>(null);
  /** The show as last seen: which cue was live before the edit that changed the label. */
  const seen = useRef<{ label: string | null; currentCueId: string | null } | null>(null);

  useEffect(() => {
    if (!show) return;
    const before = seen.current;
    seen.current = { label, currentCueId: show.currentCueId };
    if (!before || before.label === label) return;
    if (label && /^delete cue /.test(label)) {
      const wasLive = before.currentCueId !== null && !show.document.cues.some((c) => c.id === before.currentCueId);
      setOffer({ label, wasLive });
    } else setOffer(null);
  }, [show, label]);

  useEffect(() => {
    if (!offer) return;
    const timer = setTimeout(() => setOffer(null), UNDO_OFFER_MS);
    return () => clearTimeout(timer);
  }, [offer]);

  if (!offer || offer.label !== label) return null;
  return (
    <div className="undo-bar" role="status" data-testid="undo-bar">
      <p className="undo-bar-text">
        {pastTense(offer.label)}.{offer.wasLive ? ' It was the live cue: the wall keeps its picture.' : ''}
      </p>
      <button
        type="button"
        className="button button--small"
        data-testid="undo-bar-undo"
        disabled={disabled}
        onClick={() => {
          setOffer(null);
          void store.send({ type: 'undo' });
        }}
      >
        Undo {offer.label}
      </button>
      <button type="button" className="link-button" aria-label="Dismiss" onClick={() => setOffer(null)}>
        Dismiss
      </button>
    </div>
  );
}
