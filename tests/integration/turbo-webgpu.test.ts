/**
 * The turbo pipeline on onnxruntime's WebGPU provider (here over Mesa's lavapipe,
 * software Vulkan: see scripts/setup-test-machine.sh and webgpu-lavapipe.test.ts),
 * against the CPU provider's frames for the same looks. Correctness, not speed.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadModelFolder } from '../../app/engine/generate/model-folder.js';
import { TurboDiffusionPipeline } from '../../app/engine/generate/pipelines/turbo-diffusion.js';
import { buildTurboFixture, type TurboFixtureOptions } from '../../models/fixtures/build-turbo-fixtures.js';

const WIDTH = 160;
const HEIGHT = 90;
const dirs: string[] = [];
const opened: TurboDiffusionPipeline[] = [];

afterAll(async () => {
  for (const p of opened) await p.release();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

async function frames(dir: string, provider: 'cpu' | 'webgpu'): Promise<Uint8Array[]> {
  const folder = loadModelFolder(dir);
  if (!folder.ok || folder.value.kind !== 'turbo-diffusion') throw new Error('fixture');
  const pipeline = new TurboDiffusionPipeline(folder.value.layout, { providers: [provider], width: WIDTH, height: HEIGHT, intraOpThreads: 1 });
  const loaded = await pipeline.load();
  if (!loaded.ok) {
    throw new Error(
      `${provider} did not load the turbo fixture: ${loaded.message} ${JSON.stringify(loaded.fallbacks)}\n` +
        'WebGPU needs a Vulkan driver: on Debian bookworm install mesa-vulkan-drivers from bookworm-backports (scripts/setup-test-machine.sh).',
    );
  }
  opened.push(pipeline);
  pipeline.setLook({
    lookId: 1,
    from: null,
    to: { prompt: 'a photo of a cat', seed: 3, params: { similarity: 2 } },
    transition: { durationMs: 0, curve: 'linear' },
    startedAtMs: 0,
  });
  const out: Uint8Array[] = [];
  for (const t of [0, 33]) {
    const buffer = new ArrayBuffer(WIDTH * HEIGHT * 4);
    await pipeline.renderInto(buffer, t, t, null);
    out.push(new Uint8Array(buffer));
  }
  return out;
}

function compare(a: Uint8Array, b: Uint8Array): { largest: number; mean: number } {
  let largest = 0;
  let total = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs((a[i] as number) - (b[i] as number));
    total += d;
    if (d > largest) largest = d;
  }
  return { largest, mean: total / a.length };
}

describe('turbo pipeline on WebGPU', () => {
  for (const [name, options] of [
    ['SD-Turbo fp32', { variant: 'sd', precision: 'fp32' }],
    ['SDXL-Turbo fp16 + tiny VAE', { variant: 'sdxl', precision: 'fp16', tinyVae: true }],
  ] as const) {
    it(`renders ${name} like the CPU provider does (two frames: text-to-image, then feedback)`, { timeout: 180_000 }, async () => {
      const dir = mkdtempSync(path.join(tmpdir(), 'cyclorama-turbo-gpu-'));
      dirs.push(dir);
      buildTurboFixture(dir, options as TurboFixtureOptions);
      const cpu = await frames(dir, 'cpu');
      const gpu = await frames(dir, 'webgpu');
      for (let i = 0; i < cpu.length; i++) {
        const { largest, mean } = compare(cpu[i] as Uint8Array, gpu[i] as Uint8Array);
        // Float maths differ in the last bits between providers (fp16 more so); rounding to 8 bits
        // may move a level or two, and the feedback frame carries the first frame's differences.
        expect(largest).toBeLessThanOrEqual(options.precision === 'fp16' ? 8 : 3);
        expect(mean).toBeLessThan(options.precision === 'fp16' ? 1 : 0.2);
      }
    });
  }
});
