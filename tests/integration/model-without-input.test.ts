/**
 * A look names an input but the running model cannot take a picture (a frame model from
 * before live inputs): the operator is told once, in the alerts, and the wall goes on with
 * the text look. The notice travels pipeline -> inference process -> engine (worker-protocol 'notice').
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { commandSchema, type CommandInput } from '../../app/contract/commands.js';
import { Engine } from '../../app/engine/engine.js';
import { OLD_FRAME_MODEL_NAME, writeOldFrameModel } from '../helpers/old-frame-model.js';
import { waitUntil } from '../helpers/wait.js';

let dir: string;
let engine: Engine;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'cyclorama-no-input-model-'));
  writeOldFrameModel(dir);
  engine = await Engine.start({ configDir: null, width: 320, height: 180, rate: { num: 25, den: 1 }, modelDir: dir });
}, 60_000);

afterAll(async () => {
  await engine?.stop();
  rmSync(dir, { recursive: true, force: true });
});

it('a look with an input on a model that takes none: one alert naming the model, frames go on from the text look', async () => {
  expect(engine.state().model.name).toBe(OLD_FRAME_MODEL_NAME);
  const png = new PNG({ width: 64, height: 36 });
  png.data.fill(200);
  const file = path.join(dir, 'plate.png');
  writeFileSync(file, PNG.sync.write(png));
  const send = (command: CommandInput) => engine.dispatch(commandSchema.parse(command));
  expect(await send({ type: 'setInput', input: { source: { kind: 'image', path: file } }, strength: 0.5 })).toEqual({ ok: true });
  const notice = await waitUntil(() => engine.state().recentErrors.find((e) => e.code === 'input-failed' && /takes no input picture/.test(e.message)), { timeoutMs: 20_000 });
  expect(notice.message).toMatch(/text look only/);
  // Once: the next looks with inputs add no second alert.
  await send({ type: 'setPrompt', prompt: 'storm' });
  const framesBefore = engine.state().outputs.find((o) => o.id === 'preview')!.freshFrames;
  await waitUntil(() => (engine.state().outputs.find((o) => o.id === 'preview')!.freshFrames > framesBefore + 5 ? true : undefined), { timeoutMs: 20_000 });
  expect(engine.state().recentErrors.filter((e) => /takes no input picture/.test(e.message))).toHaveLength(1);
  expect(engine.state().model.status).toBe('running');
}, 60_000);
