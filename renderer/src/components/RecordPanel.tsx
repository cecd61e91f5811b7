/**
 * Record: the program or one output to a video file on the engine's machine
 * (state.recording, contract/recording.ts). Start/stop, codec, source and folder
 * (the operator types a path on the engine's machine: the console may be remote),
 * the live duration, size and frames dropped, the disk space left, the standby
 * cue's "record while this cue is on", and the notice of a recording a kill
 * interrupted. Refusals (no folder, disk nearly full) are shown as the engine words them.
 */
import { useEffect, useState, type FormEvent } from 'react';
import type { RecordingCodec, RecordingStatus } from '../../../app/contract/index.js';
import { useConsoleSnapshot, useEngine } from '../engine-context.js';
import { formatCount, formatRate } from '../format.js';
import './recording.css';

const CODEC_WORDS: Record<RecordingCodec, string> = { 'h264-mp4': 'H.264 (MP4)', 'prores-mov': 'ProRes 422 HQ (MOV)' };

/** "00:01:23" from ms. */
export function durationText(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(Math.floor(total / 3600))}:${pad(Math.floor(total / 60) % 60)}:${pad(total % 60)}`;
}

/** Decimal units, as file managers show disks. */
export function bytesText(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined) return '–';
  if (bytes >= 1e9) return `${(bytes / 1e9).toFixed(1)} GB`;
  if (bytes >= 1e6) return `${(bytes / 1e6).toFixed(1)} MB`;
  return `${Math.round(bytes / 1e3)} kB`;
}

function ActiveRecording({ active }: { active: NonNullable<RecordingStatus['active']> }) {
  return (
    <div className="record-live" data-testid="record-live" aria-live="off">
      <span className="record-dot" aria-hidden="true" />
      <span className="record-duration" data-testid="record-duration">
        {durationText(active.durationMs)}
      </span>
      <span data-testid="record-size">{bytesText(active.bytes)}</span>
      <span data-testid="record-dropped" className={active.droppedFrames > 0 ? 'record-warn' : ''}>
        {formatCount(active.droppedFrames)} dropped
      </span>
      <span className="record-file" data-testid="record-file" title={active.file}>
        {active.file}
      </span>
      <span>
        {CODEC_WORDS[active.codec]} · {active.width}x{active.height} at {formatRate(active.rate)} · TC {active.startTimecode}
        {active.cueId ? ' · started by its cue' : ''}
      </span>
    </div>
  );
}

export function RecordPanel() {
  const { store } = useEngine();
  const { state, connection } = useConsoleSnapshot();
  const disabled = connection !== 'open';
  const recording = state?.recording;
  const settings = recording?.settings ?? null;
  const [folder, setFolder] = useState(settings?.folder ?? '');
  const [codec, setCodec] = useState<RecordingCodec>(settings?.codec ?? 'h264-mp4');
  const [source, setSource] = useState(settings?.source ?? 'program');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const settingsKey = JSON.stringify(settings);
  useEffect(() => {
    if (!settings) return;
    setFolder(settings.folder);
    setCodec(settings.codec);
    setSource(settings.source);
    // Keyed on the settings' content: every snapshot is a fresh object.
  }, [settingsKey]);

  const active = recording?.active ?? null;
  const codecs = recording?.encoder.codecs ?? [];
  const outputs = (state?.outputs ?? []).filter((o) => o.kind === 'ndi' || o.kind === 'display');
  const show = state?.show;
  const standby = show?.document.cues.find((c) => c.id === show.standbyCueId) ?? null;

  const run = async (command: Parameters<typeof store.send>[0]) => {
    setBusy(true);
    const result = await store.send(command);
    setBusy(false);
    setError(result.ok ? null : result.error.message);
  };
  const start = (event: FormEvent) => {
    event.preventDefault();
    const path = folder.trim();
    if (path === '') {
      setError('Choose a folder on the engine machine to record into.');
      return;
    }
    void run({ type: 'startRecording', source, codec, folder: path });
  };

  return (
    <section className="stack-panel" aria-label="Record" data-testid="record-panel">
      <h2 className="stack-panel-title">Record</h2>
      {recording?.interrupted ? (
        <p className="record-notice" role="status" data-testid="record-interrupted">
          {recording.interrupted.message}
        </p>
      ) : null}
      {recording && !recording.encoder.available && recording.encoder.message ? (
        <p className="output-message" data-testid="record-encoder-message">
          {recording.encoder.message}
        </p>
      ) : null}
      {active ? <ActiveRecording active={active} /> : null}
      <form className="record-controls" onSubmit={start}>
        <label className="record-folder">
          Folder{' '}
          <input
            className="input"
            value={folder}
            placeholder="/media/takes (on the engine machine)"
            disabled={disabled || active !== null}
            onChange={(e) => setFolder(e.target.value)}
            data-testid="record-folder"
          />
        </label>
        <label>
          Codec{' '}
          <select value={codec} disabled={disabled || active !== null} onChange={(e) => setCodec(e.target.value as RecordingCodec)} data-testid="record-codec">
            {(Object.keys(CODEC_WORDS) as RecordingCodec[]).map((id) => (
              <option key={id} value={id} disabled={!codecs.includes(id)}>
                {CODEC_WORDS[id]}
              </option>
            ))}
          </select>
        </label>
        <label>
          Source{' '}
          <select value={source} disabled={disabled || active !== null} onChange={(e) => setSource(e.target.value)} data-testid="record-source">
            <option value="program">Program</option>
            {outputs.map((o) => (
              <option key={o.id} value={o.id}>
                {o.name}
              </option>
            ))}
          </select>
        </label>
        {active ? (
          <button type="button" className="record-stop" disabled={disabled || busy} onClick={() => void run({ type: 'stopRecording' })} data-testid="record-stop">
            Stop recording
          </button>
        ) : (
          <button type="submit" className="record-start" disabled={disabled || busy || codecs.length === 0} data-testid="record-start">
            Record
          </button>
        )}
      </form>
      <div className="record-facts">
        <span data-testid="record-disk">Disk free: {bytesText(recording?.diskFreeBytes)}</span>
        {standby ? (
          <label>
            <input
              type="checkbox"
              checked={standby.recordWhileOn === true}
              disabled={disabled}
              onChange={(e) => void store.send({ type: 'updateCue', cueId: standby.id, patch: { recordWhileOn: e.target.checked } })}
              data-testid="record-cue"
            />{' '}
            Cue {standby.number} records while it is on
          </label>
        ) : null}
      </div>
      {error ? (
        <p className="output-message" role="alert" data-testid="record-error">
          {error}
        </p>
      ) : null}
      {!active && recording?.last ? (
        <p className={recording.last.reason === 'stopped' ? 'record-last' : 'record-last record-warn'} data-testid="record-last">
          {recording.last.message} {durationText(recording.last.durationMs)}, {bytesText(recording.last.bytes)}, {formatCount(recording.last.droppedFrames)} dropped.
        </p>
      ) : null}
    </section>
  );
}
