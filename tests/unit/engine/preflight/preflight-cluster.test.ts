/** The director's preflight check: every node's clock within half a frame, every node linked (contract/cluster.ts). */
import { describe, expect, it } from 'vitest';
import type { ClusterNodeStatus, ClusterStatus } from '../../../../app/contract/cluster.js';
import { evaluatePreflight, type PreflightInputs } from '../../../../app/engine/preflight/preflight.js';

const node = (patch: Partial<ClusterNodeStatus>): ClusterNodeStatus => ({
  name: 'wall-left',
  url: 'http://10.0.0.21:8420/',
  role: 'node',
  link: 'open',
  problem: null,
  linkLatencyMs: 0.4,
  clockOffsetMs: 0.2,
  clockBeyondHalfFrame: false,
  model: 'Built-in',
  modelFps: 29.97,
  outputs: 1,
  outputsRunning: 1,
  showInSync: true,
  onAirCueId: null,
  onAir: true,
  reconnects: 0,
  ...patch,
});
const cluster = (nodes: ClusterNodeStatus[]): ClusterStatus => ({ nodes, leadMs: 100, framePeriodMs: 1000 / 29.97, actions: [], late: [] });
const inputs: PreflightInputs = {
  ndi: { ok: true, version: 'NDI 6', path: '/ndi', source: 'bundled' },
  model: { id: 'builtin', name: 'Built-in', status: 'running', provider: 'cpu', fallbacks: [], width: 640, height: 360 },
  intendedProvider: 'cpu',
  ttff: { ok: true, ms: 40 },
  outputsBefore: [],
  outputsAfter: [],
  show: { path: '/shows/gig.json', dirty: false },
};
const clusterCheck = (c: ClusterStatus | undefined) => evaluatePreflight({ ...inputs, ...(c ? { cluster: c } : {}) }).find((check) => check.id === 'cluster-clock');

describe('preflight on a director', () => {
  it('has no cluster check on an engine that directs none', () => {
    expect(clusterCheck(undefined)).toBeUndefined();
  });

  it('is green with every node within half a frame', () => {
    expect(clusterCheck(cluster([node({}), node({ name: 'ceiling', clockOffsetMs: -3 })]))).toMatchObject({ ok: true, detail: expect.stringContaining('ceiling -3 ms') });
  });

  it('names the node beyond half a frame and one not linked, with what to do', () => {
    const check = clusterCheck(
      cluster([node({}), node({ name: 'ceiling', clockOffsetMs: 41, clockBeyondHalfFrame: true }), node({ name: 'floor', link: 'refused', problem: 'wrong token' })]),
    );
    expect(check?.ok).toBe(false);
    expect(check?.detail).toContain('ceiling: clock 41 ms off');
    expect(check?.detail).toContain('floor: not linked (wrong token)');
    expect(check?.detail).not.toContain('wall-left');
    expect(check?.action).toContain('PTP');
  });
});
