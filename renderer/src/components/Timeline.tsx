/**
 * The timeline: keyframes on a track against the show clock, a playhead, and
 * transport (play/pause, stop, rate, loop). Click the track to add a keyframe
 * with the look on the wall now; drag a keyframe to move it; click one to edit
 * it (KeyframeEditor.tsx). Click the ruler to seek.
 */
import { useEffect, useRef, useState, type FormEvent, type PointerEvent as ReactPointerEvent } from 'react';
import type { Keyframe, ShowStatus } from '../../../app/contract/index.js';
import { useConsoleSnapshot, useEngine } from '../engine-context.js';
import { KeyframeEditor } from './KeyframeEditor.js';
import './show.css';

const RATES = [0.25, 0.5, 1, 2, 4];
/** Keyframe times snap to this, ms. */
const SNAP_MS = 100;

export function formatClock(ms: number): string {
  const total = Math.max(0, ms) / 1000;
  const minutes = Math.floor(total / 60);
  return `${String(minutes).padStart(2, '0')}:${(total - minutes * 60).toFixed(1).padStart(4, '0')}`;
}

/** Playhead between snapshots: extrapolated from the engine's reading with its rate. */
function usePlayhead(show: ShowStatus | undefined): number {
  const [, setFrame] = useState(0);
  const playing = show?.timeline.playing ?? false;
  useEffect(() => {
    if (!playing) return;
    let id = 0;
    const loop = () => {
      setFrame((n) => n + 1);
      id = requestAnimationFrame(loop);
    };
    id = requestAnimationFrame(loop);
    return () => cancelAnimationFrame(id);
  }, [playing]);
  if (!show) return 0;
  const { positionMs, rate, atMs } = show.timeline;
  const duration = show.document.timeline.durationMs;
  if (!playing) return positionMs;
  const raw = positionMs + (Date.now() - atMs) * rate;
  return show.document.timeline.loop && duration > 0 ? raw % duration : Math.min(raw, duration);
}

