/**
 * Cluster: the nodes this engine directs (state.cluster, contract/cluster.ts), in one
 * view: link, which node is on air, clock offset to the director (flagged beyond half
 * a frame), link latency, model and fps, outputs, whether the node has the show;
 * actions applied late, with how many frames. A node is added by address and token
 * (addClusterNode) or removed. Shown only on a director (started with --cluster).
 */
import { useState, type FormEvent } from 'react';
import { CLUSTER_ROLES, type ClusterNodeStatus, type ClusterRole, type ClusterStatus } from '../../../app/contract/cluster.js';
import { useConsoleSnapshot, useEngine } from '../engine-context.js';
import './cluster.css';

const LINK_WORDS: Record<ClusterNodeStatus['link'], string> = { connecting: 'Connecting…', open: 'Linked', closed: 'Link down', refused: 'Refused' };

const ms = (value: number | null) => (value === null ? '–' : `${value >= 0 && value !== 0 ? '+' : ''}${Math.round(value)} ms`);

function NodeRow({ node, framePeriodMs, disabled }: { node: ClusterNodeStatus; framePeriodMs: number; disabled: boolean }) {
  const { store } = useEngine();
  return (
    <li className={`cluster-node cluster-node--${node.link}`} data-testid="cluster-node" data-node={node.name}>
      <div className="cluster-node-head">
        <span className="cluster-node-name">{node.name}</span>
        <span className="cluster-node-role">{node.role}</span>
        {node.onAir ? <span className="tally tally--program cluster-on-air">ON AIR</span> : null}
        <span className={`cluster-link cluster-link--${node.link}`}>{LINK_WORDS[node.link]}</span>
      </div>
      <div className="cluster-node-figures">
        <span
          className={node.clockBeyondHalfFrame ? 'cluster-clock--off' : undefined}
          title={`Clock offset to the director (flagged beyond half a frame, ${(framePeriodMs / 2).toFixed(1)} ms)`}
        >
          clock {ms(node.clockOffsetMs)}
          {node.clockBeyondHalfFrame ? ' · beyond half a frame' : ''}
        </span>
        <span title="Link latency (half the smallest round trip)">link {node.linkLatencyMs === null ? '–' : `${node.linkLatencyMs} ms`}</span>
        <span>{node.model ?? 'no model'}</span>
        <span>{node.modelFps === null ? '' : `${node.modelFps.toFixed(1)} fps`}</span>
        <span>
          outputs {node.outputsRunning}/{node.outputs}
        </span>
        <span className={node.showInSync ? undefined : 'cluster-show--stale'}>{node.showInSync ? 'show in sync' : 'show not sent yet'}</span>
        {node.reconnects > 0 ? <span>rejoined {node.reconnects}×</span> : null}
      </div>
      {node.problem ? <p className="cluster-problem">{node.problem}</p> : null}
      <div className="cluster-node-actions">
        <span className="cluster-url">{node.url}</span>
        <button type="button" className="link-button" disabled={disabled} onClick={() => void store.send({ type: 'removeClusterNode', name: node.name })}>
          Remove
        </button>
      </div>
    </li>
  );
}

function AddNode({ disabled, onDone }: { disabled: boolean; onDone: () => void }) {
  const { store } = useEngine();
  const [name, setName] = useState('');
  const [url, setUrl] = useState('');
  const [token, setToken] = useState('');
  const [role, setRole] = useState<ClusterRole>('node');
  const [error, setError] = useState<string | null>(null);
  const add = async (event: FormEvent) => {
    event.preventDefault();
    const result = await store.send({ type: 'addClusterNode', name: name.trim(), url: url.trim(), role, ...(token ? { token } : {}) });
    if (result.ok) onDone();
    else setError(result.error.message);
  };
  return (
    <form className="cluster-add" onSubmit={(e) => void add(e)} aria-label="Add node" onKeyDown={(e) => e.key === 'Escape' && onDone()}>
      <input className="input input--compact" aria-label="Node name" placeholder="name" value={name} maxLength={40} autoFocus onChange={(e) => setName(e.target.value)} />
      <input className="input input--compact" aria-label="Node address" placeholder="http://10.0.0.21:8420/" value={url} onChange={(e) => setUrl(e.target.value)} />
      <input className="input input--compact" aria-label="Node token" placeholder="token" type="password" value={token} onChange={(e) => setToken(e.target.value)} />
      <select className="input input--compact" aria-label="Role" value={role} onChange={(e) => setRole(e.target.value as ClusterRole)}>
        {CLUSTER_ROLES.map((r) => (
          <option key={r} value={r}>
            {r}
          </option>
        ))}
      </select>
      <button type="submit" className="button button--small" disabled={disabled || !name.trim() || !url.trim()}>
        Add
      </button>
      {error ? <p className="cluster-problem">{error}</p> : null}
    </form>
  );
}

function LateList({ cluster }: { cluster: ClusterStatus }) {
  if (cluster.late.length === 0) return null;
  return (
    <ul className="cluster-late" aria-label="Late actions">
      {cluster.late
        .slice(-3)
        .reverse()
        .map((late) => (
          <li key={`${late.id}:${late.node}`}>
            {late.node}: {late.type} {late.framesLate} frame{late.framesLate === 1 ? '' : 's'} late ({Math.round(late.lateMs)} ms)
          </li>
        ))}
    </ul>
  );
}

export function ClusterPanel() {
  const { state, connection } = useConsoleSnapshot();
  const [adding, setAdding] = useState(false);
  const cluster = state?.cluster;
  if (!cluster) return null;
  const disabled = connection !== 'open';
  const linked = cluster.nodes.filter((n) => n.link === 'open').length;
  const flagged = cluster.nodes.filter((n) => n.clockBeyondHalfFrame).length;
  return (
    <section className="cluster-panel" aria-label="Cluster" data-testid="cluster-panel">
      <div className="panel-head">
        <h2>
          Cluster{' '}
          <span className="cluster-count">
            {linked}/{cluster.nodes.length} linked{flagged ? ` · ${flagged} clock${flagged === 1 ? '' : 's'} off` : ''} · lead {Math.round(cluster.leadMs)} ms
          </span>
        </h2>
        <div className="panel-actions">
          <button type="button" className="button button--small" disabled={disabled} aria-expanded={adding} onClick={() => setAdding(!adding)}>
            + Node
          </button>
        </div>
      </div>
      <ul className="cluster-list">
        {cluster.nodes.map((node) => (
          <NodeRow key={node.name} node={node} framePeriodMs={cluster.framePeriodMs} disabled={disabled} />
        ))}
      </ul>
      <LateList cluster={cluster} />
      {adding ? <AddNode disabled={disabled} onDone={() => setAdding(false)} /> : null}
    </section>
  );
}
