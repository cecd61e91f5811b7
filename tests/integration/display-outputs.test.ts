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
    expect((await send({ type: 'addDisplayOutput', name: 'Wall A', width: 160, height: 90, rate: { num: 25, den: 1 } })).ok).toBe(true);
    expect((await send({ type: 'addDisplayOutput', name: 'Wall B', width: 64, height: 72, crop: { x: 0.5, y: 0, width: 0.5, height: 1 } })).ok).toBe(true);
    expect((await send({ type: 'addDisplayOutput', name: 'Wall A' })).ok).toBe(false); // names are unique
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
    expect((await send({ type: 'removeDisplayOutput', id: 'display-2' })).ok).toBe(true);
    const before = pageB.frames.length;
    await sleep(300);
    expect(pageB.frames.length).toBe(before);
    expect(engine.state().outputs.some((o) => o.id === 'display-2')).toBe(false);
    expect((await send({ type: 'removeDisplayOutput', id: 'display-9' })).ok).toBe(false);
    for (const h of handles) h.detach();
  });

  it('selectOutput blanks one output to black at its rate while the others keep the picture, by name or id', async () => {
    expect((await send({ type: 'addDisplayOutput', name: 'Ceiling', width: 64, height: 36 })).ok).toBe(true);
    expect((await send({ type: 'addDisplayOutput', name: 'Back wall', width: 64, height: 36 })).ok).toBe(true);
    const outputs = engine.state().outputs;
    const ceilingId = outputs.find((o) => o.name === 'Ceiling')!.id;
    const backId = outputs.find((o) => o.name === 'Back wall')!.id;
    const ceiling = port(ceilingId);
    const back = port(backId);
    const handles = [hub.attach(ceiling), hub.attach(back)];
    /** Brightest RGB value in the newest frame a page got. */
    const brightest = (p: { frames: Uint8Array[] }) => {
      const pixels = readFrame(p.frames.at(-1)!)!.pixels;
      let max = 0;
      for (let i = 0; i < pixels.length; i += 4) max = Math.max(max, pixels[i]!, pixels[i + 1]!, pixels[i + 2]!);
      return max;
    };
    const framesAfter = async (p: { frames: Uint8Array[] }, ms: number) => {
      const n = p.frames.length;
      await sleep(ms);
      return p.frames.length - n;
    };
    await sleep(500);
    expect(brightest(ceiling)).toBeGreaterThan(20);

    expect(await send({ type: 'selectOutput', output: 'Ceiling', live: false })).toEqual({ ok: true });
    expect(engine.state().outputs.find((o) => o.id === ceilingId)!.live).toBe(false);
    // Still sending (receivers keep their lock), black; the other output unchanged.
    expect(await framesAfter(ceiling, 500)).toBeGreaterThan(0);
    expect(brightest(ceiling)).toBe(0);
    expect(brightest(back)).toBeGreaterThan(20);
    expect(engine.state().outputs.find((o) => o.id === backId)!.live).toBe(true);

    // Toggle by id brings the picture back.
    expect(await send({ type: 'selectOutput', output: ceilingId, live: 'toggle' })).toEqual({ ok: true });
    await sleep(500);
    expect(brightest(ceiling)).toBeGreaterThan(20);
    expect(engine.state().outputs.find((o) => o.id === ceilingId)!.live).toBe(true);

    // Unknown names are refused, listing what exists; a name two outputs share is refused as ambiguous.
    const unknown = await send({ type: 'selectOutput', output: 'Floor', live: false });
    expect(unknown.ok).toBe(false);
    expect(unknown.ok ? '' : unknown.error.message).toMatch(/No NDI or display output "Floor".*"Ceiling"/);
    expect((await send({ type: 'addNdiOutput', name: 'Ceiling', width: 64, height: 36 })).ok).toBe(true);
    const ambiguous = await send({ type: 'selectOutput', output: 'Ceiling', live: false });
    expect(ambiguous.ok ? '' : ambiguous.error.message).toMatch(/Two outputs are called "Ceiling".*select one by its id/);
    expect(
      engine
        .state()
        .outputs.filter((o) => o.name === 'Ceiling')
        .every((o) => o.live === true),
    ).toBe(true);
    for (const h of handles) h.detach();
  });
});
