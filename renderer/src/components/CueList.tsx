/**
 * The cue list: standby highlighted (GO fires it), the live cue marked, BACK,
 * add/delete, and an editor for the selected cue (CueEditor.tsx). Keyboard: Space GO
 * (App), Backspace BACK, ↑/↓ move the standby.
 * Every change is a command; the engine's state is the only truth shown.
 */
import { useEffect, useRef, useState } from 'react';
import type { ShowStatus } from '../../../app/contract/index.js';
import { useConsoleSnapshot, useEngine } from '../engine-context.js';
import { SHORTCUTS } from '../shortcuts.js';
import { CueEditor } from './CueEditor.js';
import { CueThumbnail } from './CueThumbnail.js';
import { Kbd } from './Kbd.js';
import './show.css';

export function CueList({ onBack, disabled }: { onBack: () => void; disabled: boolean }) {
  const { store } = useEngine();
  const { state } = useConsoleSnapshot();
  const show: ShowStatus | undefined = state?.show;
  const cues = show?.document.cues ?? [];
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const selected = cues.find((c) => c.id === selectedId) ?? null;
  const listRef = useRef<HTMLOListElement>(null);

  // Keep the standby cue in view, as a cue-list operator expects.
  useEffect(() => {
    const row = listRef.current?.querySelector('.is-standby');
    if (row && 'scrollIntoView' in row) (row as HTMLElement).scrollIntoView({ block: 'nearest' });
  }, [show?.standbyCueId]);

  const add = async () => {
    const result = await store.send({ type: 'addCue', ...(selected ? { afterCueId: selected.id } : {}) });
    if (!result.ok) return;
    // Select the new cue: it is the one after the selection, or the last.
    const next = store.getSnapshot().state?.show?.document.cues ?? [];
    const index = selected ? next.findIndex((c) => c.id === selected.id) + 1 : next.length - 1;
    setSelectedId(next[index]?.id ?? null);
  };

  return (
    <section className="cues" aria-label="Cue list">
      <div className="panel-head">
        <h2>
          Cues <span className="cues-count">{cues.length}</span>
        </h2>
        <div className="cues-actions">
          <button type="button" className="button button--small" data-testid="back-button" disabled={disabled || !show?.currentCueId} onClick={onBack}>
            Back <Kbd>{SHORTCUTS.back.label}</Kbd>
          </button>
          <button type="button" className="button button--small" data-testid="cue-add" disabled={disabled} onClick={() => void add()} title="New cue with the look on the wall now">
            + Cue
          </button>
        </div>
      </div>
      {cues.length === 0 ? (
        <p className="cues-empty">No cues. Build a look live, then “+ Cue” records it.</p>
      ) : (
        <ol className="cue-list" data-testid="cue-list" ref={listRef}>
          {cues.map((cue) => {
            const standby = cue.id === show?.standbyCueId;
            const live = cue.id === show?.currentCueId && show?.driver === 'cues';
            return (
              <li
                key={cue.id}
                className={`cue-row${standby ? ' is-standby' : ''}${live ? ' is-live' : ''}${cue.id === selectedId ? ' is-selected' : ''}`}
                data-testid={`cue-row-${cue.number}`}
                data-standby={standby || undefined}
                style={cue.colour ? { borderLeftColor: cue.colour } : undefined}
                onClick={() => setSelectedId(cue.id)}
                onDoubleClick={() => void store.send({ type: 'standby', cueId: cue.id })}
                title="Click to edit, double-click to put on standby"
              >
                <span className="cue-state" aria-label={standby ? 'standby' : live ? 'live' : undefined}>
                  {standby ? '▶' : live ? '●' : ''}
                </span>
                <span className="cue-number">{cue.number}</span>
                <CueThumbnail look={cue.look} modelId={state?.model.id} />
                <span className="cue-text">{cue.name || cue.look.prompt}</span>
                <span className="cue-meta">
                  {(cue.transition.durationMs / 1000).toFixed(1)}s{cue.continueMode === 'auto-continue' ? ' ⤵' : cue.continueMode === 'auto-follow' ? ' ↧' : ''}
                </span>
              </li>
            );
          })}
        </ol>
      )}
      {selected && <CueEditor key={`${selected.id}`} cue={selected} disabled={disabled} onDeleted={() => setSelectedId(null)} />}
    </section>
  );
}
