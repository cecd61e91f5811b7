/**
 * libltc (Debian libltc-dev, the reference LTC implementation) as an independent
 * LTC encoder for tests and benches: tests/fixtures/ltc/ltc-encode.c is compiled
 * with `cc ... -lltc` into a temp folder and writes LTC audio plus the labels it
 * encoded, from libltc's own frame increment (drop-frame included).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const SOURCE = join(import.meta.dirname, '../fixtures/ltc/ltc-encode.c');

export interface LtcOracleOutput {
  labels: string[];
  dfFlags: boolean[];
  /** Always Float32 -1..1 (s16 output is converted). */
  samples: Float32Array;
}

export interface LtcOracle {
  encode(fps: string, sampleRate: number, start: string, frames: number, format: 'f32' | 's16', userBits: number, reverse?: boolean): LtcOracleOutput;
  dispose(): void;
}

export function buildLtcOracle(): LtcOracle {
  const dir = mkdtempSync(join(tmpdir(), 'ltc-oracle-'));
  const binary = join(dir, 'ltc-encode');
  try {
    execFileSync('cc', ['-O2', '-o', binary, SOURCE, '-lltc', '-lm'], { stdio: 'pipe' });
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`could not build the libltc oracle (install it: apt-get install -y libltc-dev): ${String((err as { stderr?: Buffer }).stderr ?? err)}`);
  }
  let n = 0;
  return {
    encode(fps, sampleRate, start, frames, format, userBits, reverse = false) {
      const out = join(dir, `ltc-${n++}.raw`);
      const args = [fps, String(sampleRate), start, String(frames), format, userBits.toString(16), out];
      if (reverse) args.push('reverse');
      const lines = execFileSync(binary, args).toString().trim().split('\n');
      const raw = readFileSync(out);
      const bytes = raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.length);
      const samples = format === 'f32' ? new Float32Array(bytes) : Float32Array.from(new Int16Array(bytes), (v) => v / 32768);
      return { labels: lines.map((l) => l.split(' ')[0] as string), dfFlags: lines.map((l) => l.endsWith(' 1')), samples };
    },
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  };
}
