/**
 * Timecode: what the show's timeline chases (state.timecode, contract/timecode.ts).
 * The incoming timecode large (run on between snapshots from its last reading while
 * it runs), its rate, the source and the lock in words; engaged vs rehearsal; the
 * offset as "timeline 0 at" a timecode; freewheel frames; the rate when the source
 * cannot tell (MTC "30" may be 29.97 non-drop); this machine's MTC port / LTC NDI
 * source; and the standby cue's trigger timecode (the cue inspector has the full cue).
 * The chase settings are the show's (updateShow settings.timecode), the ports the machine's (setTimecodeInputs).
 */
import { useEffect, useState, type FormEvent } from 'react';
import type { ChaseSettings, TimecodeRateId, TimecodeStatus } from '../../../app/contract/index.js';
import { TIMECODE_RATES, formatTimecode, msToTimecode, parseTimecode, timecodeToMs } from '../../../app/show/timecode.js';
import { useConsoleSnapshot, useEngine } from '../engine-context.js';
import './timecode.css';

const LOCK_WORDS: Record<TimecodeStatus['lock'], string> = {
  unlocked: 'No timecode',
  locking: 'Locking…',
  locked: 'Locked',
  freewheeling: 'Signal lost: freewheeling',
  held: 'Signal lost: holding',
};

const SOURCE_WORDS: Record<ChaseSettings['source'], string> = { internal: 'Internal clock', ltc: 'LTC', mtc: 'MTC' };
const RATE_WORDS: Record<TimecodeRateId, string> = { '24': '24', '25': '25', '29.97df': '29.97 DF', '29.97nd': '29.97 ND', '30': '30' };

/** The label now: the last reading run on by the time since it was read (wall clock), while it runs. */
function useRunningLabel(timecode: TimecodeStatus | undefined): string | null {
  const [, setFrame] = useState(0);
  const running = Boolean(timecode?.running && timecode.timecodeMs !== null && timecode.rate);
  useEffect(() => {
    if (!running) return;
    let handle = requestAnimationFrame(function step() {
      setFrame((n) => n + 1);
      handle = requestAnimationFrame(step);
    });
    return () => cancelAnimationFrame(handle);
  }, [running]);
  if (!timecode || timecode.timecodeMs === null || !timecode.rate) return timecode?.label ?? null;
  if (!running) return timecode.label;
  const rate = TIMECODE_RATES[timecode.rate];
  return formatTimecode(msToTimecode(timecode.timecodeMs + Math.max(0, Date.now() - timecode.atMs), rate), rate);
}

/** "timeline 0 at" as a label, from the offset (offset = minus that timecode). */
function offsetLabel(offsetMs: number): string {
  return formatTimecode(msToTimecode(Math.max(0, -offsetMs), TIMECODE_RATES['30']), TIMECODE_RATES['30']).replace(/;/, ':');
}

