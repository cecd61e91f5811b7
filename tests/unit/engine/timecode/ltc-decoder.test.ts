/**
 * The LTC decoder against libltc, the reference LTC implementation (Debian
 * libltc-dev), as the independent oracle: tests/fixtures/ltc/ltc-encode.c is
 * compiled here with `cc ... -lltc` and writes LTC audio plus the labels it
 * encoded (from libltc's own frame increment, drop-frame included).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mulberry32 } from '../../../../app/engine/generate/turbo/latent-math.js';
import { LtcDecoder, type LtcFrame } from '../../../../app/engine/timecode/ltc-decoder.js';
import { buildLtcOracle, type LtcOracle } from '../../../helpers/ltc-oracle.js';

let oracle: LtcOracle;
beforeAll(() => {
  oracle = buildLtcOracle();
});
afterAll(() => oracle.dispose());

const encode: LtcOracle['encode'] = (...args) => oracle.encode(...args);

const label = (f: LtcFrame) => {
  const t = f.timecode;
  return [t.hours, t.minutes, t.seconds, t.frames].map((v) => String(v).padStart(2, '0')).join(':');
};

/** Feed in uneven blocks (as audio callbacks do), as Int16 when the oracle wrote s16. */
function decode(samples: Float32Array, sampleRate: number, asInt16: boolean): { frames: LtcFrame[]; decoder: LtcDecoder } {
  const decoder = new LtcDecoder({ sampleRate });
  const frames: LtcFrame[] = [];
  const blocks = [480, 17, 1024, 333];
  for (let at = 0, b = 0; at < samples.length; b++) {
    const n = blocks[b % blocks.length] as number;
    const block = samples.subarray(at, at + n);
    const input = asInt16 ? Int16Array.from(block, (v) => Math.max(-32768, Math.min(32767, Math.round(v * 32768)))) : block;
    frames.push(...decoder.push(input));
    at += n;
  }
  return { frames, decoder };
}

const CASES = [
  { fps: '24', trueFps: 24, sampleRate: 48000, format: 'f32' as const, start: '01:59:59:20' },
  { fps: '25', trueFps: 25, sampleRate: 44100, format: 's16' as const, start: '10:00:00:00' },
  // Across the 00:01 (drops ;00 ;01) and 00:10 (keeps them) minute boundaries.
  { fps: '29.97', trueFps: 30000 / 1001, sampleRate: 48000, format: 'f32' as const, start: '00:00:59:20' },
  { fps: '30', trueFps: 30, sampleRate: 44100, format: 's16' as const, start: '23:59:58:00' },
];

