/**
 * Show-ready preflight: the checks an operator runs before doors open, each green or
 * red with the reason and what to do.
 *
 *  - NDI runtime found (and its version): loads libndi the way the NDI outputs will.
 *  - Model on the intended provider: the first of the manifest's preferred providers
 *    this build (and machine) can use, vs. the one the session actually runs on.
 *  - TTFF now: a no-op look change (the same prompt again, a cut) timed to its first
 *    output-ready frame (the engine's lookOnAir event).
 *  - Every output ticking: measured fps within 5% of its rate and no ticks missed
 *    during the run (missedTicks sampled at the start and the end).
 *  - Show file saved: the show has a file and no unsaved edits.
 *
 * `evaluatePreflight` is pure (unit-tested at explicit inputs); `runPreflight` gathers
 * the inputs from an engine through a small port, so it is tested in-process too.
 */
import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { PreflightCheck } from '../../contract/preflight.js';
import type { ExecutionProviderName } from '../../contract/providers.js';
import type { ClusterStatus } from '../../contract/cluster.js';
import type { EngineState, OutputStatus } from '../../contract/state.js';

/** An output's measured fps may be this far under its rate and still count as ticking. */
export const OUTPUT_FPS_TOLERANCE = 0.05;
/** A TTFF above this is red: a cue would visibly lag the operator's GO, ms. */
export const TTFF_LIMIT_MS = 1000;
/** How long the TTFF probe waits for its first frame before it is red, ms. */
export const TTFF_TIMEOUT_MS = 5000;
/** At least this long between the two output samples (the fps window is 1 s), ms. */
export const OUTPUT_SAMPLE_MS = 1100;

export type NdiRuntimeProbe = { ok: true; version: string; path: string; source: string } | { ok: false; message: string };

export interface PreflightInputs {
  ndi: NdiRuntimeProbe;
  model: EngineState['model'];
  /** What the model should run on here; null when no provider is usable at all. */
  intendedProvider: ExecutionProviderName | null;
  /** Measured now: ms, or why it could not be measured. */
  ttff: { ok: true; ms: number } | { ok: false; reason: string };
  /** Output statuses at the start and the end of the run (same ids). */
  outputsBefore: OutputStatus[];
  outputsAfter: OutputStatus[];
  show: { path: string | null; dirty: boolean } | null;
  /** A director's cluster (contract/cluster.ts); absent on an engine that directs none (no check then). */
  cluster?: ClusterStatus;
}

const rateFps = (o: OutputStatus) => o.rate.num / o.rate.den;

export function evaluatePreflight(inputs: PreflightInputs): PreflightCheck[] {
  return [
    ndiCheck(inputs.ndi),
    providerCheck(inputs.model, inputs.intendedProvider),
    ttffCheck(inputs.ttff),
    outputsCheck(inputs.outputsBefore, inputs.outputsAfter),
    showCheck(inputs.show),
    ...(inputs.cluster ? [clusterClockCheck(inputs.cluster)] : []),
  ];
}

/** A director: every linked node's clock within half a frame of the director's (clockProbe estimate), every node linked. */
function clusterClockCheck(cluster: ClusterStatus): PreflightCheck {
  const base = { id: 'cluster-clock' as const, label: 'Cluster clocks' };
  const half = (cluster.framePeriodMs / 2).toFixed(1);
  const skewed = cluster.nodes.filter((n) => n.clockBeyondHalfFrame);
  const down = cluster.nodes.filter((n) => n.link !== 'open');
  if (skewed.length > 0 || down.length > 0) {
    const problems = [
      ...skewed.map((n) => `${n.name}: clock ${Math.round(n.clockOffsetMs ?? 0)} ms off the director's (more than half a frame, ${half} ms)`),
      ...down.map((n) => `${n.name}: not linked${n.problem ? ` (${n.problem})` : ''}`),
    ];
    return {
      ...base,
      ok: false,
      detail: problems.join('; '),
      action:
        skewed.length > 0
          ? 'Check PTP (linuxptp) or NTP (chrony) on the named node: its clock must follow the same time source as the director.'
          : 'Start the node, or fix its address or token in the cluster file.',
    };
  }
  if (cluster.nodes.length === 0) return { ...base, ok: true, detail: 'No nodes in the cluster yet.' };
  return {
    ...base,
    ok: true,
    detail: cluster.nodes.map((n) => `${n.name} ${n.clockOffsetMs === null ? 'not probed yet' : `${Math.round(n.clockOffsetMs)} ms`}`).join(', ') + ` (within ${half} ms)`,
  };
}

function ndiCheck(ndi: NdiRuntimeProbe): PreflightCheck {
  if (ndi.ok) return { id: 'ndi-runtime', label: 'NDI runtime', ok: true, detail: `${ndi.version} (${ndi.source}: ${ndi.path})` };
  return {
    id: 'ndi-runtime',
    label: 'NDI runtime',
    ok: false,
    detail: ndi.message,
    action: 'Install the NDI Runtime (NDI Tools), set NDI_RUNTIME_DIR_V6, or run "npm run fetch:ndi"; then run preflight again.',
  };
}

