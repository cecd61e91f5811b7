/**
 * The "Control" cell of the status strip: is this node open to the network, and
 * how do remote consoles and control surfaces reach it. Clicking opens a panel
 * with the remote URL (token included), the OSC listener and its counters, and
 * Rotate token, which drops every other connection using the old token.
 */
import { useState } from 'react';
import type { ControlStatus } from '../../../app/contract/index.js';
import { useEngine } from '../engine-context.js';
import './model-picker.css';

function counters(c: ControlStatus['http']): string {
  return `${c.dispatched} done · ${c.rejected} refused · ${c.rateLimited} rate-limited`;
}

export function RemoteControl({ control, disabled }: { control: ControlStatus | undefined; disabled: boolean }) {
  const { store } = useEngine();
  const [open, setOpen] = useState(false);
  const label = !control ? '–' : control.network ? 'Network' : 'Local only';

  return (
    <div className="status-cell">
      <span className="status-label">Control</span>
      <span className={`status-value tone-${control?.network ? 'warn' : 'idle'}`}>
        <button type="button" className="model-button" data-testid="status-control" aria-expanded={open} onClick={() => setOpen((o) => !o)}>
          {label}
        </button>
      </span>
      {open && control ? (
        <div className="model-picker remote-control" role="dialog" aria-label="Remote control">
          <span className="model-picker-label">Console and API</span>
          <p className="model-picker-hint">
            {control.network
              ? `Listening on ${control.host}:${control.port}; remote consoles and HTTP/WebSocket clients need the token.`
              : `Listening on ${control.host}:${control.port} only (this machine). Start with --host 0.0.0.0 to allow remote control.`}
          </p>
          {control.remoteUrl ? (
            <input className="input input--compact" readOnly value={control.remoteUrl} aria-label="Remote console URL" onFocus={(e) => e.target.select()} />
          ) : null}
          <p className="model-picker-hint">HTTP: {counters(control.http)}</p>
          <span className="model-picker-label">OSC</span>
          <p className="model-picker-hint">
            {control.osc
              ? `UDP ${control.osc.host}:${control.osc.port}${control.osc.tcp ? `, TCP ${control.osc.tcp.port} (${control.osc.tcp.framing}, ${control.osc.tcp.connections} connected)` : ''}${control.osc.allow.length ? `, from ${control.osc.allow.join(', ')}` : ''}${control.osc.feedback.length ? `; feedback to ${control.osc.feedback.join(', ')}` : ''}. ${counters(control.osc.counters)}`
              : 'Off (start with --osc-port).'}
          </p>
          <div className="model-picker-actions">
            <button type="button" className="button button--small" onClick={() => setOpen(false)}>
              Close
            </button>
            <button
              type="button"
              className="button button--small"
              disabled={disabled || !control.network}
              title="Issue a new token; every other connection using the old one is dropped"
              onClick={() => void store.send({ type: 'rotateToken' })}
            >
              Rotate token
            </button>
          </div>
        </div>
      ) : null}
    </div>
  );
}
