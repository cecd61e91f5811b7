/**
 * Closed-form turbo fixtures (models/fixtures/build-closed-form-fixture.ts) through the real
 * pipeline on onnxruntime-node's CPU provider: the UNet returns exactly the noise separating
 * its input from a known target latent (or the seed's own noise), the VAE decoder and encoder
 * are known linear maps, so the correct frame is known to the pixel. A copy of the pipeline's
 * maths below computes it; a table of deliberate mistakes applied to that copy (a wrong sigma,
 * no input scaling, the wrong VAE scaling factor, the TAESD range, the encoder's scaling...)
 * shows each one lands far outside the tolerance the real frames meet.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InputPicture } from '../../app/engine/inputs/input-picture.js';
import { loadModelFolder } from '../../app/engine/generate/model-folder.js';
import { TurboDiffusionPipeline } from '../../app/engine/generate/pipelines/turbo-diffusion.js';
import { gaussianNoise } from '../../app/engine/generate/turbo/latent-math.js';
import type { WorkerLook } from '../../app/engine/generate/worker-protocol.js';
import {
  buildClosedFormFixture,
  CLOSED_FORM_SCALING_FACTOR,
  CLOSED_FORM_SIZE,
  CLOSED_FORM_TARGET,
  DECODER_BIAS,
  DECODER_MATRIX,
  ENCODER_BIAS,
  ENCODER_MATRIX,
  type ClosedFormOptions,
} from '../../models/fixtures/build-closed-form-fixture.js';

const SIZE = CLOSED_FORM_SIZE;
const SEED = 5;
/** The real frames meet this (max abs difference per channel, 0..255): float32 rounding at the .5 edges. */
const TOLERANCE = 1;
/** Each mistake must move some pixel by more than this (well clear of TOLERANCE). */
const MISTAKE_MARGIN = 4;

let root: string;
const opened: TurboDiffusionPipeline[] = [];
beforeAll(() => {
  root = mkdtempSync(path.join(tmpdir(), 'cyclorama-turbo-closed-form-'));
});
afterAll(async () => {
  for (const p of opened) await p.release();
  rmSync(root, { recursive: true, force: true });
});

async function open(name: string, options: ClosedFormOptions): Promise<TurboDiffusionPipeline> {
  const dir = path.join(root, name);
  buildClosedFormFixture(dir, options);
  const folder = loadModelFolder(dir);
  if (!folder.ok || folder.value.kind !== 'turbo-diffusion') throw new Error(folder.ok ? 'not turbo' : folder.error.message);
  const pipeline = new TurboDiffusionPipeline(folder.value.layout, { providers: ['cpu'], width: SIZE, height: SIZE, intraOpThreads: 1 });
  const loaded = await pipeline.load();
  if (!loaded.ok) throw new Error(loaded.message);
  opened.push(pipeline);
  return pipeline;
}

const look = (params: Record<string, number>): WorkerLook => ({
  lookId: 1,
  from: null,
  to: { prompt: 'a photo of a cat', seed: SEED, params: { similarity: 2, ...params } },
  transition: { durationMs: 0, curve: 'linear' },
  startedAtMs: 0,
});

async function frame(p: TurboDiffusionPipeline, input: InputPicture | null = null): Promise<Uint8Array> {
  const buffer = new ArrayBuffer(SIZE * SIZE * 4);
  await p.renderInto(buffer, 0, 0, input);
  return new Uint8Array(buffer);
}

/** A 64x64 test picture: smooth gradients, so the 8x8 averages are all different. */
function picture(version: number, shift = 0): InputPicture {
  const rgba = new Uint8Array(SIZE * SIZE * 4);
  for (let y = 0; y < SIZE; y++)
    for (let x = 0; x < SIZE; x++) {
      const i = (y * SIZE + x) * 4;
      rgba[i] = 30 + ((x + shift) % SIZE) * 3;
      rgba[i + 1] = 40 + y * 2.5;
      rgba[i + 2] = 200 - ((x + y + shift) % SIZE) * 1.5;
      rgba[i + 3] = 255;
    }
  return { rgba, width: SIZE, height: SIZE, version, receivedAtMs: 0 };
}

// ---- A copy of the pipeline's maths, with switches for the mistakes it must not make. ----

interface Mistakes {
  /** sigma = sqrt(1 - a) (the DDPM noise coefficient) instead of sqrt((1 - a) / a). */
  ddpmSigma?: boolean;
  /** The UNet fed x_t as it is, without 1 / sqrt(sigma^2 + 1). */
  noInputScaling?: boolean;
  /** The full VAE fed x0 with another scaling factor (SDXL's 0.13025 on an SD model) / multiplied by it. */
  scalingFactor?: number;
  multiplyScaling?: boolean;
  /** The tiny decoder fed x0 / sf as if it were the full VAE. */
  tinyScaled?: boolean;
  /** The tiny decoder's 0..1 taken as -1..1 (or the other way round). */
  swapRange?: boolean;
  /** The full encoder's latents not multiplied by the scaling factor. */
  unscaledEncoder?: boolean;
  /** The picture given to the encoder in the other range (0..1 for -1..1). */
  encoderRange?: boolean;
  /** The step at strength 0.5 on a text-only first frame (the grey first frame). */
  timestep?: number;
}

