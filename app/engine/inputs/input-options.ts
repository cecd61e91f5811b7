/**
 * What every inference loop that opens inputs is given, built once by the engine for
 * both of them (the live model and the standby preview's renderer, preview/): the NDI
 * discovery settings the engine was started with (--ndi-extra-ips, --ndi-discovery,
 * --ndi-runtime), and still-image paths resolved against the show file. Both loops then
 * open the same sources the same way, so a preview shows what the wall will show.
 */
import type { LookTarget, TimedLook } from '../../show/look-resolver.js';
import type { InputSettings } from '../generate/worker-protocol.js';
import type { NdiSettings } from '../outputs/ndi-outputs.js';

/** The inference loop's input settings from the engine's NDI settings (only the discovery and runtime parts). */
export function inputSettingsFrom(ndi: NdiSettings): InputSettings {
  return {
    ndi: {
      ...(ndi.extraIps ? { extraIps: ndi.extraIps } : {}),
      ...(ndi.discoveryServers ? { discoveryServers: ndi.discoveryServers } : {}),
      ...(ndi.runtimeDir ? { runtimeDir: ndi.runtimeDir } : {}),
    },
  };
}

/**
 * `target` with a still image input's path made openable (`resolvePath`: relative to
 * the show file); any other look unchanged. The inference loop has no show file: the
 * engine resolves the path before a look leaves it.
 */
export function withInputPath(target: LookTarget, resolvePath: (path: string) => string): LookTarget {
  const input = target.input;
  if (!input || input.source.kind !== 'image') return target;
  return { ...target, input: { ...input, source: { kind: 'image', path: resolvePath(input.source.path) } } };
}

/** A timed look with both sides' image paths resolved (withInputPath). */
export function withInputPaths<T extends TimedLook>(look: T, resolvePath: (path: string) => string): T {
  return { ...look, from: look.from ? withInputPath(look.from, resolvePath) : null, to: withInputPath(look.to, resolvePath) };
}
