/**
 * The command line's NDI flags -> the engine's NdiSettings. Kept here so cli.ts only
 * declares the options:
 *   --ndi NAME (repeatable)  --ndi-size WxH  --ndi-rate 59.94  --ndi-groups G
 *   --ndi-extra-ips IPS  --ndi-discovery SERVERS  --ndi-runtime DIR
 */
import { STANDARD_FRAME_RATES } from '../../contract/ndi.js';
import type { NdiSettings } from '../outputs/ndi-outputs.js';
import type { FrameRate } from '../../contract/ndi.js';

export interface NdiFlags {
  ndi?: string[];
  ndiSize?: string;
  ndiRate?: string;
  ndiGroups?: string;
  ndiExtraIps?: string;
  ndiDiscovery?: string;
  ndiRuntime?: string;
}

export const NDI_RATE_LABELS = STANDARD_FRAME_RATES.map((r) => r.label);

/** "1920x1080" -> size; throws with a message for the CLI otherwise. */
export function parseNdiSize(value: string): { width: number; height: number } {
  const match = /^(\d{2,4})x(\d{2,4})$/.exec(value.trim());
  const width = Number(match?.[1]);
  const height = Number(match?.[2]);
  if (!match || width % 2 !== 0 || width < 16 || height < 16 || width > 7680 || height > 4320) {
    throw new Error(`--ndi-size must be WIDTHxHEIGHT with an even width, e.g. 1920x1080 (got "${value}")`);
  }
  return { width, height };
}

export function parseNdiRate(label: string): FrameRate {
  const rate = STANDARD_FRAME_RATES.find((r) => r.label === label);
  if (!rate) throw new Error(`--ndi-rate must be one of ${NDI_RATE_LABELS.join(', ')} (got "${label}")`);
  return { num: rate.num, den: rate.den };
}

/** Settings for Engine options; undefined when no NDI flag was given. */
export function ndiSettingsFromFlags(flags: NdiFlags): NdiSettings | undefined {
  const names = flags.ndi ?? [];
  const any = names.length > 0 || flags.ndiExtraIps || flags.ndiDiscovery || flags.ndiRuntime;
  if (!any) return undefined;
  const size = flags.ndiSize ? parseNdiSize(flags.ndiSize) : undefined;
  const rate = flags.ndiRate ? parseNdiRate(flags.ndiRate) : undefined;
  return {
    outputs: names.map((name) => ({ name, ...(size ?? {}), ...(rate ? { rate } : {}), ...(flags.ndiGroups ? { groups: flags.ndiGroups } : {}) })),
    ...(flags.ndiExtraIps ? { extraIps: flags.ndiExtraIps } : {}),
    ...(flags.ndiDiscovery ? { discoveryServers: flags.ndiDiscovery } : {}),
    ...(flags.ndiRuntime ? { runtimeDir: flags.ndiRuntime } : {}),
  };
}
