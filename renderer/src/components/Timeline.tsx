/**
 * The timeline: keyframes on a track against the show clock, a ruler with ticks and time labels, a
 * playhead, zoom, and transport (play/pause, stop, rate, loop). Click the track to add a keyframe with
 * the look on the wall now; drag a keyframe to move it; click one (or Tab to it and press Enter) to
 * edit it in the editor below the track (KeyframeEditor.tsx). Click the ruler to seek.
 * The editor lives in a slot of fixed height, so opening it never moves the track: the next click
 * lands where the operator aimed. Keys (SHORTCUTS, listed by "?"): +/- zoom while the timeline has
 * focus, Ctrl+wheel zooms around the pointer; on a focused keyframe ←/→ nudge 0.1 s (Shift 1 s),
 * Enter edits, Delete asks, then deletes.
 */
import { useCallback, useEffect, useLayoutEffect, useRef, useState, type FormEvent, type KeyboardEvent as ReactKeyboardEvent, type PointerEvent as ReactPointerEvent } from 'react';
import type { Keyframe, ShowStatus } from '../../../app/contract/index.js';
import { useConsoleSnapshot, useEngine } from '../engine-context.js';
import { isTextField, matches } from '../shortcuts.js';
import { KeyframeEditor } from './KeyframeEditor.js';
import { formatTime, ticksFor } from './timeline-scale.js';
import './show.css';
import './timeline.css';

const RATES = [0.25, 0.5, 1, 2, 4];
/** Keyframe times snap to this, ms; also the fine nudge. */
const SNAP_MS = 100;
/** Shift+arrow nudge, ms. */
const COARSE_NUDGE_MS = 1_000;
/** Zoom factors of the track against the visible width (1× fits the whole duration). */
const ZOOMS = [1, 2, 4, 8, 16, 32];

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

/** Width of an element in CSS px, kept current (the ruler's ticks depend on it). */
function useWidth(ref: React.RefObject<HTMLElement | null>): number {
  const [width, setWidth] = useState(0);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    setWidth(el.getBoundingClientRect().width);
    const observer = new ResizeObserver(() => setWidth(el.getBoundingClientRect().width));
    observer.observe(el);
    return () => observer.disconnect();
  }, [ref]);
  return width;
}

