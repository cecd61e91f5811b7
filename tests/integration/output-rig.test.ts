/**
 * Outputs come back after a restart: an engine saves its NDI and display outputs
 * (names, sizes, rates, crop, blanked or not) in its config folder, and the next
 * engine on that folder reopens them, blanked ones still blanked.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { commandSchema, type CommandInput } from '../../app/contract/commands.js';
import type { OutputStatus } from '../../app/contract/state.js';
import { Engine } from '../../app/engine/engine.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'cyclorama-rig-engine-'));
const engines: Engine[] = [];
afterAll(async () => {
  for (const engine of engines) await engine.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function start(savedOutputs = true): Promise<Engine> {
  const engine = await Engine.start({ width: 160, height: 90, configDir: dir, savedOutputs, ndi: { extraIps: '127.0.0.1' } });
  engines.push(engine);
  // Saved outputs reopen on the turn after start().
  await new Promise((r) => setTimeout(r, 50));
  return engine;
}
const send = (engine: Engine, command: CommandInput) => engine.dispatch(commandSchema.parse(command));
const summary = (outputs: OutputStatus[]) =>
  outputs.filter((o) => o.kind !== 'preview').map((o) => ({ id: o.id, kind: o.kind, name: o.name, live: o.live, rate: o.rate, width: o.width, height: o.height, crop: o.crop }));

describe('saved outputs', () => {
  it('an engine restarted on the same config folder reopens the outputs as they were', async () => {
    const first = await start();
    expect((await send(first, { type: 'addNdiOutput', name: 'Cyclorama rig test', width: 320, height: 180, rate: { num: 25, den: 1 } })).ok).toBe(true);
    expect((await send(first, { type: 'addDisplayOutput', name: 'Ceiling', width: 64, height: 36, crop: { x: 0.5, y: 0, width: 0.5, height: 1 } })).ok).toBe(true);
    expect((await send(first, { type: 'addDisplayOutput', name: 'Back wall' })).ok).toBe(true);
    expect((await send(first, { type: 'selectOutput', output: 'Ceiling', live: false })).ok).toBe(true);
    const before = summary(first.state().outputs);
    expect(before).toHaveLength(3);
    await first.stop();

    const second = await start();
    expect(summary(second.state().outputs)).toEqual(before);
    expect(second.state().outputs.find((o) => o.name === 'Ceiling')?.live).toBe(false);
    // A removal is saved too.
    expect((await send(second, { type: 'removeDisplayOutput', id: 'display-2' })).ok).toBe(true);
    await second.stop();

    const third = await start();
    expect(summary(third.state().outputs).map((o) => o.name)).toEqual(['Cyclorama rig test', 'Ceiling']);
    await third.stop();

    // --no-saved-outputs: nothing reopened (and the saved file is left as it was).
    const fresh = await start(false);
    expect(summary(fresh.state().outputs)).toEqual([]);
    await fresh.stop();
    const again = await start();
    expect(summary(again.state().outputs).map((o) => o.name)).toEqual(['Cyclorama rig test', 'Ceiling']);
  }, 90_000); // five engine starts; each NDI output also starts its send worker (under tsx ~1 s of CPU on a loaded machine)
});
