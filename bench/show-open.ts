/**
 * `npm run build && node dist/bench/show-open.js`: how long opening a show file
 * holds the engine thread (where the output clocks tick), for a real show and for
 * hostile files under the 16 MB cap. Sync: the whole read + parse blocks. Async
 * (ShowSession.openShowAsync): the longest gap between 1 ms timer turns meanwhile.
 * One line each: `BENCH <name> <value> <unit>`.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readShowFile } from '../app/engine/show-files/show-store.js';
import { ShowSession } from '../app/engine/show-files/show-session.js';
import { emptyShow, serializeShow } from '../app/show/show-file.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'cyclorama-bench-open-'));
const realShow = emptyShow('500 cues');
realShow.cues = Array.from({ length: 500 }, (_, i) => ({
  id: `c${i + 1}`,
  number: String(i + 1),
  name: `Cue ${i + 1}`,
  look: { prompt: 'a long prompt, '.repeat(20), seed: i, params: {} },
  transition: { durationMs: 1000, curve: 'linear' as const },
  notes: '',
  continueMode: 'none' as const,
  delayMs: 0,
}));
const cases: Record<string, string> = {
  real_500_cues: serializeShow(realShow),
  syntax_error_15mb: '[' + '1,'.repeat(7.5 * 1024 * 1024) + '}',
  too_many_cues_5mb: JSON.stringify({ ...emptyShow(), cues: Array.from({ length: 200_000 }, (_, i) => ({ n: i, a: [1, 2, 3] })) }),
  nesting_100k: '['.repeat(100_000) + ']'.repeat(100_000),
};

const print = (name: string, value: number, unit: string) => console.log(`BENCH ${name} ${value.toFixed(1)} ${unit}`);

// Warm the parser and the schema once: the figures are the steady state, not the first call's JIT.
readShowFile((writeFileSync(path.join(dir, 'warm.json'), cases.real_500_cues!), path.join(dir, 'warm.json')));

for (const [name, text] of Object.entries(cases)) {
  const file = path.join(dir, `${name}.json`);
  writeFileSync(file, text);
  const started = performance.now();
  readShowFile(file);
  print(`show_open_sync_block_${name}`, performance.now() - started, 'ms');

  const session = new ShowSession({ path: null, nowMs: 0, rate: { num: 30, den: 1 }, configDir: null, onError: () => {} });
  let last = performance.now();
  let worst = 0;
  const ticker = setInterval(() => {
    const now = performance.now();
    worst = Math.max(worst, now - last);
    last = now;
  }, 1);
  await session.openShowAsync(file, () => 0);
  clearInterval(ticker);
  worst = Math.max(worst, performance.now() - last);
  print(`show_open_async_max_loop_gap_${name}`, worst, 'ms');
}
rmSync(dir, { recursive: true, force: true });
