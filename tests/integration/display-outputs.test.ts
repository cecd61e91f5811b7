/**
 * Display outputs in the real engine through the client hub: addDisplayOutput /
 * removeDisplayOutput, frames at the output's own rate only to the pages subscribed
 * to that output, consoles unaffected (they get program previews, not output frames).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commandSchema, type CommandInput } from '../../app/contract/commands.js';
import { readFrame } from '../../app/contract/frame-wire.js';
import { ClientHub, type ClientPort } from '../../app/engine/control/client-hub.js';
import { Engine } from '../../app/engine/engine.js';

let engine: Engine;
let hub: ClientHub;
const send = (command: CommandInput) => engine.dispatch(commandSchema.parse(command));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function port(outputId?: string): ClientPort & { frames: Uint8Array[] } {
  const frames: Uint8Array[] = [];
  return { frames, sendText: () => {}, sendBinary: (data) => void frames.push(data.slice()), isBacklogged: () => false, ...(outputId ? { outputId } : {}) };
}

beforeAll(async () => {
  engine = await Engine.start({ configDir: null, width: 320, height: 180 });
  hub = new ClientHub(engine);
  await sleep(1000);
});
afterAll(async () => {
  await engine?.stop();
});

describe('display outputs', () => {
  it('frames go only to pages of that output, at its rate and transport size; consoles get none of them', async () => {
    expect(send({ type: 'addDisplayOutput', name: 'Wall A', width: 160, height: 90, rate: { num: 25, den: 1 } }).ok).toBe(true);
    expect(send({ type: 'addDisplayOutput', name: 'Wall B', width: 64, height: 72, crop: { x: 0.5, y: 0, width: 0.5, height: 1 } }).ok).toBe(true);
    expect(send({ type: 'addDisplayOutput', name: 'Wall A' }).ok).toBe(false); // names are unique
    const consolePort = port();
    const pageA = port('display-1');
    const pageB = port('display-2');
    const handles = [hub.attach(consolePort), hub.attach(pageA), hub.attach(pageB)];
    await sleep(2000);
    const kinds = (p: { frames: Uint8Array[] }) => new Set(p.frames.map((f) => readFrame(f)?.header.stream ?? 'program'));
    expect(kinds(consolePort)).toEqual(new Set(['program']));
    expect(kinds(pageA)).toEqual(new Set(['output']));
    expect(readFrame(pageA.frames.at(-1)!)!.header).toMatchObject({ width: 160, height: 90 });
    expect(readFrame(pageB.frames.at(-1)!)!.header).toMatchObject({ width: 64, height: 72 });
    // ~25 fps for two seconds (every tick sends: fresh frames scaled, repeats resent).
    expect(pageA.frames.length).toBeGreaterThan(40);
    expect(pageA.frames.length).toBeLessThan(56);
    const status = engine.state().outputs.find((o) => o.id === 'display-1')!;
    expect(status).toMatchObject({ kind: 'display', name: 'Wall A', status: 'running', clients: 1, rate: { num: 25, den: 1 }, width: 160, height: 90 });
    expect(engine.state().outputs.find((o) => o.id === 'display-2')!.crop).toEqual({ x: 0.5, y: 0, width: 0.5, height: 1 });

    handles[1]!.detach();
    expect(engine.state().outputs.find((o) => o.id === 'display-1')!.clients).toBe(0);
    expect(send({ type: 'removeDisplayOutput', id: 'display-2' }).ok).toBe(true);
    const before = pageB.frames.length;
    await sleep(300);
    expect(pageB.frames.length).toBe(before);
    expect(engine.state().outputs.some((o) => o.id === 'display-2')).toBe(false);
    expect(send({ type: 'removeDisplayOutput', id: 'display-9' }).ok).toBe(false);
    for (const h of handles) h.detach();
  });
});
