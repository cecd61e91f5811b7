/**
 * The always-visible strip across the top: is the engine there, what model on
 * what hardware, is it keeping up. Every cell has a fixed width and tabular
 * figures so numbers changing every second never move anything.
 */
import type { ReactNode } from 'react';
import type { EngineState, OutputStatus } from '../../../app/contract/index.js';
import { useConsoleSnapshot, useEngine } from '../engine-context.js';
import type { ConnectionStatus } from '../engine-store.js';
import { formatCount, formatFps, formatMs, formatRate, outputStateWord } from '../format.js';
import { staleSentence } from '../live-labels.js';
import { ModelPicker } from './ModelPicker.js';
import { RemoteControl } from './RemoteControl.js';

type Tone = 'ok' | 'warn' | 'bad' | 'idle';

/** A live figure; `stale` (the engine lost or silent) greys it whatever its tone, and says why in its title. */
function Cell(props: { label: string; tone?: Tone; testId: string; title?: string; wide?: boolean; stale?: string | null; children: ReactNode }) {
  const stale = props.stale ?? null;
  return (
    <div className={`status-cell${props.wide ? ' status-cell--wide' : ''}${stale ? ' is-stale' : ''}`} title={stale ?? props.title}>
      <span className="status-label">{props.label}</span>
      <span className={`status-value tone-${stale ? 'stale' : (props.tone ?? 'idle')}`} data-testid={props.testId} data-stale={stale ? 'true' : undefined}>
        {props.children}
      </span>
    </div>
  );
}

const CONNECTION_TEXT: Record<ConnectionStatus, string> = {
  open: 'Connected',
  connecting: 'Connecting…',
  closed: 'Disconnected',
};

function connectionTone(status: ConnectionStatus): Tone {
  return status === 'open' ? 'ok' : status === 'connecting' ? 'warn' : 'bad';
}

/** The output the wall sees: the first non-preview output, else the preview. */
function primaryOutput(state: EngineState | null): OutputStatus | undefined {
  if (!state) return undefined;
  return state.outputs.find((o) => o.kind !== 'preview' && o.kind !== 'null') ?? state.outputs[0];
}

/** An output under 95% of its clock is missing ticks: the wall stutters. */
function outputTone(o: OutputStatus | undefined): Tone {
  if (!o) return 'idle';
  if (o.status === 'failed') return 'bad';
  if (o.status === 'stopped') return 'idle';
  return o.fps >= 0.95 * (o.rate.num / o.rate.den) ? 'ok' : 'warn';
}

export function StatusStrip() {
  const { connection, state, everConnected, handshakeFailed, stale: staleSince } = useConsoleSnapshot();
  const stale = staleSince ? staleSentence(staleSince) : null;
  const { transport } = useEngine();
  const model = state?.model;
  const stats = state?.stats;
  const output = primaryOutput(state);
  const connectionText = handshakeFailed ? 'Not understood' : connection === 'closed' && everConnected ? 'Lost — retrying' : CONNECTION_TEXT[connection];
  const tone = handshakeFailed ? 'bad' : connectionTone(connection);

  return (
    <header className="status-strip" aria-label="Engine status">
      <div className="brand">Cyclorama</div>
      <Cell label="Engine" tone={tone} testId="status-connection" title={`Transport: ${transport}`}>
        <span className={`dot tone-${tone}`} aria-hidden />
        {connectionText}
      </Cell>
      <div className="status-cell status-cell--wide">
        <span className="status-label">Model</span>
        <span className="status-value tone-idle">
          <ModelPicker model={model} disabled={connection !== 'open'} />
        </span>
      </div>
      <RemoteControl control={state?.control} disabled={connection !== 'open'} />
      <Cell
        stale={stale}
        label="Runs on"
        testId="status-provider"
        tone={!model?.provider ? 'idle' : model.fallbacks.length > 0 ? 'warn' : 'ok'}
        title={model?.fallbacks.map((f) => `${f.provider}: ${f.reason}`).join('\n') || undefined}
      >
        {model?.provider ? model.provider.toUpperCase() : '–'}
      </Cell>
      <Cell stale={stale} label="Model state" testId="status-model-status" tone={!model ? 'idle' : model.status === 'running' ? 'ok' : model.status === 'loading' ? 'warn' : 'bad'}>
        {model ? model.status.toUpperCase() : '–'}
      </Cell>
      <Cell stale={stale} label="Model fps" testId="status-model-fps">
        {formatFps(stats?.modelFps)}
      </Cell>
      <Cell
        stale={stale}
        label={output ? `Out fps / ${formatRate(output.rate)}` : 'Out fps'}
        testId="status-output-fps"
        tone={outputTone(output)}
        title={state?.outputs.map((o) => `${o.name} (${o.kind}): ${o.status}, ${formatFps(o.fps)} of ${formatRate(o.rate)} fps${o.message ? ` — ${o.message}` : ''}`).join('\n')}
      >
        {formatFps(output?.fps)}
        {outputStateWord(outputTone(output)) ? ` ${outputStateWord(outputTone(output))}` : ''}
      </Cell>
      <Cell stale={stale} label="Last TTFF" testId="status-ttff">
        {formatMs(stats?.lastTtffMs)}
      </Cell>
      <Cell stale={stale} label="Dropped" testId="status-dropped" title="Generated frames replaced by a newer one before any output took them">
        {stats ? formatCount(stats.droppedFrames) : '–'}
      </Cell>
      <Cell stale={stale} label="Stale" testId="status-stale" title="Frames discarded because their look had already been replaced">
        {stats ? formatCount(stats.staleFrames) : '–'}
      </Cell>
    </header>
  );
}
