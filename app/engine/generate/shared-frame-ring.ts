/**
 * The frame ring shared by the engine and the inference process: one file of
 * `slotCount` frame slots, mapped (MAP_SHARED, native/shm) in both processes, so a
 * frame the model writes in its process is the same bytes the output clock reads in
 * the engine. Only slot numbers cross the IPC pipe (8 MB a frame at 1080p never do).
 *
 * The file is created exclusively (O_EXCL, mode 0600, random name) in /dev/shm
 * (RAM) where there is one, else the temp folder, and unlinked at once: it lives as
 * long as a descriptor or a mapping does, so no process death, not even the
 * engine's, leaves it behind. The inference process inherits the descriptor.
 *
 * Two ways to reach the ring, chosen per process (they share the same file bytes):
 *  - `mapped`: each slot is an ArrayBuffer over the shared pages (no copy at all);
 *  - `copied`: where V8 refuses external ArrayBuffers (Electron's memory cage, or
 *    CYCLORAMA_SHM=copy), each slot has a private ArrayBuffer and `publish` / `fetch`
 *    copy it to / from the shared file (one memcpy a frame on each side, still no pipe).
 * Callers always `publish` after writing a slot and `fetch` before reading one; in
 * mapped mode both do nothing.
 *
 * Who owns which slot is frame-slots.ts's job; this module only maps memory.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, ftruncateSync, openSync, unlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { shippedNativeFile } from '../resources.js';

/** An open mapping of the whole file (copied mode), unmapped when collected. */
type Region = { readonly __region: unique symbol };

interface ShmAddon {
  map(fd: number, offset: number, length: number): ArrayBuffer;
  open(fd: number, length: number): Region;
  read(region: Region, offset: number, dst: Uint8Array): void;
  write(region: Region, offset: number, src: Uint8Array): void;
  pageSize(): number;
}

export type RingAccess = 'mapped' | 'copied';

export function shmAddonPath(): string {
  return shippedNativeFile('native', 'shm', 'build', 'Release', 'cyclorama_shm.node');
}

let loaded: { addon: ShmAddon } | { reason: string } | null = null;

/** The addon, or why it is not available (the caller falls back to a worker thread and logs the reason). */
export function loadShmAddon(): { addon: ShmAddon } | { reason: string } {
  if (loaded) return loaded;
  const file = shmAddonPath();
  if (process.platform === 'win32') loaded = { reason: 'shared frame memory is POSIX only' };
  else if (!existsSync(file)) loaded = { reason: `native addon not built: ${file}; run "npm run build:native", needs a C compiler` };
  else {
    try {
      loaded = { addon: createRequire(import.meta.url)(file) as ShmAddon };
    } catch (error) {
      loaded = { reason: `native addon failed to load: ${(error as Error).message.split('\n')[0]}` };
    }
  }
  return loaded;
}

export class SharedFrameRing {
  private closed = false;

  private constructor(
    /** The ring file's descriptor in this process. */
    readonly fd: number,
    readonly frameBytes: number,
    /** Bytes between slot starts: mmap offsets must be page multiples. */
    readonly slotStride: number,
    /** One ArrayBuffer of exactly `frameBytes` per slot: over the shared pages (mapped) or private (copied). */
    readonly slots: ArrayBuffer[],
    /** The whole file, in copied mode. */
    private readonly region: { addon: ShmAddon; region: Region } | null,
  ) {}

  get access(): RingAccess {
    return this.region ? 'copied' : 'mapped';
  }

  /** After writing slot `index`: make it visible to the other process (copied mode). */
  publish(index: number): void {
    if (this.region) this.region.addon.write(this.region.region, index * this.slotStride, new Uint8Array(this.slot(index)));
  }

  /** Before reading slot `index`: take what the other process wrote (copied mode). */
  fetch(index: number): void {
    if (this.region) this.region.addon.read(this.region.region, index * this.slotStride, new Uint8Array(this.slot(index)));
  }

  /** Engine side: a new ring of `slotCount` frames; throws with the reason when it cannot be made. */
  static create(frameBytes: number, slotCount: number): SharedFrameRing {
    const shm = loadShmAddon();
    if (!('addon' in shm)) throw new Error(shm.reason);
    const page = shm.addon.pageSize();
    const slotStride = Math.ceil(frameBytes / page) * page;
    const folder = process.platform === 'linux' && existsSync('/dev/shm') ? '/dev/shm' : tmpdir();
    const file = path.join(folder, `cyclorama-frames-${process.pid}-${randomBytes(8).toString('hex')}`);
    const fd = openSync(file, 'wx+', 0o600);
    try {
      unlinkSync(file);
      ftruncateSync(fd, slotStride * slotCount);
      return SharedFrameRing.mapSlots(shm.addon, fd, frameBytes, slotStride, slotCount);
    } catch (error) {
      closeSync(fd);
      throw error;
    }
  }

  /** Inference side: the same ring from an inherited descriptor. */
  static attach(fd: number, frameBytes: number, slotStride: number, slotCount: number): SharedFrameRing {
    const shm = loadShmAddon();
    if (!('addon' in shm)) throw new Error(shm.reason);
    return SharedFrameRing.mapSlots(shm.addon, fd, frameBytes, slotStride, slotCount);
  }

  private static mapSlots(addon: ShmAddon, fd: number, frameBytes: number, slotStride: number, slotCount: number): SharedFrameRing {
    const slots: ArrayBuffer[] = [];
    if (process.env.CYCLORAMA_SHM !== 'copy') {
      try {
        for (let i = 0; i < slotCount; i++) slots.push(addon.map(fd, i * slotStride, frameBytes));
        return new SharedFrameRing(fd, frameBytes, slotStride, slots, null);
      } catch {
        // External ArrayBuffers refused (V8 memory cage): the same file, by copy.
        slots.length = 0;
      }
    }
    const region = addon.open(fd, slotStride * slotCount);
    for (let i = 0; i < slotCount; i++) slots.push(new ArrayBuffer(frameBytes));
    return new SharedFrameRing(fd, frameBytes, slotStride, slots, { addon, region });
  }

  slot(index: number): ArrayBuffer {
    const buffer = this.slots[index];
    if (!buffer) throw new RangeError(`frame slot ${index} is not in the ring (0..${this.slots.length - 1})`);
    return buffer;
  }

  /** Which slot a buffer is, or -1. */
  indexOf(buffer: ArrayBuffer): number {
    return this.slots.indexOf(buffer);
  }

  /** Closes the descriptor; the mappings stay valid until their ArrayBuffers are collected. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    closeSync(this.fd);
  }
}
