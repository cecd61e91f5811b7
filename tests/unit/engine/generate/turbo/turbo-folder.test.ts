/**
 * Turbo model folders: the onnxruntime layout is found without a model.json, a
 * model.json of kind 'turbo-diffusion' is honoured, and a partial folder gets an
 * error naming every missing file.
 */
import { mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { builtinModelDir, loadModelFolder } from '../../../../../app/engine/generate/model-folder.js';
import { generationSize } from '../../../../../app/engine/generate/turbo/turbo-buffers.js';
import { buildTurboFixture } from '../../../../../models/fixtures/build-turbo-fixtures.js';

const dirs: string[] = [];
function fixture(options: Parameters<typeof buildTurboFixture>[1]): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'cyclorama-turbo-'));
  dirs.push(dir);
  buildTurboFixture(dir, options);
  return dir;
}
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('turbo model folders', () => {
  it('detects an SD-Turbo export by its layout, without model.json', () => {
    const dir = fixture({ variant: 'sd', precision: 'fp32' });
    const result = loadModelFolder(dir);
    if (!result.ok) throw new Error(result.error.message);
    const folder = result.value;
    expect(folder.kind).toBe('turbo-diffusion');
    if (folder.kind !== 'turbo-diffusion') return;
    expect(folder.layout.variant).toBe('sd');
    expect(folder.layout.textEncoders).toHaveLength(1);
    expect(folder.layout.decoder).toBe('full');
    expect(folder.layout.vaeScalingFactor).toBe(0.18215);
    expect(folder.graphPath).toBe(path.join(dir, 'unet', 'model.onnx'));
    expect(folder.manifest.nativeSize).toEqual({ width: 512, height: 512 });
    expect(folder.manifest.name).toMatch(/^SD-Turbo/);
  });

  it('detects SDXL-Turbo (two encoders and tokenizers) and prefers the tiny VAE when present', () => {
    const sdxl = loadModelFolder(fixture({ variant: 'sdxl', precision: 'fp16', tinyVae: true }));
    if (!sdxl.ok) throw new Error(sdxl.error.message);
    if (sdxl.value.kind !== 'turbo-diffusion') throw new Error('not turbo');
    expect(sdxl.value.layout.variant).toBe('sdxl');
    expect(sdxl.value.layout.textEncoders.map((e) => path.basename(e.tokenizerDir))).toEqual(['tokenizer', 'tokenizer_2']);
    expect(sdxl.value.layout.decoder).toBe('tiny');
    expect(sdxl.value.layout.tinyVaeOutputRange).toBe('-1..1');
    expect(sdxl.value.layout.vaeScalingFactor).toBe(0.13025);
  });

  it('honours a model.json of kind turbo-diffusion (size, full VAE, defaults)', () => {
    const dir = fixture({ variant: 'sd', precision: 'fp32', tinyVae: true });
    writeFileSync(
      path.join(dir, 'model.json'),
      JSON.stringify({
        schemaVersion: 1,
        id: 'my-turbo',
        name: 'My turbo',
        kind: 'turbo-diffusion',
        licence: 'test',
        nativeSize: { width: 256, height: 256 },
        preferredProviders: ['cpu'],
        vae: 'full',
        defaults: { strength: 0.7 },
      }),
    );
    const result = loadModelFolder(dir);
    if (!result.ok) throw new Error(result.error.message);
    if (result.value.kind !== 'turbo-diffusion') throw new Error('not turbo');
    expect(result.value.manifest.id).toBe('my-turbo');
    expect(result.value.layout.decoder).toBe('full');
    expect(result.value.layout.nativeSize).toEqual({ width: 256, height: 256 });
    expect(result.value.layout.defaults.strength).toBe(0.7);
    writeFileSync(
      path.join(dir, 'model.json'),
      JSON.stringify({ schemaVersion: 1, id: 'x', name: 'x', kind: 'turbo-diffusion', licence: 'x', nativeSize: { width: 0, height: 1 }, preferredProviders: ['cpu'] }),
    );
    const bad = loadModelFolder(dir);
    expect(!bad.ok && bad.error.message).toContain('nativeSize.width');
  });

  it('names the missing UNet', () => {
    const dir = fixture({ variant: 'sd', precision: 'fp32' });
    unlinkSync(path.join(dir, 'unet', 'model.onnx'));
    const result = loadModelFolder(dir);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('model-load-failed');
    expect(result.error.message).toContain(`${path.join('unet', 'model.onnx')} missing`);
    expect(result.error.details?.missing).toEqual([path.join('unet', 'model.onnx')]);
  });

  it('names every missing part of a partial folder at once', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'cyclorama-turbo-'));
    dirs.push(dir);
    buildTurboFixture(dir, { variant: 'sdxl', precision: 'fp32' });
    for (const file of ['text_encoder_2/model.onnx', 'tokenizer_2/merges.txt', 'vae_decoder/model.onnx']) unlinkSync(path.join(dir, file));
    const result = loadModelFolder(dir);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.message).toMatch(/SDXL-Turbo/);
    expect(result.error.message).toContain(`${path.join('text_encoder_2', 'model.onnx')} missing`);
    expect(result.error.message).toContain(`${path.join('tokenizer_2', 'merges.txt')} missing`);
    expect(result.error.message).toContain(`${path.join('vae_decoder', 'model.onnx')} (or a tiny decoder`);
  });

  it('keeps the built-in model a frame model, and a folder that is neither says model.json is missing', () => {
    const builtin = loadModelFolder(builtinModelDir());
    expect(builtin.ok && builtin.value.kind).toBe('frame-model');
    const empty = mkdtempSync(path.join(tmpdir(), 'cyclorama-turbo-'));
    dirs.push(empty);
    const result = loadModelFolder(empty);
    expect(!result.ok && result.error.message).toContain('model.json');
  });

  it('picks the tiny VAE that matches the variant: taesdxl/ for SDXL, taesd/ for SD, when a folder has both', () => {
    const tiny = [
      { folder: 'taesd', output: 'diffusers', config: true },
      { folder: 'taesdxl', output: 'diffusers', config: true },
    ] as const;
    const layoutOf = (variant: 'sd' | 'sdxl') => {
      const result = loadModelFolder(fixture({ variant, precision: 'fp32', tinyVaeFolders: [...tiny] }));
      if (!result.ok || result.value.kind !== 'turbo-diffusion') throw new Error('fixture');
      return result.value.layout;
    };
    expect(path.basename(path.dirname(layoutOf('sdxl').tinyVaeDecoderPath as string))).toBe('taesdxl');
    expect(path.basename(path.dirname(layoutOf('sd').tinyVaeDecoderPath as string))).toBe('taesd');
    // An SDXL folder whose only tiny VAE is SD's: not used (SD latents decode to wrong colours), the full VAE runs.
    const onlySd = loadModelFolder(fixture({ variant: 'sdxl', precision: 'fp32', tinyVaeFolders: [tiny[0]] }));
    if (!onlySd.ok || onlySd.value.kind !== 'turbo-diffusion') throw new Error('fixture');
    expect(onlySd.value.layout.decoder).toBe('full');
    expect(onlySd.value.layout.tinyVaeDecoderPath).toBeNull();
  });

  it("reads a tiny decoder's output range from its graph when the folder has no config.json", () => {
    const rangeOf = (output: 'diffusers' | 'raw', config: boolean) => {
      const result = loadModelFolder(fixture({ variant: 'sd', precision: 'fp32', tinyVaeFolders: [{ folder: 'taesd', output, config }] }));
      if (!result.ok || result.value.kind !== 'turbo-diffusion') throw new Error('fixture');
      expect(result.value.layout.decoder).toBe('tiny');
      return result.value.layout.tinyVaeOutputRange;
    };
    // madebyollin's raw TAESD decoder (ends in a Conv, 0..1), no config.json: not washed out as -1..1.
    expect(rangeOf('raw', false)).toBe('0..1');
    // diffusers' AutoencoderTiny (ends in x*2-1), with or without its config.json.
    expect(rangeOf('diffusers', false)).toBe('-1..1');
    expect(rangeOf('diffusers', true)).toBe('-1..1');
  });

  it('generates at the native pixel count, the output aspect, in multiples of 64', () => {
    expect(generationSize({ width: 512, height: 512 }, { width: 512, height: 512 })).toEqual({ width: 512, height: 512 });
    expect(generationSize({ width: 512, height: 512 }, { width: 1920, height: 1080 })).toEqual({ width: 704, height: 384 });
    expect(generationSize({ width: 64, height: 64 }, { width: 16, height: 9 })).toEqual({ width: 64, height: 64 });
  });
});
