/**
 * Free space on a recording folder's disk (statfs), and the limits a recording keeps
 * to: refused to start below `minFreeBytes`, stopped cleanly (the file finished)
 * when free space falls below `reserveBytes`, so the disk never fills mid-write.
 */
import { statfsSync } from 'node:fs';

/** Bytes free to this user on the disk holding `folder`; throws when the folder cannot be read. */
export type DiskFree = (folder: string) => number;

export const statfsFree: DiskFree = (folder) => {
  const stats = statfsSync(folder);
  return Number(stats.bavail) * Number(stats.bsize);
};

export interface DiskLimits {
  /** Refuse to start with less free than this. Default 2 GiB (about 10 min of 1080p H.264, 1 min of ProRes HQ). */
  minFreeBytes: number;
  /** Stop the recording when free space drops below this. Default 1 GiB: room for the last fragment, the trailer and the rest of the system. */
  reserveBytes: number;
}

export const DEFAULT_DISK_LIMITS: DiskLimits = { minFreeBytes: 2 * 1024 ** 3, reserveBytes: 1024 ** 3 };

/** "1.5 GB" for messages (decimal units, as file managers show disks). */
export function bytesText(bytes: number): string {
  if (bytes >= 1e9) return `${(bytes / 1e9).toFixed(1)} GB`;
  if (bytes >= 1e6) return `${(bytes / 1e6).toFixed(1)} MB`;
  return `${Math.round(bytes / 1e3)} kB`;
}
