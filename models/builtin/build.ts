/**
 * Builds models/builtin/model.onnx: Cyclorama's built-in backdrop generator.
 *
 * A coordinate network with fixed, generated weights:
 *   pixel grid (160x90, 16:9) ──► Fourier layer 1 (sin) ──► domain warp
 *   ──► Fourier layer 2 (sin, 5 octaves) ──► 4 fields (clouds, colour mottle,
 *   grain, contour lines) ──► tone (horizon band, light pool, clouds)
 *   ──► palette (quadratic Bezier through shadow/body/light) + rays + glow
 *   ──► vignette, white balance, saturation, exposure
 *   ──► Resize (linear) to outputSize ──► + blue-noise dither ──► uint8 RGBA.
 * The conditioning vector (see conditioning-layout.ts) modulates frequencies,
 * phases, amplitudes and the palette; `time` and `seed` only move phases, so
 * motion is smooth and a seed is a different variation of the same look.
 *
 * Deterministic: the weights come from a seeded integer PRNG and plain
 * arithmetic (no Math.sin/exp), the protobuf from onnx-proto. Run:
 *   npx tsc -p tsconfig.json && node dist/models/builtin/build.js
 */
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { GraphBuilder, attr } from '../../app/engine/generate/onnx-builder.js';
import { CONDITIONING_SIZE, SLOTS } from './conditioning-layout.js';
import { vocabularyJson } from './vocabulary-source.js';
import { mulberry32 } from '../../app/engine/generate/turbo/latent-math.js';

/** Internal render grid; the graph upsamples it to outputSize. 16:9. */
export const INTERNAL_WIDTH = 160;
export const INTERNAL_HEIGHT = 90;
export const NATIVE_WIDTH = 1920;
export const NATIVE_HEIGHT = 1080;
export const OPSET = 17;
/** Side of the square dither tile, in output pixels. */
const DITHER_TILE = 64;
/** Seed of every generated weight; change it and every look changes. */
const WEIGHTS_SEED = 0x0c7c1042;

const TAU = 6.283185307179586;
const N = INTERNAL_WIDTH * INTERNAL_HEIGHT;
/** Half the frame width in model units (frame height is 1). */
const HALF_WIDTH = INTERNAL_WIDTH / INTERNAL_HEIGHT / 2;

// Layer sizes. Layer 2 rows: 5 octaves x 6 waves of cloud field, then 8 slow
// waves for colour mottling and 8 for the contour-line (glow) field.
const WARP_UNITS = 12;
const OCTAVES = 5;
const WAVES_PER_OCTAVE = 6;
const CLOUD_ROWS = OCTAVES * WAVES_PER_OCTAVE;
const MOTTLE_ROWS = 8;
const LINE_ROWS = 8;
const LAYER2_UNITS = CLOUD_ROWS + MOTTLE_ROWS + LINE_ROWS;
const RAY_UNITS = 6;
// Layer 3 mixes layer 2's waves through another sine: breaks the regular,
// stripy look of plain sums of sines into organic, cloud-like structure.
const MIX_UNITS = 10;
const READOUT_UNITS = LAYER2_UNITS + MIX_UNITS;

/** The seeded PRNG (mulberry32) the turbo pipeline's noise uses too: integer maths, identical everywhere. */
const prng = mulberry32;

/** Approximately normal (Irwin-Hall of 4 uniforms), unit variance. */
function gaussian(rand: () => number): number {
  return (rand() + rand() + rand() + rand() - 2) * 1.7320508075688772;
}

/** A uniformly random 2-D unit vector, without trig: rejection-sample the unit disc and normalise. */
function direction(rand: () => number): [number, number] {
  for (;;) {
    const x = rand() * 2 - 1;
    const y = rand() * 2 - 1;
    const r2 = x * x + y * y;
    if (r2 > 0.04 && r2 <= 1) {
      const r = Math.sqrt(r2);
      return [x / r, y / r];
    }
  }
}

function uniform(rand: () => number, lo: number, hi: number): number {
  return lo + (hi - lo) * rand();
}

interface FourierLayer {
  /** [units, 2] spatial frequencies, radians per model unit. */
  omega: number[];
  /** [units, 1] base phases. */
  phase: number[];
  /** [units, 1] phase change per unit of seed. */
  seedRate: number[];
  /** [units, 1] phase change per unit of effective time. */
  timeRate: number[];
  /** [CONDITIONING_SIZE, units]: how the prompt itself moves the phases, so two prompts lay out differently. */
  promptPhase: number[];
}

