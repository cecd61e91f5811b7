/**
 * The input monitor beside Preview and Program: a small picture of what the model
 * restyles now (the 'input' frame stream, a few a second while an input is open).
 * Frames bypass React, as in ProgramMonitor.
 */
import { useEffect, useRef, useState } from 'react';
import { useConsoleSnapshot, useEngine } from '../engine-context.js';

export function InputMonitor() {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const { connection } = useEngine();
  const { state } = useConsoleSnapshot();
  const [frames, setFrames] = useState(0);

  useEffect(() => {
    const canvas = canvasRef.current;
    const ctx = canvas?.getContext('2d', { alpha: false });
    if (!canvas || !ctx) return;
    return connection.onInputFrame((header, rgba) => {
      if (canvas.width !== header.width || canvas.height !== header.height) {
        canvas.width = header.width;
        canvas.height = header.height;
      }
      const image = new ImageData(header.width, header.height);
      image.data.set(rgba);
      ctx.putImageData(image, 0, 0);
      setFrames(header.sequence);
    });
  }, [connection]);

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