export function Timeline({ disabled }: { disabled: boolean }) {
  const { store } = useEngine();
  const { state } = useConsoleSnapshot();
  const show = state?.show;
  const timeline = show?.document.timeline;
  const duration = Math.max(1, timeline?.durationMs ?? 60_000);
  const playhead = usePlayhead(show);
  const scrollRef = useRef<HTMLDivElement>(null);
  const trackRef = useRef<HTMLDivElement>(null);
  const promptRef = useRef<HTMLInputElement>(null);
  const confirmRef = useRef<HTMLButtonElement>(null);
  const keyButtons = useRef(new Map<string, HTMLButtonElement>());
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [confirmId, setConfirmId] = useState<string | null>(null);
  const [drag, setDrag] = useState<{ id: string; timeMs: number } | null>(null);
  const [zoom, setZoom] = useState(1);
  /** Where to keep a time after a zoom: that time stays at that many px from the view's left edge. */
  const zoomAnchor = useRef<{ timeMs: number; offsetPx: number } | null>(null);
  const focusPromptNext = useRef(false);
  const trackWidth = useWidth(trackRef);
  const keyframes = timeline?.keyframes ?? [];
  const selected = keyframes.find((k) => k.id === selectedId) ?? null;
  const confirming = keyframes.find((k) => k.id === confirmId) ?? null;

  const timeAt = (clientX: number): number => {
    const rect = trackRef.current?.getBoundingClientRect();
    if (!rect || rect.width === 0) return 0;
    const t = ((clientX - rect.left) / rect.width) * duration;
    return Math.min(duration, Math.max(0, Math.round(t / SNAP_MS) * SNAP_MS));
  };

  /** Zooms one step in or out, keeping the time under `clientX` (default: the middle of the view) in place. */
  const zoomBy = useCallback(
    (direction: 1 | -1, clientX?: number) => {
      const view = scrollRef.current?.getBoundingClientRect();
      const track = trackRef.current?.getBoundingClientRect();
      if (view && track && track.width > 0) {
        const x = clientX ?? view.left + view.width / 2;
        zoomAnchor.current = { timeMs: ((x - track.left) / track.width) * duration, offsetPx: x - view.left };
      }
      setZoom((z) => ZOOMS[Math.min(ZOOMS.length - 1, Math.max(0, ZOOMS.indexOf(z) + direction))]!);
    },
    [duration],
  );
  useLayoutEffect(() => {
    const anchor = zoomAnchor.current;
    const view = scrollRef.current;
    const track = trackRef.current;
    if (!anchor || !view || !track) return;
    zoomAnchor.current = null;
    view.scrollLeft = (anchor.timeMs / duration) * track.getBoundingClientRect().width - anchor.offsetPx;
  }, [zoom, duration]);
  // Ctrl+wheel zooms around the pointer. A native listener: React's wheel handlers are passive and cannot stop the page zoom.
  useEffect(() => {
    const view = scrollRef.current;
    if (!view) return;
    const onWheel = (event: WheelEvent) => {
      if (!event.ctrlKey || event.deltaY === 0) return;
      event.preventDefault();
      zoomBy(event.deltaY < 0 ? 1 : -1, event.clientX);
    };
    view.addEventListener('wheel', onWheel, { passive: false });
    return () => view.removeEventListener('wheel', onWheel);
  }, [zoomBy]);

  useEffect(() => {
    if (focusPromptNext.current && selected) {
      focusPromptNext.current = false;
      promptRef.current?.focus();
    }
  });
  useEffect(() => {
    if (confirming) confirmRef.current?.focus();
  }, [confirming]);

  const onTrackClick = async (event: React.MouseEvent) => {
    if (disabled || event.target !== event.currentTarget) return;
    const result = await store.send({ type: 'addKeyframe', timeMs: timeAt(event.clientX) });
    if (result.ok) {
      const keys = store.getSnapshot().state?.show?.document.timeline.keyframes ?? [];
      const newest = [...keys].sort((a, b) => Number(b.id.slice(1)) - Number(a.id.slice(1)))[0];
      setConfirmId(null);
      setSelectedId(newest?.id ?? null);
    }
  };

  const startDrag = (event: ReactPointerEvent, key: Keyframe) => {
    event.stopPropagation();
    setSelectedId(key.id);
    setConfirmId(null);
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

  /** Keys on a focused keyframe. Nudges start from the engine's time for it (the state is the truth). */
  const onKeyframeKey = (event: ReactKeyboardEvent, key: Keyframe) => {
    if (disabled) return;
    if (matches('keyframeNudge', event) && !event.ctrlKey && !event.altKey && !event.metaKey) {
      event.preventDefault();
      const step = (event.shiftKey ? COARSE_NUDGE_MS : SNAP_MS) * (event.code === 'ArrowLeft' ? -1 : 1);
      const timeMs = Math.min(duration, Math.max(0, key.timeMs + step));
      setSelectedId(key.id);
      if (timeMs !== key.timeMs) void store.send({ type: 'updateKeyframe', keyframeId: key.id, patch: { timeMs } });
    } else if (matches('keyframeEdit', event)) {
      event.preventDefault();
      setConfirmId(null);
      setSelectedId(key.id);
      focusPromptNext.current = true;
      if (key.id === selectedId) promptRef.current?.focus();
    } else if (matches('keyframeDelete', event)) {
      event.preventDefault();
      setSelectedId(key.id);
      setConfirmId(key.id);
    }
  };
  /** Keys anywhere in the timeline outside its text fields: zoom. */
  const onTimelineKey = (event: ReactKeyboardEvent) => {
    if (isTextField(event.target) || event.ctrlKey || event.metaKey || event.altKey) return;
    if (matches('timelineZoomIn', event) || event.key === '+') {
      event.preventDefault();
      zoomBy(1);
    } else if (matches('timelineZoomOut', event)) {
      event.preventDefault();
      zoomBy(-1);
    }
  };
  const cancelDelete = () => {
    const id = confirmId;
    setConfirmId(null);
    if (id) keyButtons.current.get(id)?.focus();
  };
  const confirmDelete = (key: Keyframe) => {
    void store.send({ type: 'deleteKeyframe', keyframeId: key.id });
    setConfirmId(null);
    setSelectedId(null);
    scrollRef.current?.focus();
  };

  const { ticks, stepMs } = ticksFor(duration, trackWidth);
  const sorted = [...keyframes].sort((a, b) => a.timeMs - b.timeMs);
  const pct = (ms: number) => `${(ms / duration) * 100}%`;
  const playing = show?.timeline.playing ?? false;
  const driving = show?.driver === 'timeline';
  return (
    <section className="timeline" aria-label="Timeline" data-testid="timeline" onKeyDown={onTimelineKey}>
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
          {driving ? <span className="timeline-driving"> DRIVING</span> : null}
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
        <span className="timeline-zoom" role="group" aria-label="Zoom">
          <button type="button" className="button button--small" data-testid="timeline-zoom-out" aria-label="Zoom out" disabled={zoom === ZOOMS[0]} onClick={() => zoomBy(-1)}>
            −
          </button>
          <span className="timeline-zoom-level" data-testid="timeline-zoom-level" title="Zoom (+/− with the timeline focused, or Ctrl+wheel)">
            {zoom}×
          </span>
          <button
            type="button"
            className="button button--small"
            data-testid="timeline-zoom-in"
            aria-label="Zoom in"
            disabled={zoom === ZOOMS[ZOOMS.length - 1]}
            onClick={() => zoomBy(1)}
          >
            +
          </button>
        </span>
      </div>
      <div className="timeline-scroll" ref={scrollRef} data-testid="timeline-scroll" tabIndex={0} aria-label="Timeline track (+/− zoom)">
        <div className="timeline-canvas" style={{ width: `calc(${zoom * 100}% - 56px)` }}>
          <div
            className="timeline-ruler"
            data-testid="timeline-ruler"
            data-step-ms={stepMs}
            onClick={(e) => !disabled && void store.send({ type: 'timelineSeek', positionMs: timeAt(e.clientX) })}
            title="Click to seek"
          >
            {ticks.map((tick) => (
              <span key={tick.timeMs} className={`timeline-tick${tick.major ? ' is-major' : ''}`} data-testid="timeline-tick" style={{ left: pct(tick.timeMs) }}>
                {tick.major ? (
                  <span className={`timeline-tick-label${tick.timeMs === 0 ? ' is-first' : tick.timeMs >= duration ? ' is-last' : ''}`} data-testid="timeline-tick-label">
                    {formatTime(tick.timeMs, tick.timeMs % 1000 !== 0)}
                  </span>
                ) : null}
              </span>
            ))}
            <div className="timeline-playhead" style={{ left: pct(playhead) }} />
          </div>
          <div
            className="timeline-track"
            ref={trackRef}
            data-testid="timeline-track"
            onClick={(e) => void onTrackClick(e)}
            title="Click to add a keyframe with the look on the wall now"
          >
            {keyframes.length === 0 ? <span className="timeline-track-hint">Click to add a keyframe with the look on the wall now</span> : null}
            {sorted.map((key, index) => {
              const t = drag?.id === key.id ? drag.timeMs : key.timeMs;
              const next = sorted[index + 1];
              // The label runs to the next keyframe at most, so labels never cover each other.
              const room = next ? `calc(${((next.timeMs - t) / duration) * 100}% - 16px)` : `calc(${((duration - t) / duration) * 100}% - 12px)`;
              return (
                <span
                  key={`label-${key.id}`}
                  className={`keyframe-label${key.id === selectedId ? ' is-selected' : ''}`}
                  data-testid={`keyframe-label-${key.id}`}
                  style={{ left: `calc(${pct(t)} + 10px)`, maxWidth: `min(240px, ${room})` }}
                  onClick={() => {
                    setConfirmId(null);
                    setSelectedId(key.id);
                  }}
                >
                  <span className="keyframe-label-time">{formatTime(t, true)}</span> {key.look.prompt}
                </span>
              );
            })}
            {keyframes.map((key) => {
              const t = drag?.id === key.id ? drag.timeMs : key.timeMs;
              return (
                <button
                  key={key.id}
                  ref={(el) => {
                    if (el) keyButtons.current.set(key.id, el);
                    else keyButtons.current.delete(key.id);
                  }}
                  type="button"
                  className={`keyframe${key.id === selectedId ? ' is-selected' : ''}`}
                  data-testid={`keyframe-${key.id}`}
                  style={{ left: pct(t) }}
                  title={`${formatClock(t)} ${key.look.prompt}`}
                  aria-label={`Keyframe at ${formatTime(t, true)}: ${key.look.prompt}. Arrows move it, Enter edits, Delete removes.`}
                  onPointerDown={(e) => startDrag(e, key)}
                  onPointerMove={moveDrag}
                  onPointerUp={() => endDrag(key)}
                  onKeyDown={(e) => onKeyframeKey(e, key)}
                />
              );
            })}
            <div className="timeline-playhead" style={{ left: pct(playhead) }} />
          </div>
        </div>
      </div>
      <div className="timeline-editor-slot" data-testid="timeline-editor-slot">
        {confirming ? (
          <div
            className="keyframe-delete-confirm"
            role="alertdialog"
            aria-label="Delete keyframe"
            data-testid="keyframe-delete-confirm"
            onKeyDown={(e) => {
              if (e.key === 'Escape') {
                e.preventDefault();
                cancelDelete();
              }
            }}
          >
            <span>
              Delete the keyframe at {formatTime(confirming.timeMs, true)} “{confirming.look.prompt}”?
            </span>
            <button type="button" ref={confirmRef} className="button button--small button--danger" data-testid="keyframe-delete-yes" onClick={() => confirmDelete(confirming)}>
              Delete
            </button>
            <button type="button" className="button button--small" data-testid="keyframe-delete-no" onClick={cancelDelete}>
              Keep
            </button>
          </div>
        ) : selected ? (
          <KeyframeEditor key={selected.id} keyframe={selected} disabled={disabled} promptRef={promptRef} onDelete={() => setConfirmId(selected.id)} />
        ) : (
          <p className="timeline-hint">
            {keyframes.length === 0 ? 'No keyframes yet. ' : 'Click or Tab to a keyframe to edit it: ← → move it, Enter edits, Delete removes. '}
            +/− or Ctrl+wheel zoom.
          </p>
        )}
      </div>
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