function fourierLayer(
  rand: () => number,
  units: number,
  frequencyOf: (unit: number) => number,
  timeRateOf: (unit: number) => number,
  directionOf: (unit: number) => [number, number] = () => direction(rand),
): FourierLayer {
  const layer: FourierLayer = { omega: [], phase: [], seedRate: [], timeRate: [], promptPhase: [] };
  for (let u = 0; u < units; u++) {
    const [dx, dy] = directionOf(u);
    const f = frequencyOf(u);
    layer.omega.push(dx * f, dy * f);
    layer.phase.push(rand() * TAU);
    // Irrational-looking rates in 1.3..4.3 rad per seed step: consecutive
    // integer seeds land on unrelated phases.
    layer.seedRate.push(uniform(rand, 1.3, 4.3) * (rand() < 0.5 ? -1 : 1));
    layer.timeRate.push(timeRateOf(u) * (rand() < 0.5 ? -1 : 1));
  }
  // Conditioning slots move by ~0.1-0.5 between looks; ~1 rad per unit keeps
  // blends between prompts a smooth morph rather than a jump.
  for (let i = 0; i < CONDITIONING_SIZE * units; i++) layer.promptPhase.push(gaussian(rand) * 1.1);
  return layer;
}

/** Weights, all generated from WEIGHTS_SEED. */
function generateWeights() {
  const rand = prng(WEIGHTS_SEED);
  // Layer 1: broad waves (wavelength ~0.8-2 frame heights) that bend the plane.
  const warp = fourierLayer(
    rand,
    WARP_UNITS,
    () => uniform(rand, 3.2, 7.5),
    () => uniform(rand, 0.35, 0.8),
  );
  const warpOut: number[] = []; // [2, WARP_UNITS]
  for (let i = 0; i < 2 * WARP_UNITS; i++) warpOut.push(gaussian(rand) * 0.075);

  // Layer 2: octave o has frequency 4.2 * 2^o (jittered); finer octaves evolve faster.
  const layer2 = fourierLayer(
    rand,
    LAYER2_UNITS,
    (u) => {
      if (u < CLOUD_ROWS) return 4.2 * 2 ** Math.floor(u / WAVES_PER_OCTAVE) * uniform(rand, 0.82, 1.22);
      if (u < CLOUD_ROWS + MOTTLE_ROWS) return uniform(rand, 2.5, 5.5);
      return uniform(rand, 3.5, 7);
    },
    (u) => {
      if (u < CLOUD_ROWS) return uniform(rand, 0.4, 0.9) * (1 + 0.45 * Math.floor(u / WAVES_PER_OCTAVE));
      return uniform(rand, 0.3, 0.7);
    },
  );

  // Layer 3: [MIX_UNITS, LAYER2_UNITS]; argument std ~1.5 rad, from the three
  // coarsest octaves only, so the mixed structure stays large and soft.
  const mixIn: number[] = [];
  for (let m = 0; m < MIX_UNITS; m++) {
    for (let u = 0; u < LAYER2_UNITS; u++) mixIn.push(u < 3 * WAVES_PER_OCTAVE ? gaussian(rand) * 0.5 : 0);
  }
  const mixPhase: number[] = [];
  for (let m = 0; m < MIX_UNITS; m++) mixPhase.push(rand() * TAU);

  // Field read-outs [4, READOUT_UNITS]: a soft base and a turbulent extra.
  const fieldsBase = new Array<number>(4 * READOUT_UNITS).fill(0);
  const fieldsTurbulent = new Array<number>(4 * READOUT_UNITS).fill(0);
  for (let u = 0; u < READOUT_UNITS; u++) {
    const sign = () => (rand() < 0.5 ? -1 : 1);
    if (u < CLOUD_ROWS) {
      const octave = Math.floor(u / WAVES_PER_OCTAVE);
      // 1/f^1.4 falloff when calm; turbulence lifts the fine octaves towards 1/f^0.6.
      fieldsBase[u] = sign() * uniform(rand, 0.7, 1.3) * 2 ** (-1.4 * octave);
      fieldsTurbulent[u] = fieldsBase[u]! * (2 ** (0.8 * octave) - 1);
      // Field 2 (grain): the two finest octaves only.
      if (octave >= 3) fieldsBase[2 * READOUT_UNITS + u] = sign() * uniform(rand, 0.7, 1.3);
      // Field 3 (contour lines) also uses the coarsest octave for large loops.
      if (octave === 0) fieldsBase[3 * READOUT_UNITS + u] = sign() * uniform(rand, 0.5, 1);
    } else if (u < CLOUD_ROWS + MOTTLE_ROWS) {
      fieldsBase[READOUT_UNITS + u] = sign() * uniform(rand, 0.7, 1.3);
    } else if (u < LAYER2_UNITS) {
      fieldsBase[3 * READOUT_UNITS + u] = sign() * uniform(rand, 0.7, 1.3);
    } else {
      // Mixed units: part of the clouds always, more with turbulence; and of the grain.
      fieldsBase[u] = sign() * uniform(rand, 0.3, 0.5);
      fieldsTurbulent[u] = fieldsBase[u]! * 0.5;
      fieldsBase[2 * READOUT_UNITS + u] = sign() * uniform(rand, 0.3, 0.6);
    }
  }

  // Light shafts: near-horizontal frequencies (vertical stripes), slightly tilted.
  const rays = fourierLayer(
    rand,
    RAY_UNITS,
    () => uniform(rand, 13, 28),
    () => uniform(rand, 0.5, 1.1),
    () => {
      const tilt = uniform(rand, -0.22, 0.22);
      const r = Math.sqrt(1 + tilt * tilt);
      return [1 / r, tilt / r];
    },
  );
  const rayOut: number[] = [];
  for (let u = 0; u < RAY_UNITS; u++) rayOut.push(uniform(rand, 0.6, 1.2) * (rand() < 0.5 ? -1 : 1));

  return { warp, warpOut, layer2, mixIn, mixPhase, fieldsBase, fieldsTurbulent, rays, rayOut };
}