export function Timeline({ disabled }: { disabled: boolean }) {
  const { store } = useEngine();
  const { state } = useConsoleSnapshot();
  const show = state?.show;
  const timeline = show?.document.timeline;
  const duration = Math.max(1, timeline?.durationMs ?? 60_000);
  const playhead = usePlayhead(show);
  const trackRef = useRef<HTMLDivElement>(null);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [drag, setDrag] = useState<{ id: string; timeMs: number } | null>(null);
  const selected = timeline?.keyframes.find((k) => k.id === selectedId) ?? null;

  const timeAt = (clientX: number): number => {
    const rect = trackRef.current?.getBoundingClientRect();
    if (!rect || rect.width === 0) return 0;
    const t = ((clientX - rect.left) / rect.width) * duration;
    return Math.min(duration, Math.max(0, Math.round(t / SNAP_MS) * SNAP_MS));
  };

  const onTrackClick = async (event: React.MouseEvent) => {
    if (disabled || event.target !== event.currentTarget) return;
    const result = await store.send({ type: 'addKeyframe', timeMs: timeAt(event.clientX) });
    if (result.ok) {
      const keys = store.getSnapshot().state?.show?.document.timeline.keyframes ?? [];
      const newest = [...keys].sort((a, b) => Number(b.id.slice(1)) - Number(a.id.slice(1)))[0];
      setSelectedId(newest?.id ?? null);
    }
  };

  const startDrag = (event: ReactPointerEvent, key: Keyframe) => {
    event.stopPropagation();
    setSelectedId(key.id);
    (event.currentTarget as HTMLElement).setPointerCapture(event.pointerId);
    setDrag({ id: key.id, timeMs: key.timeMs });
  };
  const moveDrag = (event: ReactPointerEvent) => {
    if (drag) setDrag({ ...drag, timeMs: timeAt(event.clientX) });
  };
  const endDrag = (key: Keyframe) => {
    if (drag && drag.id === key.id && drag.timeMs !== key.timeMs) void store.send({ type: 'updateKeyframe', keyframeId: key.id, patch: { timeMs: drag.timeMs } });
    setDrag(null);
  };

  const playing = show?.timeline.playing ?? false;
  const driving = show?.driver === 'timeline';
  return (
    <section className="timeline" aria-label="Timeline" data-testid="timeline">
      <div className="timeline-transport">
        <button
          type="button"
          className={`button button--small${playing ? ' is-active' : ''}`}
          data-testid="timeline-play"
          disabled={disabled}
          onClick={() => void store.send({ type: playing ? 'timelinePause' : 'timelinePlay' })}
        >
          {playing ? 'Pause' : 'Play'}
        </button>
        <button type="button" className="button button--small" data-testid="timeline-stop" disabled={disabled} onClick={() => void store.send({ type: 'timelineStop' })}>
          Stop
        </button>
        <span
          className={`timeline-clock${driving ? ' is-driving' : ''}`}
          data-testid="timeline-position"
          title={driving ? 'The timeline drives the wall' : 'The cue list drives the wall'}
        >
          {formatClock(playhead)} / {formatClock(duration)}
        </span>
        <select
          className="input input--compact"
          aria-label="rate"
          data-testid="timeline-rate"
          value={String(show?.timeline.rate ?? 1)}
          disabled={disabled}
          onChange={(e) => void store.send({ type: 'timelineRate', rate: Number(e.target.value) })}
        >
          {RATES.map((r) => (
            <option key={r} value={String(r)}>
              {r}×
            </option>
          ))}
        </select>
        <label className="mini-field">
          <input
            type="checkbox"
            data-testid="timeline-loop"
            checked={timeline?.loop ?? false}
            disabled={disabled}
            onChange={(e) => void store.send({ type: 'updateTimeline', loop: e.target.checked })}
          />{' '}
          loop
        </label>
        <DurationField durationMs={duration} disabled={disabled} />
      </div>
      <div
        className="timeline-ruler"
        data-testid="timeline-ruler"
        onClick={(e) => !disabled && void store.send({ type: 'timelineSeek', positionMs: timeAt(e.clientX) })}
        title="Click to seek"
      >
        <div className="timeline-playhead" style={{ left: `${(playhead / duration) * 100}%` }} />
      </div>
      <div
        className="timeline-track"
        ref={trackRef}
        data-testid="timeline-track"
        onClick={(e) => void onTrackClick(e)}
        title="Click to add a keyframe with the look on the wall now"
      >
        {timeline?.keyframes.map((key) => {
          const t = drag?.id === key.id ? drag.timeMs : key.timeMs;
          return (
            <button
              key={key.id}
              type="button"
              className={`keyframe${key.id === selectedId ? ' is-selected' : ''}`}
              data-testid={`keyframe-${key.id}`}
              style={{ left: `${(t / duration) * 100}%` }}
              title={`${formatClock(t)} ${key.look.prompt}`}
              onPointerDown={(e) => startDrag(e, key)}
              onPointerMove={moveDrag}
              onPointerUp={() => endDrag(key)}
            />
          );
        })}
        <div className="timeline-playhead" style={{ left: `${(playhead / duration) * 100}%` }} />
      </div>
      {selected && <KeyframeEditor key={selected.id} keyframe={selected} disabled={disabled} onDeleted={() => setSelectedId(null)} />}
    </section>
  );
}

function DurationField({ durationMs, disabled }: { durationMs: number; disabled: boolean }) {
  const { store } = useEngine();
  const [draft, setDraft] = useState(String(durationMs / 1000));
  useEffect(() => setDraft(String(durationMs / 1000)), [durationMs]);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const seconds = Number(draft);
    if (Number.isFinite(seconds) && seconds >= 0) void store.send({ type: 'updateTimeline', durationMs: Math.round(seconds * 1000) });
  };
  return (
    <form onSubmit={submit} className="mini-field">
      length
      <input
        className="input input--compact input--number"
        data-testid="timeline-duration"
        value={draft}
        disabled={disabled}
        onChange={(e) => setDraft(e.target.value)}
        onBlur={submit}
      />
      s
    </form>
  );
}
