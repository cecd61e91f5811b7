/**
 * Which FFmpeg records: the one shipped in the npm package @ffmpeg-installer/ffmpeg
 * (a static 4.1 build with libx264 and prores_ks, inside the package tarball, so it
 * installs offline), else an `ffmpeg` on PATH. What it can write is read from
 * `ffmpeg -encoders` once, off the engine thread (a child process).
 */
import { execFile } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, join } from 'node:path';
import { RECORDING_CODECS, type RecordingCodec, type RecordingStatus } from '../../contract/recording.js';
import { CODEC_ENCODER } from './encoder-args.js';

export type EncoderInfo = RecordingStatus['encoder'];

export const NO_ENCODER: EncoderInfo = { available: false, path: null, version: null, codecs: [], message: 'looking for the FFmpeg encoder' };

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The shipped binary's path, or why there is none (platform not covered, package missing, not executable). */
export function shippedFfmpeg(): { path: string } | { message: string } {
  try {
    const require = createRequire(import.meta.url);
    const found = require('@ffmpeg-installer/ffmpeg') as { path: string };
    // In the packaged app the package resolves inside app.asar, where nothing can be executed;
    // electron-builder.yml unpacks it next to the archive (asarUnpack).
    const binary = found.path.replace(/([\\/])app\.asar([\\/])/, '$1app.asar.unpacked$2');
    if (!executable(binary)) return { message: `the shipped FFmpeg at ${binary} is not executable (chmod +x it)` };
    return { path: binary };
  } catch (error) {
    // The package throws a string for an unsupported platform.
    return { message: `no shipped FFmpeg for this platform (${error instanceof Error ? error.message : String(error)})` };
  }
}

/** An `ffmpeg` on PATH, or null. */
export function ffmpegOnPath(pathVariable = process.env.PATH ?? ''): string | null {
  for (const dir of pathVariable.split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, process.platform === 'win32' ? 'ffmpeg.exe' : 'ffmpeg');
    if (executable(candidate)) return candidate;
  }
  return null;
}

/** Codecs a `ffmpeg -encoders` listing offers (an encoder line is " V..... libx264 ..."). */
export function codecsIn(encodersListing: string): RecordingCodec[] {
  const names = new Set(encodersListing.split('\n').map((line) => line.trim().split(/\s+/)[1] ?? ''));
  return RECORDING_CODECS.filter((codec) => names.has(CODEC_ENCODER[codec]));
}

function run(path: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(path, args, { timeout: 20_000, maxBuffer: 4 * 1024 * 1024 }, (error, stdout) => (error ? reject(error) : resolve(stdout)));
  });
}

/**
 * Finds the encoder and what it can write. `override` (tests, the CLI) is tried alone.
 * Never throws: a missing or broken FFmpeg is a message in the state, and recording is refused with it.
 */
export async function findEncoder(override?: string): Promise<EncoderInfo> {
  const shipped = override ? { path: override } : shippedFfmpeg();
  const path = 'path' in shipped ? shipped.path : ffmpegOnPath();
  if (!path) {
    const why = 'message' in shipped ? shipped.message : 'not found';
    return { ...NO_ENCODER, message: `Recording needs FFmpeg: ${why}, and there is no ffmpeg on PATH. Reinstall Cyclorama, or install FFmpeg (apt-get install ffmpeg).` };
  }
  try {
    const version =
      (await run(path, ['-hide_banner', '-version']))
        .split('\n')[0]
        ?.replace(/^ffmpeg version\s*/, '')
        .split(' ')[0] ?? '';
    const codecs = codecsIn(await run(path, ['-hide_banner', '-encoders']));
    const message = codecs.length === 0 ? `FFmpeg at ${path} has none of the encoders recording uses (${Object.values(CODEC_ENCODER).join(', ')}).` : null;
    return { available: codecs.length > 0, path, version, codecs, message };
  } catch (error) {
    return { ...NO_ENCODER, path, message: `FFmpeg at ${path} does not run: ${(error as Error).message}` };
  }
}
