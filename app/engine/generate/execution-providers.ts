/**
 * Which execution providers to try, best first: the model's preference, kept to
 * what this onnxruntime build offers. Pure, so the ordering is unit-tested; the
 * worker tries each in turn and records why any was passed over.
 */
import type { ExecutionProviderName } from '../../contract/providers.js';

/** onnxruntime-node's backend names for ours (DirectML is 'dml' in both). */
/** GPU providers that need a GPU device; without one they are skipped unless asked for by name. */
const NEEDS_GPU_DEVICE: ReadonlySet<ExecutionProviderName> = new Set(['webgpu']);

export function providerCandidates(
  preferred: readonly ExecutionProviderName[],
  supported: readonly { name: string; bundled: boolean }[],
  only?: ExecutionProviderName,
  gpuDevice = true,
): { candidates: ExecutionProviderName[]; skipped: { provider: string; reason: string }[] } {
  const available = new Set(supported.map((b) => b.name));
  const wanted = only ? [only] : preferred;
  const candidates: ExecutionProviderName[] = [];
  const skipped: { provider: string; reason: string }[] = [];
  for (const name of wanted) {
    if (!available.has(name)) skipped.push({ provider: name, reason: 'not in this onnxruntime build' });
    else if (!only && !gpuDevice && NEEDS_GPU_DEVICE.has(name))
      skipped.push({ provider: name, reason: 'no GPU device found: it would run on a software rasteriser, slower than the CPU' });
    else candidates.push(name);
  }
  // The CPU provider is the floor: the output must keep running whatever the GPU does.
  if (!only && !candidates.includes('cpu') && available.has('cpu')) candidates.push('cpu');
  return { candidates, skipped };
}
