/**
 * The Preview monitor beside Program: a still of the standby cue, rendered by the
 * engine's second small generator when the standby changes (the 'standby' frame
 * stream), so the operator sees what GO will put on the wall. GO "takes" it: the
 * cue goes to program with its own transition, and the next standby appears here.
 * Frames bypass React, as in ProgramMonitor.
 */
import { useCallback } from 'react';
import { useConsoleSnapshot, useEngine } from '../engine-context.js';
import { useStillCanvas } from './use-still-canvas.js';
import { SHORTCUTS } from '../shortcuts.js';

export function PreviewMonitor() {
  const { connection } = useEngine();
  const { state } = useConsoleSnapshot();
  const subscribe = useCallback((listener: Parameters<typeof connection.onStandbyFrame>[0]) => connection.onStandbyFrame(listener), [connection]);
  /** Sequence of the still shown, to tell "rendered" from "waiting for the render". */
  const { canvasRef, shown } = useStillCanvas(subscribe);

  const show = state?.show;
  const cue = show?.standbyCueId ? show.document.cues.find((c) => c.id === show.standbyCueId) : undefined;
  const empty = !cue;

  return (
    <section className="monitor monitor--preview" aria-label="Preview monitor: the standby cue">
      <canvas ref={canvasRef} className={`monitor-canvas${empty || shown === null ? ' is-dimmed' : ''}`} width={384} height={216} data-testid="preview-canvas" />
      <div className="monitor-tally">
        <span className="tally-pill tally-pill--preview">PREVIEW</span>
        {cue ? (
          <span className="monitor-meta" data-testid="preview-cue">
            cue {cue.number}
          </span>
        ) : null}
      </div>
      {empty ? (
        <div className="monitor-notice monitor-notice--small tone-warn" role="status">
          <strong>No cue on standby</strong>
          <span>
            Add a cue or pick one with {SHORTCUTS.standbyPrevious.label}/{SHORTCUTS.standbyNext.label}.
          </span>
        </div>
      ) : shown === null ? (
        <div className="monitor-notice monitor-notice--small tone-warn" role="status">
          <strong>Rendering…</strong>
        </div>
      ) : null}
      {cue ? (
        <div className="monitor-footer monitor-footer--left" title={cue.look.prompt}>
          {SHORTCUTS.go.label} takes it · {cue.transition.durationMs} ms {cue.transition.curve}
        </div>
      ) : null}
    </section>
  );
}
