/**
 * The health strip under the status strip, always visible: every output's measured
 * fps against its rate (each its own chip: a wall of several outputs shows them all),
 * repeated frames, NDI receivers connected, and memory (engine process RSS, machine
 * RAM used; GPU memory "n/a" unless the execution provider reports it, which none of
 * onnxruntime-node's bundled providers do). Fixed widths, tabular figures.
 */
import type { ReactNode } from 'react';
import type { OutputStatus } from '../../../app/contract/index.js';
import { useConsoleSnapshot } from '../engine-context.js';
import { formatCount, formatFps, formatRate, outputStateWord } from '../format.js';

function tone(o: OutputStatus): 'ok' | 'warn' | 'bad' | 'idle' {
  if (o.status === 'failed') return 'bad';
  if (o.status === 'stopped') return 'idle';
  return o.fps >= 0.95 * (o.rate.num / o.rate.den) ? 'ok' : 'warn';
}

function formatBytes(bytes: number): string {
  return bytes >= 10 * 1024 ** 3 ? `${(bytes / 1024 ** 3).toFixed(0)} GB` : bytes >= 1024 ** 3 ? `${(bytes / 1024 ** 3).toFixed(1)} GB` : `${Math.round(bytes / 1024 ** 2)} MB`;
}

export function HealthStrip({ children }: { children?: ReactNode }) {
  const { state, stale } = useConsoleSnapshot();
  const outputs = state?.outputs ?? [];
  const ndi = outputs.filter((o) => o.kind === 'ndi');
  const connections = ndi.reduce((n, o) => n + (o.connections ?? 0), 0);
  const repeated = outputs.reduce((n, o) => n + o.repeatedFrames, 0);
  const missed = outputs.reduce((n, o) => n + o.missedTicks, 0);
  const memory = state?.stats.memory;
  // Anything that takes over a second shows a bar: a model loading or switching, a preflight run.
  const busy = state?.model.switchingTo
    ? `Loading ${state.model.switchingTo.split(/[\\/]/).filter(Boolean).pop() ?? 'model'}…`
    : state?.model.status === 'loading'
      ? 'Loading model…'
      : state?.preflight?.running
        ? 'Preflight…'
        : null;

  return (
    <section className={`health-strip${stale ? ' is-stale' : ''}`} aria-label="Health" data-testid="health-strip">
      <div className="health-outputs" data-testid="health-outputs">
        {busy ? <span className="health-busy tone-warn">{busy}</span> : null}
        {outputs.length === 0 ? <span className="health-empty">No outputs</span> : null}
        {outputs.map((o) => (
          <span
            key={o.id}
            className={`health-chip tone-${stale ? 'stale' : tone(o)}`}
            data-stale={stale ? 'true' : undefined}
            data-testid={`health-output-${o.id}`}
            title={`${o.name} (${o.kind}): ${o.status}; ${formatCount(o.freshFrames)} fresh, ${formatCount(o.repeatedFrames)} repeated, ${formatCount(o.missedTicks)} missed ticks${o.message ? ` — ${o.message}` : ''}`}
          >
            <span className="health-chip-name">{o.kind === 'preview' ? 'Console' : o.name}</span>
            {formatFps(o.fps)}/{formatRate(o.rate)}
            {outputStateWord(tone(o)) ? ` ${outputStateWord(tone(o))}` : ''}
            {o.live === false ? <span className="health-chip-blanked"> BLANKED</span> : null}
          </span>
        ))}
      </div>
      <div className="health-cell" title="Output ticks that sent the last frame again (the model was slower than the output), all outputs">
        <span className="status-label">Repeated</span>
        <span data-testid="health-repeated">{state ? formatCount(repeated) : '–'}</span>
      </div>
      <div className="health-cell" title="Output ticks that came more than one period late and were skipped, all outputs">
        <span className="status-label">Missed</span>
        <span className={missed > 0 && !stale ? 'tone-warn' : undefined} data-testid="health-missed">
          {state ? formatCount(missed) : '–'}
        </span>
      </div>
      <div className="health-cell" title="NDI receivers connected, all NDI outputs">
        <span className="status-label">NDI rx</span>
        <span data-testid="health-ndi">{ndi.length === 0 ? '–' : formatCount(connections)}</span>
      </div>
      <div
        className="health-cell health-cell--mem"
        title={
          memory
            ? `Engine process: ${formatBytes(memory.rssBytes)} resident, ${formatBytes(memory.heapUsedBytes)} JS heap. Machine: ${formatBytes(memory.systemUsedBytes)} of ${formatBytes(memory.systemTotalBytes)} used.`
            : undefined
        }
      >
        <span className="status-label">CPU mem</span>
        <span data-testid="health-cpu-mem">{memory ? `${formatBytes(memory.rssBytes)} · ${Math.round((100 * memory.systemUsedBytes) / memory.systemTotalBytes)}%` : '–'}</span>
      </div>
      <div className="health-cell" title={memory?.gpuBytes == null ? 'Not reported: the execution provider in use does not expose GPU memory.' : undefined}>
        <span className="status-label">GPU mem</span>
        <span data-testid="health-gpu-mem">{memory?.gpuBytes != null ? formatBytes(memory.gpuBytes) : 'n/a'}</span>
      </div>
      {children}
      {busy ? (
        <div className="health-progress" role="progressbar" aria-label={busy} data-testid="health-progress">
          <span />
        </div>
      ) : null}
    </section>
  );
}
