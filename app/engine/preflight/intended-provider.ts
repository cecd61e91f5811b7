/**
 * The provider a model should run on here, for preflight's "Model & provider"
 * check: the first usable one of its manifest's list (or the one asked for), "in
 * this build" meaning onnxruntime's bundled providers and those whose provider
 * library was installed (CUDA/TensorRT download at install). The same ordering as
 * the generator's (generate/execution-providers.ts), asked of onnxruntime here.
 */
import * as ort from 'onnxruntime-node';
import type { ExecutionProviderName } from '../../contract/providers.js';
import { providerCandidates } from '../generate/execution-providers.js';
import { gpuDevicePresent } from '../generate/gpu-probe.js';
import { providerLibraryInstalled } from './preflight.js';

/** `preferred`: the manifest's preferredProviders; `only`: the provider asked for (CLI --provider). */
export function intendedProvider(preferred: readonly ExecutionProviderName[], only: ExecutionProviderName | undefined): ExecutionProviderName | null {
  const supported = ort.listSupportedBackends().filter((b) => b.bundled || providerLibraryInstalled(b.name));
  const { candidates } = providerCandidates(preferred, supported, only, gpuDevicePresent());
  return candidates[0] ?? null;
}
