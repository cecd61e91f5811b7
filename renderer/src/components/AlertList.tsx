/**
 * Alerts: every engine error and every failed command, newest first, in plain
 * words with what to do. Nothing is swallowed; an operator may dismiss a row,
 * and it comes back if the problem happens again.
 *
 * An alert whose advice is to restart the model carries the control that does
 * it: "Restart the model" loads the live model's folder again (loadModel; the
 * wall stays on the running model until the fresh one is ready).
 */
import { useState } from 'react';
import { useConsoleSnapshot, useEngine } from '../engine-context.js';
import type { Alert } from '../engine-store.js';
import { formatClock } from '../format.js';
import './confirm-action.css';

/** What to do, by error code, when the engine's own message does not say. */
const ADVICE: Record<string, string> = {
  'model-load-failed': 'The wall holds the last good frame. Check the model folder and its manifest, then restart the model.',
  'model-run-failed': 'The wall holds the last good frame. If it repeats, choose a lighter model or provider.',
  'provider-fallback': 'Frames still flow, possibly slower. Check the GPU driver and runtime install.',
  'output-failed': 'That output is down; others keep running. Check its cable, display or NDI network.',
  'version-mismatch': 'Update the console or the engine so both speak the same contract version.',
  'invalid-message': 'The console sent something the engine refused. Report this with the time shown.',
  'unknown-command': 'The engine does not know this command. Update the engine.',
  internal: 'If it repeats, save the log and restart the engine.',
};

/** Messages longer than this (characters) start folded to a few lines: one alert must not bury the rest. */
const FOLD_AFTER_CHARS = 180;

/** Codes whose advice is a model restart: they get the button. */
const RESTART_MODEL_CODES = new Set(['model-load-failed', 'model-run-failed']);

/** Loads the live model's folder again. Off when no model is live or a load is under way. */
function RestartModelButton() {
  const { store } = useEngine();
  const { state, connection } = useConsoleSnapshot();
  const [outcome, setOutcome] = useState<string | null>(null);
  const live = state?.models?.installed.find((m) => m.live) ?? null;
  const loading = state?.model.switchingTo !== undefined;
  return (
    <div className="alert-actions">
      <button
        type="button"
        className="button button--small"
        data-testid="alert-restart-model"
        disabled={connection !== 'open' || !live || loading}
        title={live ? `Load ${live.displayName} again from ${live.dir}` : 'No model is running to restart: choose one in Models.'}
        onClick={() => {
          if (!live) return;
          setOutcome(`Restarting ${live.displayName}…`);
          void store.send({ type: 'loadModel', dir: live.dir, ...(live.provider ? { provider: live.provider } : {}) }).then((result) => {
            setOutcome(result.ok ? `${live.displayName} restarted.` : `Restart failed: ${result.error.message}`);
          });
        }}
      >
        {loading ? 'Loading the model…' : 'Restart the model'}
      </button>
      {outcome ? (
        <span className="alert-action-outcome" data-testid="alert-restart-outcome" role="status">
          {outcome}
        </span>
      ) : null}
    </div>
  );
}

function AlertRow({ alert, onDismiss }: { alert: Alert; onDismiss: () => void }) {
  const foldable = alert.message.length > FOLD_AFTER_CHARS;
  const [expanded, setExpanded] = useState(false);
  return (
    <li className={`alert alert--${alert.severity}`} data-testid="alert" data-code={alert.code}>
      <div className="alert-head">
        <span className="alert-severity">{alert.severity === 'error' ? 'Error' : 'Warning'}</span>
        <span className="alert-code">{alert.code}</span>
        <span className="alert-time">{formatClock(alert.lastSeenMs)}</span>
        <button type="button" className="alert-dismiss" onClick={onDismiss} aria-label="Dismiss" title="Dismiss">
          ×
        </button>
      </div>
      <p className={`alert-message${foldable && !expanded ? ' is-folded' : ''}`} title={foldable && !expanded ? alert.message : undefined}>
        {alert.message}
      </p>
      {foldable ? (
        <button type="button" className="link-button alert-more" onClick={() => setExpanded(!expanded)}>
          {expanded ? 'Show less' : 'Show all'}
        </button>
      ) : null}
      {ADVICE[alert.code] ? <p className="alert-advice">{ADVICE[alert.code]}</p> : null}
      {RESTART_MODEL_CODES.has(alert.code) ? <RestartModelButton /> : null}
    </li>
  );
}

export function AlertList() {
  const { store } = useEngine();
  const { alerts } = useConsoleSnapshot();
  return (
    <section className="alerts" aria-label="Alerts">
      <div className="panel-head">
        <h2>Alerts {alerts.length > 0 ? <span className="count">{alerts.length}</span> : null}</h2>
        <button type="button" className="link-button" disabled={alerts.length === 0} onClick={() => store.dismissAll()}>
          Clear all
        </button>
      </div>
      {alerts.length === 0 ? (
        <p className="alerts-empty">No problems reported.</p>
      ) : (
        <ul className="alert-list" data-testid="alert-list" aria-live="polite">
          {alerts.map((a) => (
            <AlertRow key={a.key} alert={a} onDismiss={() => store.dismissAlert(a.key)} />
          ))}
        </ul>
      )}
    </section>
  );
}