/** Per-pixel constants of the internal grid, channel-first ([k, N]). */
function gridConstants() {
  const coords: number[] = new Array(2 * N); // [2, N]: x (right +), y (up +), frame height 1
  const down: number[] = new Array(N); // [1, N]: 0 top .. 1 bottom
  const vignette: number[] = new Array(N); // [1, N]: 0 centre .. ~0.85 corners
  for (let row = 0; row < INTERNAL_HEIGHT; row++) {
    for (let col = 0; col < INTERNAL_WIDTH; col++) {
      const i = row * INTERNAL_WIDTH + col;
      const u = (col + 0.5) / INTERNAL_WIDTH;
      const v = (row + 0.5) / INTERNAL_HEIGHT;
      const x = (u - 0.5) * 2 * HALF_WIDTH;
      const y = 0.5 - v;
      coords[i] = x;
      coords[N + i] = y;
      down[i] = v;
      // Elliptical radius, 1 at the corners.
      const r2 = ((u - 0.5) ** 2 + (v - 0.5) ** 2) * 2;
      vignette[i] = 0.55 * r2 + 0.3 * r2 * r2;
    }
  }
  return { coords, down, vignette };
}

/**
 * A 64x64 dither tile: interleaved gradient noise (Jimenez 2014), a cheap
 * blue-ish low-discrepancy pattern, rank-normalised so its values are exactly
 * uniform on [0, 1). Added before the truncating Cast it rounds with the
 * quantisation error spread spatially, so slow gradients never form bands.
 * Constant in time, so it never flickers.
 */
function ditherTile(): number[] {
  const raw: { value: number; index: number }[] = [];
  for (let y = 0; y < DITHER_TILE; y++) {
    for (let x = 0; x < DITHER_TILE; x++) {
      const inner = 0.06711056 * x + 0.00583715 * y;
      const outer = 52.9829189 * (inner - Math.floor(inner));
      raw.push({ value: outer - Math.floor(outer), index: y * DITHER_TILE + x });
    }
  }
  raw.sort((a, b) => a.value - b.value || a.index - b.index);
  const tile = new Array<number>(raw.length).fill(0);
  raw.forEach((entry, rank) => {
    tile[entry.index] = (rank + 0.5) / raw.length;
  });
  return tile;
}

/** How far the look's texture moves the input's tone (1 = as far as it moves the text look's tone). */
const INPUT_TEXTURE_GAIN = 0.5;
/** Headroom below 255 for the input term, so text + input + dither (< 1) never truncates past 255. */
const INPUT_HEADROOM = 0.01;

/**
 * The input path, at the picture's own size ([1, 3, h, w] float, added to the
 * upscaled text look). For a pixel of luma Y (0..1) the styled colour is the
 * look's palette Bezier at tone u = clip(Y + texture): the input's structure and
 * luminance, the look's colours and texture. Raw and styled input are weighted
 * (1-p)(1-q) and p(1-q) (see the strength weights), so the term is exactly 0 at
 * strength 1 and, with a 1x1 picture, costs nothing in text-only frames.
 *
 * Cost at full size is memory traffic, so the per-pixel work is one 1x1 Conv
 * (a GEMM) over the channels [R, G, B, u, u^2] with weights computed from the
 * look and strength: raw RGB, and the Bezier in power form C0 + C1 u + C2 u^2
 * (C0 as the Conv's bias). A palette look-up table (Gather) was 5x slower on CPU.
 */