function providerCheck(model: EngineState['model'], intended: ExecutionProviderName | null): PreflightCheck {
  const base = { id: 'model-provider' as const, label: 'Model & provider' };
  if (model.status !== 'running' || !model.provider) {
    return { ...base, ok: false, detail: `${model.name} is ${model.status}.`, action: 'See the alerts for the cause; load a working model folder (click the model name).' };
  }
  if (!intended)
    return {
      ...base,
      ok: false,
      detail: `${model.name} runs on ${model.provider.toUpperCase()}, but no provider of its list is usable here.`,
      action: "Check the model manifest's preferredProviders.",
    };
  if (model.provider !== intended) {
    const why = model.fallbacks.find((f) => f.provider === intended)?.reason;
    return {
      ...base,
      ok: false,
      detail: `${model.name} runs on ${model.provider.toUpperCase()}, intended ${intended.toUpperCase()}${why ? ` (${why})` : ''}.`,
      action: `Fix the ${intended.toUpperCase()} provider (driver, GPU) and reload the model, or accept ${model.provider.toUpperCase()} for this show.`,
    };
  }
  return { ...base, ok: true, detail: `${model.name} on ${model.provider.toUpperCase()} (intended), ${model.width}x${model.height}.` };
}

function ttffCheck(ttff: PreflightInputs['ttff']): PreflightCheck {
  const base = { id: 'ttff' as const, label: 'Time to first frame' };
  if (!ttff.ok) return { ...base, ok: false, detail: ttff.reason, action: 'Restore any panic, hand the wall to the cue list, and run preflight again.' };
  if (ttff.ms > TTFF_LIMIT_MS) {
    return {
      ...base,
      ok: false,
      detail: `${Math.round(ttff.ms)} ms (limit ${TTFF_LIMIT_MS} ms).`,
      action: 'The model is too slow for live cues here: use a smaller generation size or a faster provider.',
    };
  }
  return { ...base, ok: true, detail: `${Math.round(ttff.ms)} ms, measured now.` };
}

function outputsCheck(before: OutputStatus[], after: OutputStatus[]): PreflightCheck {
  const base = { id: 'outputs' as const, label: 'Outputs ticking' };
  if (after.length === 0) return { ...base, ok: false, detail: 'No outputs.', action: 'Add an output (NDI or display).' };
  const problems: string[] = [];
  for (const o of after) {
    const rate = rateFps(o);
    const missed = o.missedTicks - (before.find((b) => b.id === o.id)?.missedTicks ?? o.missedTicks);
    if (o.status !== 'running') problems.push(`${o.name}: ${o.status}${o.message ? ` (${o.message})` : ''}`);
    else if (o.fps < rate * (1 - OUTPUT_FPS_TOLERANCE)) problems.push(`${o.name}: ${o.fps.toFixed(1)} of ${rate.toFixed(2)} fps`);
    else if (missed > 0) problems.push(`${o.name}: ${missed} ticks missed just now`);
  }
  if (problems.length > 0) {
    return {
      ...base,
      ok: false,
      detail: problems.join('; '),
      action: 'Fix or remove the failed output; missed ticks mean the machine is overloaded (close other work, lower output sizes or rates).',
    };
  }
  return { ...base, ok: true, detail: after.map((o) => `${o.name} ${o.fps.toFixed(0)}/${rateFps(o).toFixed(2)} fps`).join(', ') };
}

function showCheck(show: PreflightInputs['show']): PreflightCheck {
  const base = { id: 'show-saved' as const, label: 'Show file saved' };
  if (!show) return { ...base, ok: false, detail: 'No show is open.', action: 'Open or create a show.' };
  if (!show.path) return { ...base, ok: false, detail: 'The show is untitled (never saved, not autosaved).', action: 'Save As (Show menu) to give it a file.' };
  if (show.dirty) return { ...base, ok: false, detail: `Unsaved edits to ${show.path} (the autosave has them).`, action: 'Save (Ctrl+S / Show menu).' };
  return { ...base, ok: true, detail: `Saved: ${show.path}.` };
}

/** What runPreflight needs from the engine. */
export interface PreflightPort {
  probeNdi(): NdiRuntimeProbe;
  state(): EngineState;
  intendedProvider(): ExecutionProviderName | null;
  /** Fires the no-op look change and resolves with its TTFF, or why not. */
  measureTtff(timeoutMs: number): Promise<PreflightInputs['ttff']>;
  sleep(ms: number): Promise<void>;
  /** Engine clock ms now (the output sample's spacing). */
  nowMs(): number;
}

export async function runPreflight(port: PreflightPort): Promise<PreflightCheck[]> {
  const outputsBefore = port.state().outputs;
  const startedAt = port.nowMs();
  const ttff = await port.measureTtff(TTFF_TIMEOUT_MS);
  // The fps window is the last second: sample the end at least OUTPUT_SAMPLE_MS after the start.
  const waited = port.nowMs() - startedAt;
  if (waited < OUTPUT_SAMPLE_MS) await port.sleep(OUTPUT_SAMPLE_MS - waited);
  const state = port.state();
  return evaluatePreflight({
    ndi: port.probeNdi(),
    model: state.model,
    intendedProvider: port.intendedProvider(),
    ttff,
    outputsBefore,
    outputsAfter: state.outputs,
    show: state.show ? { path: state.show.path, dirty: state.show.dirty } : null,
    ...(state.cluster ? { cluster: state.cluster } : {}),
  });
}

/**
 * Whether onnxruntime-node's provider library for a non-bundled provider (cuda,
 * tensorrt: libonnxruntime_providers_<name>.so / .dll, downloaded by its install
 * script on a connected machine) is present next to its binding. Listed-but-absent
 * providers are not "in this build" for the intended-provider check.
 */
export function providerLibraryInstalled(name: string): boolean {
  try {
    const root = path.dirname(createRequire(import.meta.url).resolve('onnxruntime-node/package.json'));
    const files = readdirSync(path.join(root, 'bin'), { recursive: true }) as string[];
    return files.some((f) => path.basename(f).includes(`onnxruntime_providers_${name}`));
  } catch {
    return false;
  }
}