describe('LTC decoder against libltc as the independent oracle', () => {
  for (const c of CASES) {
    it(`${c.fps} fps at ${c.sampleRate} Hz (${c.format}), forward: every frame's timecode, user bits and drop-frame flag match`, () => {
      const enc = encode(c.fps, c.sampleRate, c.start, 200, c.format, 0x12345678);
      const { frames, decoder } = decode(enc.samples, c.sampleRate, c.format === 's16');
      // The last frame ends at the next frame's first edge, which never comes.
      expect(frames.map(label)).toEqual(enc.labels.slice(0, -1));
      const samplesPerFrame = c.sampleRate / c.trueFps;
      frames.forEach((f, i) => {
        expect(f.userBits).toBe(0x12345678);
        expect(f.dropFrame).toBe(enc.dfFlags[i]);
        expect(f.reverse).toBe(false);
        expect(Math.abs(f.startSample - i * samplesPerFrame)).toBeLessThan(1);
        expect(Math.abs(f.measuredFps - c.trueFps)).toBeLessThan(0.05);
      });
      expect(decoder.stats.rejectedFrames).toBe(0);
      if (c.fps === '29.97') {
        expect(enc.labels).toContain('00:01:00:02');
        expect(enc.labels).not.toContain('00:01:00:00');
        expect(enc.dfFlags.every(Boolean)).toBe(true);
      }
    });
  }

  it('29.97 across the ten-minute boundary: labels ;00 and ;01 kept at minute 10', () => {
    const enc = encode('29.97', 48000, '00:09:59:25', 12, 'f32', 0);
    expect(enc.labels).toContain('00:10:00:00');
    const { frames } = decode(enc.samples, 48000, false);
    expect(frames.map(label)).toEqual(enc.labels.slice(0, -1));
  });

  it('reverse playback: frames read backwards are decoded and flagged reverse', () => {
    const enc = encode('25', 48000, '00:00:10:00', 60, 'f32', 0xa5a5a5a5, true);
    const { frames } = decode(enc.samples, 48000, false);
    // Each frame is complete at the edge that starts the next one, so the last is lost as forward.
    expect(frames.map(label)).toEqual(enc.labels.slice(0, -1));
    expect(frames.every((f) => f.reverse && f.userBits === 0xa5a5a5a5)).toBe(true);
  });

  for (const c of CASES) {
    it(`${c.fps} fps with dropouts, noise, a level ramp and DC offset: every frame outside the gaps matches, nothing made up`, () => {
      const enc = encode(c.fps, c.sampleRate, c.start, 300, c.format, 0xcafe0001);
      const s = enc.samples;
      const rand = mulberry32(Number(c.fps.replace('.', '')) * 7919);
      const gaps = [
        [0.8, 0.95],
        [2.0, 2.6],
        [7.3, 7.42],
      ].map(([a, b]) => [Math.round((a as number) * c.sampleRate), Math.round((b as number) * c.sampleRate)] as const);
      for (let i = 0; i < s.length; i++) {
        const inGap = gaps.some(([a, b]) => i >= a && i < b);
        // Level falls from 1.0 to 0.2 over the clip (a fader pulled down), plus 0.05 DC.
        const gain = 1 - 0.8 * (i / s.length);
        // Noise: sum of three uniforms, about 0.04 rms, everywhere including the gaps (hum on a pulled cable).
        const noise = (rand() + rand() + rand() - 1.5) * 0.07;
        s[i] = (inGap ? 0 : (s[i] as number) * gain) + noise + 0.05;
      }
      const { frames } = decode(s, c.sampleRate, c.format === 's16');
      const samplesPerFrame = c.sampleRate / c.trueFps;
      const decoded = new Map<number, string>();
      for (const f of frames) {
        const index = Math.round(f.startSample / samplesPerFrame);
        expect(Math.abs(f.startSample - index * samplesPerFrame)).toBeLessThan(2);
        // Nothing made up: a decoded frame is the frame the oracle wrote there.
        expect(label(f)).toBe(enc.labels[index]);
        expect(f.userBits).toBe(0xcafe0001);
        decoded.set(index, label(f));
      }
      // Every frame clear of the gaps (with one frame either side for the edges) is decoded.
      const margin = samplesPerFrame;
      let expectedClear = 0;
      for (let i = 0; i < enc.labels.length - 1; i++) {
        const a = i * samplesPerFrame - margin;
        const b = (i + 1) * samplesPerFrame + margin;
        if (gaps.some(([g0, g1]) => a < g1 && b > g0)) continue;
        expectedClear++;
        expect(decoded.get(i), `frame ${i} (${enc.labels[i]})`).toBe(enc.labels[i]);
      }
      expect(expectedClear).toBeGreaterThan(250);
    });
  }

  it('clicks (6-sample full-scale impulses) in every 5th frame: those frames are dropped, never decoded wrong; the rest all decode', () => {
    const enc = encode('25', 48000, '01:00:00:00', 300, 'f32', 0x11111111);
    const s = enc.samples;
    const spf = 48000 / 25;
    const rand = mulberry32(99);
    const clicked = new Set<number>();
    for (let i = 0; i < 300; i += 5) {
      const at = Math.floor(i * spf + rand() * spf * 0.75);
      clicked.add(i);
      for (let k = 0; k < 6; k++) s[at + k] = rand() < 0.5 ? 1 : -1;
    }
    const { frames, decoder } = decode(s, 48000, false);
    const seen = new Set<number>();
    for (const f of frames) {
      const index = Math.round(f.startSample / spf);
      expect(label(f)).toBe(enc.labels[index]);
      expect(f.userBits).toBe(0x11111111);
      seen.add(index);
    }
    for (let i = 1; i < 299; i++) if (!clicked.has(i) && !clicked.has(i + 1)) expect(seen.has(i), `frame ${i}`).toBe(true);
    expect(decoder.stats.rejectedFrames).toBeGreaterThan(0);
  });

  it('silence and pure noise decode nothing', () => {
    const rand = mulberry32(42);
    const s = new Float32Array(48000 * 3);
    for (let i = 48000; i < s.length; i++) s[i] = (rand() - 0.5) * 0.5;
    const { frames, decoder } = decode(s, 48000, false);
    expect(frames).toEqual([]);
    expect(decoder.stats.frames).toBe(0);
  });

  it('refuses a sample rate it cannot work at, naming it', () => {
    expect(() => new LtcDecoder({ sampleRate: 0 })).toThrow(/sample rate 0 Hz is out of range/);
  });
});