function alphasCumprod(): Float64Array {
  const out = new Float64Array(1000);
  let product = 1;
  for (let i = 0; i < 1000; i++) {
    product *= 1 - (Math.sqrt(0.00085) + ((Math.sqrt(0.012) - Math.sqrt(0.00085)) * i) / 999) ** 2;
    out[i] = product;
  }
  return out;
}
const CUMPROD = alphasCumprod();
const trueSigma = (t: number) => Math.sqrt((1 - (CUMPROD[t] as number)) / (CUMPROD[t] as number));

/** The 8x8 block averages of the picture in 0..1, [3][64]. */
function blockAverages(input: InputPicture): number[][] {
  const out = [0, 1, 2].map(() => new Array<number>(64).fill(0));
  for (let y = 0; y < SIZE; y++)
    for (let x = 0; x < SIZE; x++)
      for (let c = 0; c < 3; c++) (out[c] as number[])[Math.floor(y / 8) * 8 + Math.floor(x / 8)]! += (input.rgba[(y * SIZE + x) * 4 + c] as number) / 255 / 64;
  return out;
}

function encodeInput(input: InputPicture, decoder: ClosedFormOptions['decoder'], m: Mistakes): Float32Array {
  const v = blockAverages(input);
  // The encoder graph reads -1..1 (full, diffusers' tiny) or 0..1 (raw TAESD); the mistake hands it the other.
  const takesSigned = decoder !== 'tiny-raw';
  const z = new Float32Array(256);
  for (let c = 0; c < 4; c++)
    for (let p = 0; p < 64; p++) {
      let acc = ENCODER_BIAS[c] as number;
      for (let k = 0; k < 3; k++) {
        let vk = (v[k] as number[])[p] as number;
        if (m.encoderRange) vk = takesSigned ? (vk + 1) / 2 : vk * 2 - 1;
        acc += (ENCODER_MATRIX[c] as readonly number[])[k]! * vk;
      }
      // Full VAE: the graph gives z / sf, the pipeline multiplies by sf again.
      z[c * 64 + p] = decoder === 'full' && m.unscaledEncoder ? acc / CLOSED_FORM_SCALING_FACTOR : acc;
    }
  return z;
}

/** The frame the pipeline should make (R, G, B per pixel), with the given mistakes. */
function expectedFrame(options: ClosedFormOptions, strength: number, input: InputPicture | null, m: Mistakes = {}): Uint8Array {
  const t = m.timestep ?? Math.max(1, Math.min(999, Math.round((input ? strength : 1) * 1000) - 1));
  const a = CUMPROD[t] as number;
  const sigmaP = m.ddpmSigma ? Math.sqrt(1 - a) : trueSigma(t);
  const sigmaG = trueSigma(t);
  const noise = gaussianNoise(new Float32Array(256), SEED, 0);
  const source = input ? encodeInput(input, options.decoder, m) : new Float32Array(256);
  const x0 = new Float32Array(256);
  for (let i = 0; i < 256; i++) {
    const xt = (source[i] as number) + sigmaP * (noise[i] as number);
    const sample = m.noInputScaling ? xt : xt / Math.sqrt(sigmaP * sigmaP + 1);
    const eps = options.unet === 'target' ? (sample * Math.sqrt(sigmaG * sigmaG + 1) - (CLOSED_FORM_TARGET[i] as number)) / sigmaG : (noise[i] as number);
    x0[i] = xt - sigmaP * eps;
  }
  // Decoder input: the full VAE takes x0 / sf (its graph multiplies by the true sf); the tiny one x0.
  const sf = m.scalingFactor ?? CLOSED_FORM_SCALING_FACTOR;
  const z =
    options.decoder === 'full'
      ? Array.from(x0, (v) => (m.multiplyScaling ? v * sf : v / sf) * CLOSED_FORM_SCALING_FACTOR)
      : Array.from(x0, (v) => (m.tinyScaled ? v / CLOSED_FORM_SCALING_FACTOR : v));
  const frameOut = new Uint8Array(SIZE * SIZE * 4);
  for (let y = 0; y < SIZE; y++)
    for (let x = 0; x < SIZE; x++) {
      const p = Math.floor(y / 8) * 8 + Math.floor(x / 8);
      for (let c = 0; c < 3; c++) {
        let u = DECODER_BIAS[c] as number;
        for (let k = 0; k < 4; k++) u += (DECODER_MATRIX[c] as readonly number[])[k]! * (z[k * 64 + p] as number);
        // The graph gives 2u - 1 (full, diffusers' tiny) or u (raw TAESD); the post-process maps its range to 0..255.
        const signed = options.decoder !== 'tiny-raw';
        const out = signed ? 2 * u - 1 : u;
        const readSigned = m.swapRange ? !signed : signed;
        const value = readSigned ? out * 127.5 + 128 : out * 255 + 0.5;
        frameOut[(y * SIZE + x) * 4 + c] = Math.max(0, Math.min(255, Math.floor(value)));
      }
      frameOut[(y * SIZE + x) * 4 + 3] = 255;
    }
  return frameOut;
}

