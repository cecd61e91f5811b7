/**
 * The built-in model on onnxruntime's WebGPU provider, here over Mesa's lavapipe
 * (software Vulkan from bookworm-backports; see scripts/setup-test-machine.sh),
 * compared with the CPU provider's frame for the same look and time.
 * Slow on lavapipe (shader compilation takes seconds): a correctness test, not speed.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { Generator } from '../../app/engine/generate/generator.js';
import { builtinModelDir, loadModelFolder } from '../../app/engine/generate/model-folder.js';

const WIDTH = 384;
const HEIGHT = 216;
const started: Generator[] = [];

async function renderOn(provider: 'cpu' | 'webgpu'): Promise<Uint8Array> {
  const folder = loadModelFolder(builtinModelDir());
  if (!folder.ok) throw new Error(folder.error.message);
  const result = await Generator.start({ model: folder.value, width: WIDTH, height: HEIGHT, showEpochMs: 0, onlyProvider: provider });
  if (!result.ok) {
    throw new Error(
      `${provider} did not start: ${result.error.message}\n` +
        'WebGPU needs a Vulkan driver: on Debian bookworm install mesa-vulkan-drivers from bookworm-backports (scripts/setup-test-machine.sh).',
    );
  }
  const generator = result.value;
  started.push(generator);
  expect(generator.ready.provider).toBe(provider);
  generator.setLook({ lookId: 1, from: null, to: { prompt: 'neon night city rain', seed: 9 }, transition: { durationMs: 0, curve: 'linear' }, startedAtMs: 0 });
  const frame = await generator.renderAt(4321);
  if (!frame.ok) throw new Error(frame.error.message);
  return frame.value.pixels.slice();
}

afterAll(async () => {
  for (const generator of started) await generator.stop();
});

describe('WebGPU provider', () => {
  it('renders the built-in model like the CPU provider does', { timeout: 120_000 }, async () => {
    const cpu = await renderOn('cpu');
    const gpu = await renderOn('webgpu');
    let largest = 0;
    let total = 0;
    for (let i = 0; i < cpu.length; i++) {
      const d = Math.abs((cpu[i] as number) - (gpu[i] as number));
      total += d;
      if (d > largest) largest = d;
    }
    // Float maths differ in the last bits between providers; the dithered uint8 frame
    // may move by a level, never more than two.
    expect(largest).toBeLessThanOrEqual(2);
    expect(total / cpu.length).toBeLessThan(0.05);
  });
});
