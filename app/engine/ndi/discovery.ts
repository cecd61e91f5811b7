/**
 * NDI(R) discovery settings for networks where mDNS does not reach (blocked multicast,
 * VLANs, VPNs, this sandbox): extra IPs to look for sources on, and NDI Discovery
 * Servers. libndi reads them from $NDI_CONFIG_DIR/ndi-config.v1.json when it is
 * initialized, so they must be in place before the first NDI call of the process.
 *
 * Only when the user gives settings (CLI --ndi-extra-ips / --ndi-discovery, engine
 * options) does Cyclorama write a config and point NDI_CONFIG_DIR at it; otherwise
 * the user's own NDI configuration (NDI Access Manager, ~/.ndi) is left alone.
 * Finders (receivers, tests) take extra IPs directly (NDIlib_find_create_t.p_extra_ips).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface NdiDiscoverySettings {
  /** Comma-separated IPs (or host names) to query for sources, e.g. "127.0.0.1,10.0.0.5". */
  extraIps?: string;
  /** Comma-separated NDI Discovery Server addresses, e.g. "10.0.0.2" or "10.0.0.2:5959". */
  discoveryServers?: string;
  /** Folder for the generated ndi-config.v1.json; a per-process temp folder by default. */
  configDir?: string;
}

/** The ndi-config.v1.json content for these settings. */
export function ndiConfigJson(settings: NdiDiscoverySettings): string {
  const networks: Record<string, string> = {};
  if (settings.extraIps) networks.ips = settings.extraIps;
  if (settings.discoveryServers) networks.discovery = settings.discoveryServers;
  return `${JSON.stringify({ ndi: { networks } }, null, 2)}\n`;
}

/**
 * Writes the config and sets NDI_CONFIG_DIR (for this process: libndi reads it at
 * initialize). Returns the folder, or null when there is nothing to set.
 */
export function applyNdiDiscovery(settings: NdiDiscoverySettings, env: NodeJS.ProcessEnv = process.env): string | null {
  if (!settings.extraIps && !settings.discoveryServers) return null;
  const dir = settings.configDir ?? path.join(tmpdir(), `cyclorama-ndi-config-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'ndi-config.v1.json'), ndiConfigJson(settings));
  env.NDI_CONFIG_DIR = dir;
  return dir;
}