export function TimecodePanel() {
  const { store } = useEngine();
  const { state, connection } = useConsoleSnapshot();
  const disabled = connection !== 'open';
  const timecode = state?.timecode;
  const show = state?.show;
  const settings: ChaseSettings = show?.document.settings.timecode ?? { source: 'internal', offsetMs: 0, engaged: false };
  const label = useRunningLabel(timecode);
  const [zeroAt, setZeroAt] = useState(offsetLabel(settings.offsetMs));
  const [zeroError, setZeroError] = useState<string | null>(null);
  const [mtcPort, setMtcPort] = useState(timecode?.inputs.mtc?.port ?? '');
  const ltc = timecode?.inputs.ltc;
  const [ndiSource, setNdiSource] = useState(ltc?.from === 'ndi' ? ltc.source : '');
  const [ndiChannel, setNdiChannel] = useState(ltc?.channel ?? 0);
  const standby = show?.document.cues.find((c) => c.id === show.standbyCueId) ?? null;
  const [trigger, setTrigger] = useState(standby?.triggerTimecode ?? '');
  const [triggerError, setTriggerError] = useState<string | null>(null);

  useEffect(() => setZeroAt(offsetLabel(settings.offsetMs)), [settings.offsetMs]);
  useEffect(() => setTrigger(standby?.triggerTimecode ?? ''), [standby?.id, standby?.triggerTimecode]);
  const inputsKey = JSON.stringify(timecode?.inputs ?? null);
  useEffect(() => {
    setMtcPort(timecode?.inputs.mtc?.port ?? '');
    if (timecode?.inputs.ltc?.from === 'ndi') {
      setNdiSource(timecode.inputs.ltc.source);
      setNdiChannel(timecode.inputs.ltc.channel);
    }
    // Keyed on the inputs' content: every snapshot is a fresh object.
  }, [inputsKey]);

  const change = (patch: Partial<ChaseSettings>) => {
    const next: ChaseSettings = { ...settings, ...patch };
    void store.send({ type: 'updateShow', settings: { timecode: next } });
  };
  const setRate = (value: string) => {
    const { rate: _old, ...rest } = settings;
    void store.send({ type: 'updateShow', settings: { timecode: value === 'auto' ? rest : { ...rest, rate: value as TimecodeRateId } } });
  };
  const applyZero = (event: FormEvent) => {
    event.preventDefault();
    try {
      const ms = Math.round(timecodeToMs(parseTimecode(zeroAt).timecode, TIMECODE_RATES[settings.rate ?? timecode?.rate ?? '30']));
      setZeroError(null);
      change({ offsetMs: -ms });
    } catch (error) {
      setZeroError((error as Error).message);
    }
  };
  const applyTrigger = (event: FormEvent) => {
    event.preventDefault();
    if (!standby) return;
    const text = trigger.trim();
    if (text !== '') {
      try {
        parseTimecode(text);
      } catch (error) {
        setTriggerError((error as Error).message);
        return;
      }
    }
    setTriggerError(null);
    void store.send({ type: 'updateCue', cueId: standby.id, patch: { triggerTimecode: text === '' ? null : text } });
  };

  const lock = timecode?.lock ?? 'unlocked';
  const external = settings.source !== 'internal';
  return (
    <section className="stack-panel timecode-panel" aria-label="Timecode" data-testid="timecode-panel">
      <h2 className="stack-panel-title">Timecode</h2>
      <div className={`timecode-display timecode-lock--${lock}`} data-testid="timecode-display" aria-live="off">
        {external ? (label ?? '--:--:--:--') : 'Internal clock'}
      </div>
      <div className="timecode-facts">
        {external ? (
          <>
            {/* For the internal clock the display above already says so: the source is named once. */}
            <span data-testid="timecode-source">{SOURCE_WORDS[settings.source]}</span>
            <span data-testid="timecode-rate">{timecode?.rate ? `${RATE_WORDS[timecode.rate]} fps` : 'rate unknown'}</span>
            <span className={`timecode-lock timecode-lock--${lock}`} data-testid="timecode-lock" aria-live="polite">
              {LOCK_WORDS[lock]}
            </span>
            <span data-testid="timecode-mode">{settings.engaged ? (timecode?.chasing ? 'Chasing' : 'Engaged, waiting for lock') : 'Rehearsal: timecode ignored'}</span>
          </>
        ) : null}
      </div>
      {timecode?.note ? (
        <p className="output-message" data-testid="timecode-note">
          {timecode.note}
        </p>
      ) : null}
      {external && timecode?.input.message ? <p className="output-message">{timecode.input.message}</p> : null}

      <div className="timecode-controls">
        <label>
          Source{' '}
          <select value={settings.source} disabled={disabled} onChange={(e) => change({ source: e.target.value as ChaseSettings['source'] })} data-testid="timecode-source-select">
            <option value="internal">Internal clock</option>
            <option value="ltc">LTC</option>
            <option value="mtc">MTC</option>
          </select>
        </label>
        <button
          type="button"
          className={settings.engaged ? 'timecode-engaged is-on' : 'timecode-engaged'}
          aria-pressed={settings.engaged}
          disabled={disabled || !external}
          onClick={() => change({ engaged: !settings.engaged })}
          data-testid="timecode-engage"
        >
          {settings.engaged ? 'Engaged' : 'Rehearsal'}
        </button>
        <label>
          Rate{' '}
          <select value={settings.rate ?? 'auto'} disabled={disabled || !external} onChange={(e) => setRate(e.target.value)} data-testid="timecode-rate-select">
            <option value="auto">From the source</option>
            {(Object.keys(RATE_WORDS) as TimecodeRateId[]).map((id) => (
              <option key={id} value={id}>
                {RATE_WORDS[id]}
              </option>
            ))}
          </select>
        </label>
        <label>
          Freewheel{' '}
          <input
            type="number"
            min={0}
            max={600}
            className="timecode-number"
            value={settings.freewheelFrames ?? 10}
            disabled={disabled || !external}
            onChange={(e) => {
              const frames = Number(e.target.value);
              if (Number.isInteger(frames) && frames >= 0 && frames <= 600) change({ freewheelFrames: frames });
            }}
            data-testid="timecode-freewheel"
          />{' '}
          frames
        </label>
      </div>

      <form className="timecode-controls" onSubmit={applyZero}>
        <label>
          Timeline 0 at{' '}
          <input
            className="timecode-field"
            value={zeroAt}
            disabled={disabled}
            onChange={(e) => setZeroAt(e.target.value)}
            aria-invalid={zeroError !== null}
            data-testid="timecode-offset"
          />
        </label>
        <button type="submit" className="button button--small" disabled={disabled}>
          Set offset
        </button>
        <span className="timecode-small">{settings.offsetMs} ms</span>
      </form>
      {zeroError ? <p className="output-message">{zeroError}</p> : null}

      <form
        className="timecode-controls"
        onSubmit={(e) => {
          e.preventDefault();
          void store.send({ type: 'setTimecodeInputs', mtc: mtcPort.trim() ? { port: mtcPort.trim() } : null });
        }}
      >
        <label>
          MTC input{' '}
          <input
            className="timecode-port"
            value={mtcPort}
            disabled={disabled}
            placeholder="MIDI input name"
            onChange={(e) => setMtcPort(e.target.value)}
            data-testid="timecode-mtc-port"
          />
        </label>
        <button type="submit" className="button button--small" disabled={disabled}>
          Set
        </button>
      </form>
      <form
        className="timecode-controls"
        onSubmit={(e) => {
          e.preventDefault();
          void store.send({ type: 'setTimecodeInputs', ltc: ndiSource.trim() ? { from: 'ndi', source: ndiSource.trim(), channel: ndiChannel } : null });
        }}
      >
        <label>
          LTC from NDI{' '}
          <input
            className="timecode-port"
            value={ndiSource}
            disabled={disabled}
            placeholder="NDI source name"
            onChange={(e) => setNdiSource(e.target.value)}
            data-testid="timecode-ltc-source"
          />
        </label>
        <label>
          channel{' '}
          <input
            type="number"
            min={1}
            max={64}
            className="timecode-number"
            value={ndiChannel + 1}
            disabled={disabled}
            onChange={(e) => setNdiChannel(Math.max(0, Math.min(63, Number(e.target.value) - 1 || 0)))}
          />
        </label>
        <button type="submit" className="button button--small" disabled={disabled}>
          Set
        </button>
      </form>

      {standby ? (
        <form className="timecode-controls" onSubmit={applyTrigger}>
          <label>
            Cue {standby.number} fires at{' '}
            <input
              className="timecode-field"
              value={trigger}
              placeholder="HH:MM:SS:FF"
              disabled={disabled}
              onChange={(e) => setTrigger(e.target.value)}
              aria-invalid={triggerError !== null}
              data-testid="timecode-trigger"
            />
          </label>
          <button type="submit" className="button button--small" disabled={disabled}>
            {trigger.trim() === '' ? 'Clear trigger' : 'Set trigger'}
          </button>
        </form>
      ) : null}
      {triggerError ? <p className="output-message">{triggerError}</p> : null}

      {external && timecode ? (
        <div className="output-figures timecode-small" data-testid="timecode-counters">
          <span>{timecode.counters.frames} frames</span>
          <span>{timecode.counters.jumps} jumps</span>
          <span>{timecode.counters.dropouts} dropouts</span>
          {timecode.counters.rejected > 0 ? <span className="output-missed">{timecode.counters.rejected} rejected</span> : null}
          <span>
            {timecode.input.name || 'no port'} ({timecode.input.status})
          </span>
        </div>
      ) : null}
    </section>
  );
}