function maxDiff(a: Uint8Array, b: Uint8Array): number {
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs((a[i] as number) - (b[i] as number)));
  return max;
}

describe('closed-form turbo fixtures: only the correct maths makes the target picture', () => {
  const textCases: { name: string; options: ClosedFormOptions; mistakes: [string, Mistakes][] }[] = [
    {
      name: 'full VAE',
      options: { unet: 'target', decoder: 'full', encoder: false },
      mistakes: [
        ['sigma as sqrt(1 - alpha_bar)', { ddpmSigma: true }],
        ['no UNet input scaling', { noInputScaling: true }],
        ["SDXL's scaling factor", { scalingFactor: 0.13025 }],
        ['scaling factor multiplied, not divided', { multiplyScaling: true }],
        ['-1..1 read as 0..1', { swapRange: true }],
      ],
    },
    {
      name: "diffusers' tiny VAE",
      options: { unet: 'target', decoder: 'tiny-diffusers', encoder: false },
      mistakes: [
        ['latents divided by the scaling factor (as for the full VAE)', { tinyScaled: true }],
        ['-1..1 read as 0..1', { swapRange: true }],
      ],
    },
    {
      name: 'raw TAESD (0..1, no config.json)',
      options: { unet: 'target', decoder: 'tiny-raw', encoder: false },
      mistakes: [['0..1 read as -1..1 (washed out)', { swapRange: true }]],
    },
  ];
  for (const { name, options, mistakes } of textCases) {
    it(`text-only first frame is the decoded target latent (${name}), and each mistake misses it`, async () => {
      const p = await open(`text-${options.decoder}`, options);
      p.setLook(look({ strength: 0.5 }));
      const actual = await frame(p);
      const correct = expectedFrame(options, 0.5, null);
      expect(maxDiff(actual, correct)).toBeLessThanOrEqual(TOLERANCE);
      // The picture is not flat: the check is about every pixel, not an average.
      expect(Math.max(...actual.filter((_, i) => i % 4 === 0)) - Math.min(...actual.filter((_, i) => i % 4 === 0))).toBeGreaterThan(40);
      for (const [mistake, m] of mistakes) {
        const wrong = expectedFrame(options, 0.5, null, m);
        expect(maxDiff(actual, wrong), mistake).toBeGreaterThan(MISTAKE_MARGIN);
      }
    });
  }

  const inputCases: { name: string; options: ClosedFormOptions; mistakes: [string, Mistakes][] }[] = [
    {
      name: 'full VAE encoder (latents x scaling factor)',
      options: { unet: 'source', decoder: 'full', encoder: true, seed: SEED },
      mistakes: [
        ['encoder latents not multiplied by the scaling factor', { unscaledEncoder: true }],
        ['encoder fed 0..1 instead of -1..1', { encoderRange: true }],
      ],
    },
    {
      name: "full VAE encoder with latent_parameters (optimum's newer exports: the mean is used)",
      options: { unet: 'source', decoder: 'full', encoder: true, seed: SEED, encoderOutput: 'latent_parameters' },
      mistakes: [['encoder latents not multiplied by the scaling factor', { unscaledEncoder: true }]],
    },
    {
      name: 'raw TAESD encoder (0..1 in, model latents out)',
      options: { unet: 'source', decoder: 'tiny-raw', encoder: true, seed: SEED },
      mistakes: [
        ['encoder fed -1..1 instead of 0..1', { encoderRange: true }],
        ['0..1 read as -1..1', { swapRange: true }],
      ],
    },
  ];
  for (const { name, options, mistakes } of inputCases) {
    it(`image-to-image decodes the encoded input, noised and denoised at the strength's timestep (${name})`, async () => {
      const p = await open(`input-${options.decoder}-${options.encoderOutput ?? 'latent_sample'}`, options);
      p.setLook(look({ strength: 0.4 }));
      const input = picture(1);
      const actual = await frame(p, input);
      expect(maxDiff(actual, expectedFrame(options, 0.4, input))).toBeLessThanOrEqual(TOLERANCE);
      for (const [mistake, m] of mistakes) expect(maxDiff(actual, expectedFrame(options, 0.4, input, m)), mistake).toBeGreaterThan(MISTAKE_MARGIN);
    });
  }

  it("image-to-image with the target UNet: the strength's timestep and sigma agree with the UNet's schedule", async () => {
    const options: ClosedFormOptions = { unet: 'target', decoder: 'full', encoder: true };
    const p = await open('input-target', options);
    for (const strength of [0.25, 0.5, 0.8]) {
      p.setLook(look({ strength }));
      const input = picture(Math.round(strength * 100));
      const actual = await frame(p, input);
      expect(maxDiff(actual, expectedFrame(options, strength, input))).toBeLessThanOrEqual(TOLERANCE);
      expect(maxDiff(actual, expectedFrame(options, strength, input, { ddpmSigma: true }))).toBeGreaterThan(MISTAKE_MARGIN);
    }
  });
});