function buildInputTerm(g: GraphBuilder, parts: { picture: string; texture: string; gradedPalette: string; paletteShare: string; inputShare: string }): string {
  const k = (value: number) => g.scalar(value);
  const keep = (255 - INPUT_HEADROOM) / 255;
  // Planar float picture [1, 4, h, w] (transpose the bytes, then widen: 4x less to move).
  // Alpha is dropped while still bytes (the output's alpha is always 255).
  const rgbBytes = g.op('Slice', [g.op('Transpose', [parts.picture], { perm: attr.ints([2, 0, 1]) }), g.ints([0]), g.ints([3]), g.ints([0])]);
  const planar = g.op('Unsqueeze', [g.op('Cast', [rgbBytes], { to: attr.int(1) }), g.ints([0])]); // [1, 3, h, w]
  // Luma as a [1, 4] x [4, h*w] MatMul: a constant-weight 1x1 Conv is moved to ORT's blocked (NCHWc) layout, 4x dearer here.
  const pictureSize = g.op('Slice', [g.op('Shape', [parts.picture]), g.ints([0]), g.ints([2])]); // [h, w]
  const lumaFlat = g.matmul(g.constant('input_luma', 'float32', [1, 3], [0.2126 / 255, 0.7152 / 255, 0.0722 / 255]), g.op('Reshape', [planar, g.ints([3, -1])]));
  const luma = g.op('Reshape', [lumaFlat, g.op('Concat', [g.ints([1, 1]), pictureSize], { axis: attr.int(0) })]); // [1, 1, h, w], 0..1

  // The look's texture, upscaled to the picture, offsets the tone.
  const textureLow = g.op('Reshape', [g.mul(parts.texture, k(INPUT_TEXTURE_GAIN)), g.ints([1, 1, INTERNAL_HEIGHT, INTERNAL_WIDTH])]);
  const textureAtPicture = g.op('Resize', [textureLow, '', '', g.op('Concat', [g.ints([1, 1]), pictureSize], { axis: attr.int(0) })], {
    mode: attr.string('linear'),
    coordinate_transformation_mode: attr.string('half_pixel'),
  });
  const u = g.op('Clip', [g.add(luma, textureAtPicture), k(0), k(1)]);
  const channels = g.op('Concat', [planar, u, g.mul(u, u)], { axis: attr.int(1) }); // [1, 5, h, w]

  // Bezier shadow/body/light -> power form: columns C0 = S, C1 = 2(B - S), C2 = S - 2B + L.
  const power = g.matmul(parts.gradedPalette, g.constant('bezier_to_power', 'float32', [3, 3], [1, -2, 1, 0, 2, -2, 0, 0, 1])); // [rgb, 3]
  const styledWeight = g.mul(g.mul(parts.paletteShare, parts.inputShare), k(keep)); // p(1-q)
  const rawWeight = g.mul(g.mul(g.sub(k(1), parts.paletteShare), parts.inputShare), k(keep)); // (1-p)(1-q)
  const [c0, c12] = g.opMulti('Split', [g.mul(power, styledWeight), g.ints([1, 2])], 2, { axis: attr.int(1) }) as [string, string];
  const rawRows = g.mul(g.constant('input_raw_rows', 'float32', [3, 3], [1, 0, 0, 0, 1, 0, 0, 0, 1]), rawWeight);
  const weights = g.op('Reshape', [g.op('Concat', [rawRows, c12], { axis: attr.int(1) }), g.ints([3, 5, 1, 1])]);
  const bias = g.op('Reshape', [c0, g.ints([3])]);
  // Weights sum to at most (1 - q) * keep and every part is in 0..255: no clip needed.
  return g.op('Conv', [channels, weights, bias], { kernel_shape: attr.ints([1, 1]) }, 'input_term');
}

