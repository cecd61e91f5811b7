/**
 * The input monitor beside Preview and Program: a small picture of what the model
 * restyles now (the 'input' frame stream, a few a second while an input is open).
 * Frames bypass React, as in ProgramMonitor.
 */
import { useCallback } from 'react';
import { useConsoleSnapshot, useEngine } from '../engine-context.js';
import { useStillCanvas } from './use-still-canvas.js';

export function InputMonitor() {
  const { connection } = useEngine();
  const { state } = useConsoleSnapshot();
  const subscribe = useCallback((listener: Parameters<typeof connection.onInputFrame>[0]) => connection.onInputFrame(listener), [connection]);
  const { canvasRef, shown } = useStillCanvas(subscribe);
  const frames = shown ?? 0;

  const rows = state?.inputs ?? [];
  const row = rows[0];
  const open = rows.length > 0;
  return (
    <section className="monitor monitor--input" aria-label="Input monitor: what the model restyles" data-testid="input-monitor" data-frames={frames}>
      <canvas ref={canvasRef} className={`monitor-canvas${open && frames > 0 ? '' : ' is-dimmed'}`} width={160} height={90} data-testid="input-canvas" />
      <div className="monitor-tally">
        <span className="tally-pill tally-pill--input">INPUT</span>
        {row ? (
          <span className="monitor-meta" data-testid="input-monitor-state">
            {row.state}
          </span>
        ) : null}
      </div>
      {!open ? (
        <div className="monitor-notice monitor-notice--small" role="status">
          <strong>No input</strong>
        </div>
      ) : null}
    </section>
  );
}
