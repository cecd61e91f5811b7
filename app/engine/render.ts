/**
 * Offline render: frames of one prompt at exact show times, written as PNGs.
 * Same prompt + seed + times = the same files, so renders double as checks.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PNG } from 'pngjs';
import type { ExecutionProviderName } from '../contract/providers.js';
import { engineNowMs } from './clock.js';
import { Generator } from './generate/generator.js';
import { builtinModelDir, loadModelFolder } from './generate/model-folder.js';
import { fail, ok, type Result } from './result.js';

export interface RenderOptions {
  prompt: string;
  out: string;
  frames: number;
  seed: number;
  fps: number;
  start: number;
  width?: number;
  height?: number;
  model?: string;
  provider?: ExecutionProviderName;
  log?: (line: string) => void;
}

export async function renderFrames(options: RenderOptions): Promise<Result<{ files: string[]; provider: string }>> {
  const folder = loadModelFolder(options.model ?? builtinModelDir());
  if (!folder.ok) return fail(folder.error);
  const { manifest } = folder.value;
  const width = options.width ?? manifest.nativeSize.width;
  const height = options.height ?? manifest.nativeSize.height;
  const started = await Generator.start({
    model: folder.value,
    width,
    height,
    showEpochMs: engineNowMs(),
    ...(options.provider ? { onlyProvider: options.provider } : {}),
  });
  if (!started.ok) return fail(started.error);
  const generator = started.value;
  const log = options.log ?? (() => {});
  log(`${manifest.name} on ${generator.ready.provider}, ${width}x${height}`);
  try {
    mkdirSync(options.out, { recursive: true });
    generator.setLook({ lookId: 1, from: null, to: { prompt: options.prompt, seed: options.seed }, transition: { durationMs: 0, curve: 'linear' }, startedAtMs: 0 });
    const png = new PNG({ width, height });
    const files: string[] = [];
    for (let i = 0; i < options.frames; i++) {
      const showTimeMs = options.start + (i * 1000) / options.fps;
      const frame = await generator.renderAt(showTimeMs);
      if (!frame.ok) return fail(frame.error);
      png.data = Buffer.from(frame.value.pixels.buffer, frame.value.pixels.byteOffset, frame.value.pixels.byteLength);
      const file = path.join(options.out, `frame-${String(i + 1).padStart(4, '0')}.png`);
      writeFileSync(file, PNG.sync.write(png));
      generator.release(frame.value);
      files.push(file);
      log(`wrote ${file} (${frame.value.inferMs.toFixed(1)} ms)`);
    }
    return ok({ files, provider: generator.ready.provider });
  } finally {
    await generator.stop();
  }
}
