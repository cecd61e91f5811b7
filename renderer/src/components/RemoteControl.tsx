/**
 * The "Control" cell of the status strip: is this node open to the network, and
 * how do remote consoles and control surfaces reach it. Clicking opens a panel
 * with the remote URL, the OSC listener and its counters, and Rotate token, which
 * drops every other connection using the old token. The token is never in the
 * engine's state: a rotation's reply shows the new one here, once, to this console.
 */
import { useState } from 'react';
import type { ControlStatus } from '../../../app/contract/index.js';
import { useEngine } from '../engine-context.js';
import { setPageToken } from '../transport.js';
import './model-picker.css';
import { ControlSourcesStatus } from './ControlSourcesStatus.js';

function counters(c: ControlStatus['http']): string {
  return `${c.dispatched} done · ${c.rejected} refused · ${c.rateLimited} rate-limited`;
}

export function RemoteControl({ control, disabled }: { control: ControlStatus | undefined; disabled: boolean }) {
  const { store } = useEngine();
  const [open, setOpen] = useState(false);
  /** The token this console's last rotation issued (to give to the other consoles and control surfaces). */
  const [issued, setIssued] = useState<string | null>(null);
  const rotate = async () => {
    const result = await store.send({ type: 'rotateToken' });
    const token = result.ok ? result.data?.token : undefined;
    if (token) {
      setPageToken(token); // this console's next reconnect and a reload use it
      setIssued(token);
    }
  };
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
              ? `Listening on ${control.host}:${control.port}; remote consoles and HTTP/WebSocket clients need the access token (printed when the node started).`
              : `Listening on ${control.host}:${control.port} only (this machine). Start with --host 0.0.0.0 to allow remote control.`}
          </p>
          {control.remoteUrl ? (
            <input className="input input--compact" readOnly value={control.remoteUrl} aria-label="Remote console URL" onFocus={(e) => e.target.select()} />
          ) : null}
          {issued ? (
            <>
              <span className="model-picker-label">New access token</span>
              <input className="input input--compact" readOnly value={issued} aria-label="New access token" data-testid="issued-token" onFocus={(e) => e.target.select()} />
              <p className="model-picker-hint">Shown once, to this console: give it to the other consoles and control surfaces (their old token no longer works).</p>
            </>
          ) : null}
          <p className="model-picker-hint">HTTP: {counters(control.http)}</p>
          <span className="model-picker-label">OSC</span>
          <p className="model-picker-hint">
            {control.osc
              ? `UDP ${control.osc.host}:${control.osc.port}${control.osc.tcp ? `, TCP ${control.osc.tcp.port} (${control.osc.tcp.framing}, ${control.osc.tcp.connections} connected${control.osc.tcp.unrecognised ? `, ${control.osc.tcp.unrecognised} unrecognised framing` : ''})` : ''}${control.osc.allow.length ? `, from ${control.osc.allow.join(', ')}` : ''}${control.osc.feedback.length ? `; feedback to ${control.osc.feedback.join(', ')}` : ''}. ${counters(control.osc.counters)}`
              : 'Off (start with --osc-port).'}
          </p>
          <ControlSourcesStatus sources={control.sources} />
          <div className="model-picker-actions">
            <button type="button" className="button button--small" onClick={() => setOpen(false)}>
              Close
            </button>
            <button
              type="button"
              className="button button--small"
              disabled={disabled || !control.tokenRequired}
              title="Issue a new token; every other connection using the old one is dropped"
              onClick={() => void rotate()}
            >
              Rotate token
            </button>
          </div>
        </div>
      ) : null}
    </div>
  );
}
