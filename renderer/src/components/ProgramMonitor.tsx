/**
 * The program monitor: the live preview frames, drawn straight from the
 * connection into a canvas. Frames bypass React (50+ per second); React only
 * renders the overlays that change a few times a second at most.
 */
import { useEffect, useRef, useState } from 'react';
import { useConsoleSnapshot, useEngine } from '../engine-context.js';
import { SHORTCUTS } from '../shortcuts.js';
import { cueById, cueLabel, staleSentence } from '../live-labels.js';
import './live-state.css';

/** No frame for this long means the preview is not live any more (ms). */
const NO_SIGNAL_AFTER_MS = 1000;
/** How often the overlay re-checks frame age and preview rate (ms). */
const WATCH_INTERVAL_MS = 250;

interface PreviewInfo {
  live: boolean;
  width: number;
  height: number;
  /** Preview frames received per second, measured here (what this console sees). */
  fps: number;
}

/** Subscribes to frames and paints the newest one per animation frame (latest wins). */
function useProgramCanvas(canvasRef: React.RefObject<HTMLCanvasElement | null>): PreviewInfo {
  const { connection } = useEngine();
  const [info, setInfo] = useState<PreviewInfo>({ live: false, width: 0, height: 0, fps: 0 });

  useEffect(() => {
    const canvas = canvasRef.current;
    const ctx = canvas?.getContext('2d', { alpha: false });
    if (!canvas || !ctx) return;
    let image: ImageData | null = null;
    let painted = true;
    let raf = 0;
    let lastFrameAt = -Infinity;
    let framesThisWindow = 0;
    let windowStart = performance.now();

    const paint = () => {
      raf = 0;
      if (!image || painted) return;
      // Setting width/height clears the canvas, so only when the frame size changes.
      if (canvas.width !== image.width || canvas.height !== image.height) {
        canvas.width = image.width;
        canvas.height = image.height;
      }
      ctx.putImageData(image, 0, 0);
      painted = true;
    };

    const unsubscribe = connection.onFrame((header, rgba) => {
      // The pixel view is only valid during this call: copy into a reused ImageData.
      if (!image || image.width !== header.width || image.height !== header.height) {
        image = new ImageData(header.width, header.height);
      }
      image.data.set(rgba);
      painted = false;
      lastFrameAt = performance.now();
      framesThisWindow++;
      if (!raf) raf = requestAnimationFrame(paint);
    });

    const watch = setInterval(() => {
      const t = performance.now();
      const live = t - lastFrameAt < NO_SIGNAL_AFTER_MS;
      let fps: number | undefined;
      if (t - windowStart >= 1000) {
        fps = (framesThisWindow * 1000) / (t - windowStart);
        framesThisWindow = 0;
        windowStart = t;
      }
      const width = image?.width ?? 0;
      const height = image?.height ?? 0;
      setInfo((prev) =>
        prev.live === live && prev.width === width && prev.height === height && (fps === undefined || fps === prev.fps) ? prev : { live, width, height, fps: fps ?? prev.fps },
      );
    }, WATCH_INTERVAL_MS);

    return () => {
      unsubscribe();
      clearInterval(watch);
      if (raf) cancelAnimationFrame(raf);
    };
  }, [connection, canvasRef]);

  return info;
}

/** What Program names: the cue on air ("Q3 Sunset"), the timeline, or a live prompt. */
function programName(state: NonNullable<ReturnType<typeof useConsoleSnapshot>['state']>): string {
  const show = state.show;
  const cue = cueById(show, show?.onAirCueId);
  if (cue) return cueLabel(cue);
  if (show?.driver === 'timeline') return 'Timeline';
  return 'Live prompt (no cue)';
}

export function ProgramMonitor() {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const preview = useProgramCanvas(canvasRef);
  const { state, connection, handshakeFailed, everConnected, stale } = useConsoleSnapshot();
  const panic = state?.program.panic ?? 'none';
  const model = state?.model;

  // One centred message at most, the most important first.
  let notice: { title: string; detail: string; tone: 'bad' | 'warn' } | null = null;
  if (handshakeFailed) {
    notice = { title: 'Engine not understood', detail: 'Console and engine are from different builds. See the alerts.', tone: 'bad' };
  } else if (connection !== 'open') {
    // The outputs live in the engine's process: when it is gone, what the wall shows is not known here.
    notice = {
      title: everConnected ? 'Engine lost' : 'Engine not connected',
      detail: stale
        ? `${staleSentence(stale)}. What the wall shows now is not known here: look at the wall. The console reconnects by itself.`
        : 'No engine answers yet. The console connects by itself.',
      tone: 'bad',
    };
  } else if (stale) {
    notice = { title: 'Engine not answering', detail: `${staleSentence(stale)}.`, tone: 'bad' };
  } else if (model?.status === 'failed') {
    notice = {
      title: 'Model failed',
      detail: preview.width ? 'The wall is holding the last good frame. See the alerts for the cause.' : 'No frame has been made yet. See the alerts for the cause.',
      tone: 'bad',
    };
  } else if (model?.status === 'loading') {
    notice = { title: 'Loading model…', detail: `${model.name} is starting; the first frames follow shortly.`, tone: 'warn' };
  } else if (!preview.live) {
    notice = { title: 'No preview signal', detail: 'The engine is connected but sends no preview frames.', tone: 'warn' };
  }

  return (
    <section className="monitor" aria-label="Program monitor">
      <canvas ref={canvasRef} className={`monitor-canvas${notice ? ' is-dimmed' : ''}`} width={384} height={216} data-testid="program-canvas" />
      <div className="monitor-tally">
        <span className="tally-pill">PROGRAM</span>
        {state ? (
          <span className="monitor-meta program-cue" data-testid="program-cue" title={`look ${state.program.lookId}`}>
            {programName(state)}
          </span>
        ) : null}
      </div>
      {panic !== 'none' ? (
        <div className={`monitor-panic panic-${panic}`} data-testid="panic-indicator">
          {panic === 'black'
            ? 'BLACK ON WALL'
            : panic === 'safe-plate'
              ? state?.show?.document.settings.safePlate
                ? 'SAFE PLATE'
                : 'SAFE PLATE — none set, showing black'
              : 'WALL FROZEN'}{' '}
          — {SHORTCUTS.restore.label} restores
        </div>
      ) : null}
      {notice ? (
        <div className={`monitor-notice tone-${notice.tone}`} role="status">
          <strong>{notice.title}</strong>
          <span>{notice.detail}</span>
        </div>
      ) : null}
      <div className="monitor-footer" aria-hidden>
        {preview.width ? `${preview.width}×${preview.height}` : '–'} · preview {preview.fps.toFixed(0)} fps
      </div>
    </section>
  );
}