/** Builds the graph and returns the model bytes. Pure and deterministic. */
export function buildBuiltinModel(): Uint8Array {
  const w = generateWeights();
  const grid = gridConstants();
  const g = new GraphBuilder('cyclorama_builtin_backdrop');

  const conditioning = g.input('conditioning', 'float32', [1, CONDITIONING_SIZE]);
  const time = g.input('time', 'float32', [1]);
  const seed = g.input('seed', 'float32', [1]);
  const outputSize = g.input('outputSize', 'int64', [2]);
  // The picture the look restyles, at outputSize; text-only frames pass a 1x1 picture and strength 1.
  const picture = g.input('input', 'uint8', ['inputHeight', 'inputWidth', 4]);
  const inputStrength = g.input('inputStrength', 'float32', [1]);

  // ---- Conditioning: one Slice per slot, colours ([1,3]) and scalars ([1,1]). ----
  // Not one Split with an output per slot: WebGPU binds every output as a storage
  // buffer, and 24 outputs exceed the per-shader limit (16 on lavapipe, 8 by default
  // on many GPUs), so the model would not run on the WebGPU provider at all.
  const parts: string[] = [];
  let offset = 0;
  for (const s of SLOTS) {
    parts.push(g.op('Slice', [conditioning, g.ints([offset]), g.ints([offset + s.size]), g.ints([1])], {}, `slot_${s.name}`));
    offset += s.size;
  }
  const slot = (name: (typeof SLOTS)[number]['name']): string => parts[SLOTS.findIndex((s) => s.name === name)]!;
  const k = (value: number) => g.scalar(value);
  /** a * x + b on a tiny tensor. */
  const affine = (x: string, a: number, b: number) => g.add(g.mul(x, k(a)), k(b));
  const clamp01 = (x: string) => g.op('Clip', [x, k(0), k(1)]);

  const seed11 = g.op('Reshape', [seed, g.ints([1, 1])]);
  const time11 = g.op('Reshape', [time, g.ints([1, 1])]);

  // Effective time: radians of the slowest waves per second, 0.04 (still) .. 0.59 (storm).
  const speed = clamp01(slot('speed'));
  const rate = affine(g.mul(speed, speed), 0.55, 0.04);
  const tEff = g.mul(time11, rate);

  // Feature size: 0.45x .. 2.2x the base frequencies (exponential feel via a square).
  const scaleSlot = clamp01(slot('scale'));
  const scaleMul = g.add(k(0.45), g.mul(g.mul(scaleSlot, scaleSlot), k(1.75)));
  // Anisotropy: x frequency / y frequency multipliers; stretch 1 = wide features (low x frequency).
  const stretch = clamp01(slot('stretch'));
  const sx = g.mul(scaleMul, affine(stretch, -1.1, 1.55)); // 1.55 .. 0.45
  const sy = g.mul(scaleMul, affine(stretch, 1.1, 0.45)); // 0.45 .. 1.55
  const axisScale = g.op('Concat', [sx, sy], { axis: attr.int(1) }); // [1, 2]

  // Drift: translation of the pattern, 0.3 model units per effective-time unit.
  const flowAngle = g.mul(slot('flow'), k(TAU));
  const drift = g.mul(
    g.op('Concat', [g.op('Cos', [flowAngle]), g.op('Sin', [flowAngle])], { axis: attr.int(0) }), // [2, 1]
    g.mul(tEff, k(0.3)),
  );

  /** Phases [units,1] of a Fourier layer at this seed/time, with the drift folded in, wrapped to [0, 2pi). */
  const layerInputs = (name: string, layer: FourierLayer, units: number, withDrift: boolean, anisotropic: boolean) => {
    const omegaConst = g.constant(`${name}_omega`, 'float32', [units, 2], layer.omega);
    const omega = anisotropic ? g.mul(omegaConst, axisScale) : g.mul(omegaConst, scaleMul);
    let phase = g.add(
      g.constant(`${name}_phase`, 'float32', [units, 1], layer.phase),
      g.add(
        g.mul(g.constant(`${name}_seed_rate`, 'float32', [units, 1], layer.seedRate), seed11),
        g.mul(g.constant(`${name}_time_rate`, 'float32', [units, 1], layer.timeRate), tEff),
      ),
    );
    const fromPrompt = g.matmul(conditioning, g.constant(`${name}_prompt_phase`, 'float32', [CONDITIONING_SIZE, units], layer.promptPhase));
    phase = g.add(phase, g.op('Transpose', [fromPrompt], { perm: attr.ints([1, 0]) }));
    // (p - drift) . omega = p . omega - drift . omega
    if (withDrift) phase = g.sub(phase, g.matmul(omega, drift));
    // Keep Sin's argument small so float32 stays exact over hours of show time.
    phase = g.op('Mod', [phase, k(TAU)], { fmod: attr.int(1) });
    return { omega, phase };
  };

  const coords = g.constant('grid_xy', 'float32', [2, N], grid.coords);
  const down = g.constant('grid_down', 'float32', [1, N], grid.down);
  const vignetteShape = g.constant('grid_vignette', 'float32', [1, N], grid.vignette);

  // ---- Layer 1 + domain warp. ----
  const l1 = layerInputs('warp', w.warp, WARP_UNITS, true, true);
  const h1 = g.sin(g.add(g.matmul(l1.omega, coords), l1.phase)); // [12, N]
  // Warp displacement scales with feature size so the look is the same at any scale.
  const warpAmount = g.div(g.mul(clamp01(slot('warp')), k(1.6)), scaleMul);
  const warpOut = g.mul(g.constant('warp_out', 'float32', [2, WARP_UNITS], w.warpOut), warpAmount);
  const warped = g.add(coords, g.matmul(warpOut, h1)); // [2, N]

  // ---- Layer 2: four fields. ----
  const l2 = layerInputs('waves', w.layer2, LAYER2_UNITS, true, true);
  const h2 = g.sin(g.add(g.matmul(l2.omega, warped), l2.phase)); // [46, N]
  const mixPhase = g.op('Mod', [g.add(g.constant('mix_phase', 'float32', [MIX_UNITS, 1], w.mixPhase), g.mul(seed11, k(0.7))), k(TAU)], { fmod: attr.int(1) });
  const h3 = g.sin(g.add(g.matmul(g.constant('mix_in', 'float32', [MIX_UNITS, LAYER2_UNITS], w.mixIn), h2), mixPhase));
  const turbulence = clamp01(slot('turbulence'));
  let readout = g.add(
    g.constant('fields_base', 'float32', [4, READOUT_UNITS], w.fieldsBase),
    g.mul(g.constant('fields_turbulent', 'float32', [4, READOUT_UNITS], w.fieldsTurbulent), turbulence),
  );
  // Normalise each field to unit L2 weight: a sum of unit sines then has RMS ~0.7 whatever the mix.
  readout = g.div(readout, g.op('ReduceL2', [readout], { axes: attr.ints([1]), keepdims: attr.int(1) }));
  // readout @ [h2; h3] without materialising the concatenation.
  const [readout2, readout3] = g.opMulti('Split', [readout, g.ints([LAYER2_UNITS, MIX_UNITS])], 2, { axis: attr.int(1) }) as [string, string];
  const fields = g.add(g.matmul(readout2, h2), g.matmul(readout3, h3)); // [4, N]
  const [clouds, mottle, grain, lineField] = g.opMulti('Split', [fields, g.ints([1, 1, 1, 1])], 4, { axis: attr.int(0) }) as [string, string, string, string];

  // ---- Tone in 0..1 before the contrast curve. ----
  // Horizon band: 1 at the horizon, falling off quadratically.
  const horizon = clamp01(slot('horizon'));
  const fromHorizon = g.sub(down, horizon);
  // Below the horizon (ground, sea) the light falls off faster than above it.
  const belowHorizon = g.relu(fromHorizon);
  const band = g.sub(k(0.6), g.add(g.mul(g.mul(fromHorizon, fromHorizon), k(3.6)), g.mul(g.mul(belowHorizon, belowHorizon), k(7))));
  let tone = g.add(k(0.47), g.mul(band, g.mul(clamp01(slot('sky')), k(0.75))));
  // Light pool: exp(-d^2 / 2r^2), r = 0.42 frame heights.
  const spotCentre = g.op('Concat', [g.mul(g.sub(slot('spotX'), k(0.5)), k(2 * HALF_WIDTH)), g.sub(k(0.5), slot('spotY'))], { axis: attr.int(0) }); // [2, 1]
  const toSpot = g.sub(coords, spotCentre);
  const spotDistance2 = g.op('ReduceSumSquare', [toSpot], { axes: attr.ints([0]), keepdims: attr.int(1) });
  const pool = g.op('Exp', [g.mul(spotDistance2, k(-1 / (2 * 0.42 * 0.42)))]);
  tone = g.add(tone, g.mul(pool, g.mul(clamp01(slot('spot')), k(0.55))));
  const cloudAmount = clamp01(slot('clouds'));
  // The three texture terms are kept by name: the input path lays them over the input's luminance.
  const cloudTerm = g.mul(clouds, g.mul(cloudAmount, k(0.42)));
  const mottleTerm = g.mul(mottle, g.mul(cloudAmount, k(0.12)));
  const grainTerm = g.mul(grain, g.mul(clamp01(slot('grain')), k(0.1)));
  tone = g.add(tone, cloudTerm);
  tone = g.add(tone, mottleTerm);
  tone = g.add(tone, grainTerm);
  // Contrast as the slope of a sigmoid: smooth roll-off, never a hard clip.
  const slope = affine(clamp01(slot('contrast')), 5.5, 1.6); // 1.6 .. 7.1, 4.35 neutral
  const t = g.sigmoid(g.mul(g.sub(tone, k(0.5)), slope)); // [1, N]

  // ---- Palette: quadratic Bezier shadow -> body -> light (no kinks, no banding). ----
  const oneMinusT = g.sub(k(1), t);
  const basis = g.op('Concat', [g.mul(oneMinusT, oneMinusT), g.mul(g.mul(t, oneMinusT), k(2)), g.mul(t, t)], { axis: attr.int(0) }); // [3, N]
  const palette = g.op('Transpose', [g.op('Concat', [slot('shadow'), slot('body'), slot('light')], { axis: attr.int(0) })], { perm: attr.ints([1, 0]) }); // [rgb, 3]
  let colour = g.matmul(palette, basis); // [3, N]
  const column = (rgb: string) => g.op('Transpose', [rgb], { perm: attr.ints([1, 0]) }); // [1,3] -> [3,1]
  const glowColour = column(slot('glow'));
  const lightColour = column(slot('light'));

  // Colour mottling: where the mottle field is high, lean towards the glow colour.
  colour = g.add(colour, g.mul(g.sub(glowColour, colour), g.mul(g.relu(mottle), g.mul(cloudAmount, k(0.3)))));

  // Light shafts from the top: ridged sums of tilted vertical stripes, fading downwards.
  const lr = layerInputs('rays', w.rays, RAY_UNITS, false, false);
  const rayWaves = g.sin(g.add(g.matmul(lr.omega, coords), lr.phase)); // [6, N]
  const rayField = g.matmul(
    g.constant(
      'rays_out',
      'float32',
      [1, RAY_UNITS],
      w.rayOut.map((v) => v / 2.2),
    ),
    rayWaves,
  );
  const rayPositive = g.relu(rayField);
  const shafts = g.mul(g.mul(rayPositive, rayPositive), g.sub(k(1.1), down));
  colour = g.add(colour, g.mul(lightColour, g.mul(shafts, g.mul(clamp01(slot('rays')), k(0.55)))));

  // Glow lines: bright thin core plus a soft halo along the zero contour of the line field.
  const line2 = g.mul(lineField, lineField);
  const core = g.op('Exp', [g.mul(line2, k(-40))]);
  const halo = g.op('Exp', [g.mul(line2, k(-5))]);
  const lines = g.add(g.mul(core, k(0.75)), g.mul(halo, k(0.35)));
  colour = g.add(colour, g.mul(glowColour, g.mul(lines, g.mul(clamp01(slot('glowLines')), k(1.1)))));

  // ---- Grade: vignette, white balance, saturation, exposure. ----
  colour = g.mul(colour, g.sub(k(1), g.mul(vignetteShape, clamp01(slot('vignette')))));
  const warmth = g.sub(clamp01(slot('temperature')), k(0.5)); // -0.5 .. 0.5
  const balance = g.add(g.constant('wb_one', 'float32', [3, 1], [1, 1, 1]), g.mul(g.constant('wb_axis', 'float32', [3, 1], [0.36, 0.05, -0.4]), warmth));
  const luminance = g.matmul(g.constant('rec709_luma', 'float32', [1, 3], [0.2126, 0.7152, 0.0722]), colour);
  const saturation = g.mul(clamp01(slot('saturation')), k(2));
  colour = g.add(luminance, g.mul(g.sub(colour, luminance), saturation));
  const exposure = affine(clamp01(slot('brightness')), 1.3 * 255, 0.35 * 255); // 0.35x .. 1.65x, x255
  colour = g.mul(colour, g.mul(balance, exposure));
  // Linear Resize never overshoots, so full-resolution values stay in 0..255
  // and value + dither (< 1) truncates to at most 255: no clip needed up there.
  colour = g.op('Clip', [colour, k(0), k(255)]);

  // ---- Input path (see inputTerm): strength s -> weights of text look, styled input and raw input. ----
  const s = g.op('Reshape', [g.op('Clip', [inputStrength, k(0), k(1)]), g.ints([1, 1])]);
  const paletteShare = g.op('Min', [g.mul(s, k(2)), k(1)]); // p: 0 at s 0, 1 from s 0.5
  const textShare = g.relu(g.sub(g.mul(s, k(2)), k(1))); // q: 0 up to s 0.5, 1 at s 1
  const inputShare = g.sub(k(1), textShare); // 1 - q
  // Multiplying by q = 1 (text only) is exact, so text-only frames keep their bytes.
  colour = g.mul(colour, textShare);
  const lowRes = g.op('Reshape', [colour, g.ints([1, 3, INTERNAL_HEIGHT, INTERNAL_WIDTH])], {}, 'low_res_rgb');
  const texture = g.add(g.add(cloudTerm, mottleTerm), grainTerm); // [1, N], zero-mean tone offsets
  // The look's palette graded as the text look is (saturation, white balance, exposure): [rgb, shadow/body/light], 0..255.
  const paletteLuma = g.matmul(g.constant('rec709_luma_palette', 'float32', [1, 3], [0.2126, 0.7152, 0.0722]), palette); // [1, 3]
  const gradedPalette = g.op('Clip', [g.mul(g.add(paletteLuma, g.mul(g.sub(palette, paletteLuma), saturation)), g.mul(balance, exposure)), k(0), k(255)]);
  const inputTerm = buildInputTerm(g, { picture, texture, gradedPalette, paletteShare, inputShare });

  // ---- Upscale to the requested size, dither, quantise, interleave RGBA. ----
  const height = g.op('Slice', [outputSize, g.ints([0]), g.ints([1])]);
  const width = g.op('Slice', [outputSize, g.ints([1]), g.ints([2])]);
  const resized = g.op('Resize', [lowRes, '', '', g.op('Concat', [g.ints([1, 3]), outputSize], { axis: attr.int(0) })], {
    mode: attr.string('linear'),
    coordinate_transformation_mode: attr.string('half_pixel'),
  }); // [1, 3, H, W]; linear never overshoots, so values stay in 0..255
  const tile = g.constant('dither_tile', 'float32', [DITHER_TILE, DITHER_TILE], ditherTile());
  const tilesDown = g.div(g.add(height, g.ints([DITHER_TILE - 1])), g.ints([DITHER_TILE]));
  const tilesAcross = g.div(g.add(width, g.ints([DITHER_TILE - 1])), g.ints([DITHER_TILE]));
  const ditherCover = g.op('Tile', [tile, g.op('Concat', [tilesDown, tilesAcross], { axis: attr.int(0) })]);
  const dither = g.op('Slice', [ditherCover, g.ints([0, 0]), outputSize, g.ints([0, 1])]); // [H, W]
  // Cast truncates: value + U[0,1) then truncation is unbiased dithered rounding.
  // (Cast rather than QuantizeLinear: same speed on CPU, supported by every EP.)
  // In text-only frames the input term is a 1x1 zero: adding it changes no value.
  const rgb8 = g.op('Cast', [g.add(g.add(resized, inputTerm), dither)], { to: attr.int(2) }); // uint8 [1,3,H,W]
  const alphaPlane = g.op('Expand', [g.constant('opaque', 'uint8', [1, 1, 1, 1], [255]), g.op('Concat', [g.ints([1, 1]), outputSize], { axis: attr.int(0) })]);
  const rgba = g.op('Concat', [rgb8, alphaPlane], { axis: attr.int(1) }); // [1, 4, H, W]
  const planar = g.op('Reshape', [rgba, g.op('Concat', [g.ints([4]), outputSize], { axis: attr.int(0) })]);
  const frame = g.op('Transpose', [planar], { perm: attr.ints([1, 2, 0]) }, 'frame');
  g.output(frame, 'frame', 'uint8', ['height', 'width', 4]);

  return g.encode({
    opset: OPSET,
    producer: 'cyclorama-builtin-build',
    docString:
      'Cyclorama built-in backdrop generator: Fourier-feature coordinate network with generated weights. ' +
      'Inputs conditioning f32[1,32], time f32[1] (s), seed f32[1], outputSize i64[2]=[h,w], ' +
      'input u8[h,w,4] (the picture to restyle, or 1x1 for text only), inputStrength f32[1] (0 input as is .. 1 text look alone); ' +
      'output frame u8[h,w,4] RGBA.',
  });
}

/** vocab.json text: stable key order, two-space indent, trailing newline. */
export function buildBuiltinVocabularyText(): string {
  return `${JSON.stringify(vocabularyJson(), null, 2)}\n`;
}

/** models/builtin in the source tree, from either the .ts source or its dist/ build. */
export function builtinModelFolder(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const distMarker = `${join('dist', 'models', 'builtin')}`;
  return here.endsWith(distMarker) ? join(here, '..', '..', '..', 'models', 'builtin') : here;
}

function main(): void {
  const folder = builtinModelFolder();
  const bytes = buildBuiltinModel();
  writeFileSync(join(folder, 'model.onnx'), bytes);
  writeFileSync(join(folder, 'vocab.json'), buildBuiltinVocabularyText());
  console.log(`wrote ${join(folder, 'model.onnx')} (${bytes.length} bytes) and vocab.json`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main();
