/**
 * Which execution providers to try, best first: the model's preference, kept to
 * what this onnxruntime build offers. Pure, so the ordering is unit-tested; the
 * worker tries each in turn and records why any was passed over.
 */
import type { ExecutionProviderName } from '../../contract/providers.js';

/** onnxruntime-node's backend names for ours (DirectML is 'dml' in both). */
export function providerCandidates(
  preferred: readonly ExecutionProviderName[],
  supported: readonly { name: string; bundled: boolean }[],
  only?: ExecutionProviderName,
): { candidates: ExecutionProviderName[]; skipped: { provider: string; reason: string }[] } {
  const available = new Set(supported.map((b) => b.name));
  const wanted = only ? [only] : preferred;
  const candidates: ExecutionProviderName[] = [];
  const skipped: { provider: string; reason: string }[] = [];
  for (const name of wanted) {
    if (available.has(name)) candidates.push(name);
    else skipped.push({ provider: name, reason: 'not in this onnxruntime build' });
  }
  // The CPU provider is the floor: the output must keep running whatever the GPU does.
  if (!only && !candidates.includes('cpu') && available.has('cpu')) candidates.push('cpu');
  return { candidates, skipped };
}
