/**
 * Show-ready preflight: one button in the health strip (K, or Tab to it) runs every
 * check in the engine (contract/preflight.ts); a panel over the monitors lists each
 * check green or red with the reason and what to do, until closed (Close, or Esc).
 * The report lives in the engine state, so every console sees the same result.
 */
import { useEffect } from 'react';
import { useConsoleSnapshot } from '../engine-context.js';
import { formatClock } from '../format.js';
import { SHORTCUTS } from '../shortcuts.js';
import { Kbd } from './Kbd.js';

function useSummary() {
  const { state } = useConsoleSnapshot();
  const report = state?.preflight;
  const failed = report?.checks.filter((c) => !c.ok).length ?? 0;
  const at = report?.finishedAtMs ? ` · ${formatClock(report.finishedAtMs)}` : '';
  const text = !report ? 'Not run' : report.running ? 'Checking…' : failed === 0 ? `Show-ready${at}` : `${failed} to fix${at}`;
  const tone = !report || report.running ? 'idle' : failed === 0 ? 'ok' : 'bad';
  return { report, text, tone };
}

/** The one-click button and its summary, for the health strip. */
export function PreflightButton({ onRun, disabled }: { onRun: () => void; disabled: boolean }) {
  const { report, text, tone } = useSummary();
  return (
    <div className="preflight-button">
      <button type="button" className="button button--small" onClick={onRun} disabled={disabled || report?.running} data-testid="preflight-run">
        Preflight <Kbd>{SHORTCUTS.preflight.label}</Kbd>
      </button>
      <span className={`preflight-summary tone-${tone}`} data-testid="preflight-summary" aria-live="polite">
        {text}
      </span>
    </div>
  );
}

/** The checks, over the monitors while open. */
export function PreflightPanel({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { report, text, tone } = useSummary();
  useEffect(() => {
    if (!open) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') onClose();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [open, onClose]);
  if (!open || !report) return null;
  return (
    <section className="preflight" aria-label="Show-ready preflight" data-testid="preflight">
      <div className="panel-head">
        <h2>
          Preflight <span className={`tone-${tone}`}>{text}</span>
        </h2>
        <button type="button" className="button button--small" onClick={onClose} data-testid="preflight-close">
          Close <Kbd>Esc</Kbd>
        </button>
      </div>
      {report.running ? (
        <div className="progress" role="progressbar" aria-label="Preflight running">
          <span />
        </div>
      ) : null}
      <ul className="preflight-list">
        {report.checks.map((check) => (
          <li key={check.id} className={`preflight-check ${check.ok ? 'is-ok' : 'is-bad'}`} data-testid={`preflight-${check.id}`} data-ok={check.ok}>
            <span className={`dot tone-${check.ok ? 'ok' : 'bad'}`} aria-hidden />
            <div>
              <strong>{check.label}</strong> <span className={`tone-${check.ok ? 'ok' : 'bad'}`}>{check.ok ? 'OK' : 'FIX'}</span>
              <div className="preflight-detail">{check.detail}</div>
              {check.action ? <div className="preflight-action">→ {check.action}</div> : null}
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}
