/**
 * The inputs one inference loop uses (InputFeed): opened when a look first names them
 * (in pictureFor), kept while named, closed once no look has named them for
 * INPUT_IDLE_CLOSE_MS. pictureFor answers from memory at once and never throws: the
 * finding, receiving, decoding and fitting happen on the inputs' own threads.
 *
 * Transitions: `to`'s picture, crossfaded from `from`'s by `mix` (0 = all `from`, 1 = all
 * `to`). While `to` has no frame yet and `from` has, `from`'s picture is held (the wall
 * does not drop to text-only for the first frames of a new source); a look with no input
 * gives null (text-only).
 *
 * Versions: the same number while the pixels are the same (a pipeline skips work on
 * that); a crossfade gets a new one when either side's frame or the mix (in 1/256 steps,
 * the blend's resolution) moves.
 */
import type { InputSource, InputStatus, LookInput } from '../../contract/inputs.js';
import { inputKey } from '../../contract/inputs.js';
import type { LibNdi } from '../ndi/libndi.js';
import type { InputFeed, InputPicture } from './input-picture.js';
import { createImageInput } from './image-input.js';
import { nextPictureVersion, type FittedPicture, type LiveInput } from './live-input.js';
import { createNdiInput } from './ndi-input.js';
import { ProgramInput } from './program-input.js';

/** An input no look named for this long is closed (a receiver and its worker freed). */
export const INPUT_IDLE_CLOSE_MS = 3000;

export interface InputSetOptions {
  /** The loaded NDI runtime; null when it is absent (NDI inputs are then 'failed' with what to install). */
  ndi: LibNdi | null;
  /** Comma-separated IPs the NDI finder queries besides mDNS (--ndi-extra-ips). */
  extraIps?: string;
  /** Image paths as the show file gives them -> paths to open (relative to the show file). */
  resolveImagePath?: (path: string) => string;
  /** Clock for closing idle inputs (ms); performance.now by default. */
  nowMs?: () => number;
}

interface OpenInput {
  input: LiveInput;
  lastNamedMs: number;
}

const RB = 0x00ff00ff;
const GA = 0xff00ff00;

/**
 * out = a * (256 - weight) / 256 + b * weight / 256, rounded, per byte. Two bytes per
 * multiply (16-bit lanes: 255 * 256 + 128 never carries into the next lane), so a
 * 512x512 crossfade costs a fraction of a millisecond.
 */
export function blendInto(out: Uint8Array, a: Uint8Array, b: Uint8Array, weight: number, bytes: number): void {
  const aligned = out.byteOffset % 4 === 0 && a.byteOffset % 4 === 0 && b.byteOffset % 4 === 0 && bytes % 4 === 0;
  const wa = 256 - weight;
  if (!aligned) {
    for (let i = 0; i < bytes; i++) out[i] = ((a[i] as number) * wa + (b[i] as number) * weight + 128) >> 8;
    return;
  }
  const o = new Uint32Array(out.buffer, out.byteOffset, bytes >> 2);
  const x = new Uint32Array(a.buffer, a.byteOffset, bytes >> 2);
  const y = new Uint32Array(b.buffer, b.byteOffset, bytes >> 2);
  for (let i = 0; i < o.length; i++) {
    const p = x[i] as number;
    const q = y[i] as number;
    const rb = ((((p & RB) * wa + (q & RB) * weight + 0x00800080) >>> 8) & RB) >>> 0;
    const ga = (((((p & GA) >>> 8) * wa + ((q & GA) >>> 8) * weight + 0x00800080) >>> 0) & GA) >>> 0;
    o[i] = (rb | ga) >>> 0;
  }
}

const sameLookInput = (a: LookInput, b: LookInput) => a.fit === b.fit && inputKey(a.source) === inputKey(b.source);

export class InputSet implements InputFeed {
  private readonly inputs = new Map<string, OpenInput>();
  private readonly nowMs: () => number;
  private program: ProgramInput | null = null;
  private blend = new Uint8Array(0);
  private blendSignature = '';
  private blendVersion = 0;
  private closed = false;

  constructor(private readonly options: InputSetOptions) {
    this.nowMs = options.nowMs ?? (() => performance.now());
  }

  pictureFor(from: LookInput | null | undefined, to: LookInput | null | undefined, mix: number, width: number, height: number): InputPicture | null {
    try {
      return this.pick(from ?? null, to ?? null, mix, width, height);
    } catch {
      // An input that misbehaves costs its picture, never the frame: the look runs text-only.
      return null;
    }
  }

  private pick(from: LookInput | null, to: LookInput | null, mix: number, width: number, height: number): InputPicture | null {
    if (this.closed || !(width > 0 && height > 0)) return null;
    const now = this.nowMs();
    const toInput = to ? this.open(to.source, now) : null;
    const m = Number.isFinite(mix) ? Math.min(1, Math.max(0, mix)) : 1;
    const blending = from !== null && to !== null && m < 1 && !sameLookInput(from, to);
    const fromInput = blending && from ? this.open(from.source, now) : null;
    this.closeIdle(now);
    if (!to || !toInput) return null;
    const toPicture = toInput.picture(to.fit, width, height);
    const fromPicture = fromInput && from ? fromInput.picture(from.fit, width, height) : null;
    if (!toPicture) return fromPicture;
    if (!fromPicture) return toPicture;
    return this.crossfade(fromPicture, toPicture, m, width, height);
  }

  private crossfade(a: FittedPicture, b: FittedPicture, mix: number, width: number, height: number): InputPicture {
    const weight = Math.round(mix * 256);
    if (weight >= 256) return b;
    if (weight <= 0) return a;
    const signature = `${a.version}:${b.version}:${weight}:${width}x${height}`;
    const bytes = width * height * 4;
    if (signature !== this.blendSignature) {
      if (this.blend.length !== bytes) this.blend = new Uint8Array(bytes);
      blendInto(this.blend, a.rgba, b.rgba, weight, bytes);
      this.blendSignature = signature;
      this.blendVersion = nextPictureVersion();
    }
    return { rgba: this.blend, width, height, version: this.blendVersion, receivedAtMs: Math.max(a.receivedAtMs, b.receivedAtMs) };
  }

  private open(source: InputSource, now: number): LiveInput {
    const key = inputKey(source);
    const open = this.inputs.get(key);
    if (open) {
      open.lastNamedMs = now;
      return open.input;
    }
    const input = this.create(source);
    this.inputs.set(key, { input, lastNamedMs: now });
    return input;
  }

  private create(source: InputSource): LiveInput {
    switch (source.kind) {
      case 'ndi':
        return createNdiInput(source, this.options.ndi, this.options.extraIps, this.nowMs);
      case 'image': {
        const resolved = this.options.resolveImagePath ? this.options.resolveImagePath(source.path) : source.path;
        return createImageInput(source, resolved, this.nowMs);
      }
      case 'program':
        this.program = new ProgramInput();
        return this.program;
    }
  }

  private closeIdle(now: number): void {
    for (const [key, open] of this.inputs) {
      if (now - open.lastNamedMs <= INPUT_IDLE_CLOSE_MS) continue;
      this.inputs.delete(key);
      open.input.close();
      if (open.input === this.program) this.program = null;
    }
  }

  noteProgramFrame(rgba: Uint8Array, width: number, height: number): void {
    // Copied only while a look names the program (the ProgramInput exists only then).
    this.program?.note(rgba, width, height);
  }

  status(): InputStatus[] {
    return [...this.inputs.values()].map((open) => open.input.status());
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const open of this.inputs.values()) open.input.close();
    this.inputs.clear();
    this.program = null;
  }
}
