/**
 * DMX in over real UDP on loopback: the `sacn` and `dmxnet` libraries send, the
 * input receives with the same libraries and the DmxInterpreter turns universes
 * into commands. sACN goes unicast to 127.0.0.1 (the library's
 * useUnicastDestination), so the test does not depend on multicast routing here.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { Sender as SacnSender } from 'sacn';
import { dmxnet as Dmxnet } from 'dmxnet';
import { openDmxInput, type DmxInput } from '../../app/engine/control/dmx-input.js';
import type { DmxStep } from '../../app/engine/control/dmx-interpreter.js';
import { waitUntil } from '../helpers/wait.js';

const CUES = ['1', '2', '3'];
const GO = 5;
const PANIC = 6;
const MASTER = 1;

async function freeUdpPort(): Promise<number> {
  const s = createSocket('udp4');
  await new Promise<void>((r) => s.bind(0, '127.0.0.1', () => r()));
  const port = s.address().port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

async function sendRaw(port: number, bytes: Buffer): Promise<void> {
  const s = createSocket('udp4');
  await new Promise<void>((resolve, reject) => s.send(bytes, port, '127.0.0.1', (err) => (err ? reject(err) : resolve())));
  s.close();
}

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function open(protocol: 'sacn' | 'artnet', universe: number, port: number): Promise<{ input: DmxInput; steps: DmxStep[] }> {
  const steps: DmxStep[] = [];
  const input = await openDmxInput({
    protocol,
    patch: { universe, startAddress: 1 },
    port,
    cueNumberAt: (p) => CUES[p - 1] ?? null,
    onStep: (s) => steps.push(s),
    sourceTimeoutMs: 600,
    tickMs: 50,
  });
  cleanups.push(() => input.close());
  return { input, steps };
}

const commandsOf = (steps: DmxStep[]) => steps.flatMap((s) => s.commands);
const has = (steps: DmxStep[], type: string) => commandsOf(steps).some((c) => c.type === type);

describe('sACN in (sacn library both ends, loopback UDP)', () => {
  function sender(port: number, universe: number, priority: number, name: string) {
    const s = new SacnSender({
      universe,
      port,
      useUnicastDestination: '127.0.0.1',
      defaultPacketOptions: { sourceName: name, priority, useRawDmxValues: true, cid: randomBytes(16) },
    });
    cleanups.push(() => s.close());
    return s;
  }

  it('drives GO (rising edge only), the master and panic; ignores another universe', async () => {
    const port = await freeUdpPort();
    const { input, steps } = await open('sacn', 1, port);
    const desk = sender(port, 1, 100, 'desk');
    await desk.send({ payload: { [MASTER]: 255, [GO]: 0 } });
    await waitUntil(() => steps.some((s) => s.controls.master === 1), { what: 'the master from the first universe' });
    await desk.send({ payload: { [MASTER]: 255, [GO]: 255 } });
    await waitUntil(() => has(steps, 'go'), { what: 'GO' });
    // GO held high: more packets, no second GO.
    await desk.send({ payload: { [MASTER]: 255, [GO]: 255 } });
    await desk.send({ payload: { [MASTER]: 128, [GO]: 255, [PANIC]: 100 } });
    await waitUntil(() => has(steps, 'panic'), { what: 'panic' });
    expect(commandsOf(steps).filter((c) => c.type === 'go')).toHaveLength(1);
    expect(commandsOf(steps)).toContainEqual({ type: 'panic', mode: 'black' });
    // Universe 2 on the same port: the library drops it, nothing happens.
    const other = sender(port, 2, 100, 'other');
    const before = steps.length;
    await other.send({ payload: { [MASTER]: 0, [GO]: 0, [PANIC]: 0 } });
    await desk.send({ payload: { [MASTER]: 128, [GO]: 255, [PANIC]: 100 } });
    await waitUntil(() => input.stats.packets >= 5, { what: 'the desk packet after the other universe' });
    expect(steps.slice(before).flatMap((s) => s.commands)).toEqual([]);
    expect(input.interpreter.values?.master).toBeCloseTo(128 / 255, 9);
  });

  it('two sources: the higher priority takes over, and the lower is back when it goes away', async () => {
    const port = await freeUdpPort();
    const { input, steps } = await open('sacn', 7, port);
    const desk = new SacnSender({
      universe: 7,
      port,
      useUnicastDestination: '127.0.0.1',
      minRefreshRate: 20,
      defaultPacketOptions: { sourceName: 'desk', priority: 100, useRawDmxValues: true, cid: randomBytes(16) },
    });
    cleanups.push(() => desk.close());
    await desk.send({ payload: { [MASTER]: 200 } });
    await waitUntil(() => steps.some((s) => s.controls.master === 200 / 255), { what: 'the desk master' });
    const backup = sender(port, 7, 150, 'backup');
    await backup.send({ payload: { [MASTER]: 20 } });
    await waitUntil(() => steps.some((s) => s.controls.master === 20 / 255), { what: 'the priority-150 master' });
    // The backup stops sending; after its timeout the desk (still refreshing) is in charge again.
    await waitUntil(() => input.interpreter.values?.master === 200 / 255, { what: 'the desk back after the backup timed out' });
    expect(input.interpreter.signalState).toBe('live');
  });

  it('malformed packets are refused and counted; the input keeps running', async () => {
    const port = await freeUdpPort();
    const { input, steps } = await open('sacn', 1, port);
    await sendRaw(port, Buffer.from('not sACN at all'));
    await sendRaw(port, randomBytes(638));
    await waitUntil(() => input.stats.corrupt >= 2, { what: 'two corrupt packets counted' });
    expect(steps.flatMap((s) => s.problems).every((p) => p.startsWith('sACN packet refused'))).toBe(true);
    const desk = sender(port, 1, 100, 'desk');
    await desk.send({ payload: { [MASTER]: 77 } });
    await waitUntil(() => input.interpreter.values?.master === 77 / 255, { what: 'a good packet after the bad ones' });
  });

  it('signal loss holds the values; GO still high when the signal returns does not fire', async () => {
    const port = await freeUdpPort();
    const { input, steps } = await open('sacn', 1, port);
    const desk = sender(port, 1, 100, 'desk');
    await desk.send({ payload: { [MASTER]: 180, [GO]: 0 } });
    await waitUntil(() => input.stats.packets >= 1);
    await desk.send({ payload: { [MASTER]: 180, [GO]: 255 } });
    await waitUntil(() => has(steps, 'go'), { what: 'the first GO' });
    await waitUntil(() => steps.some((s) => s.signal === 'lost'), { what: 'loss of signal after the source timeout' });
    expect(input.interpreter.values?.master).toBeCloseTo(180 / 255, 9);
    const at = steps.length;
    await desk.send({ payload: { [MASTER]: 180, [GO]: 255 } });
    await waitUntil(() => steps.slice(at).some((s) => s.signal === 'live'), { what: 'the signal back' });
    expect(steps.slice(at).flatMap((s) => s.commands)).toEqual([]);
  });
});

describe('Art-Net in (dmxnet library both ends, loopback UDP)', () => {
  async function artnetSender(port: number, portAddress: number) {
    const lib = new Dmxnet({ listen: await freeUdpPort(), log: { level: 'error' } });
    const s = lib.newSender({ ip: '127.0.0.1', port, net: (portAddress >> 8) & 0x7f, subnet: (portAddress >> 4) & 0xf, universe: portAddress & 0xf, base_refresh_interval: 100 });
    cleanups.push(() => {
      s.stop();
      lib.listener4.close();
      lib.socket.close();
    });
    return s;
  }

  it('drives GO, the master (HTP across two desks) and panic; another universe is counted, not used', async () => {
    const port = await freeUdpPort();
    const { input, steps } = await open('artnet', 0x123, port);
    const a = await artnetSender(port, 0x123);
    const b = await artnetSender(port, 0x123);
    a.prepChannel(MASTER - 1, 100);
    a.transmit();
    b.prepChannel(MASTER - 1, 180);
    b.transmit();
    await waitUntil(() => input.interpreter.values?.master === 180 / 255, { what: 'HTP master from two Art-Net desks' });
    a.setChannel(GO - 1, 255);
    await waitUntil(() => has(steps, 'go'), { what: 'GO over Art-Net' });
    b.setChannel(PANIC - 1, 200);
    await waitUntil(() => has(steps, 'panic'), { what: 'panic over Art-Net' });
    expect(commandsOf(steps)).toContainEqual({ type: 'panic', mode: 'safe-plate' });
    const wrong = await artnetSender(port, 0x124);
    wrong.setChannel(GO - 1, 0);
    await waitUntil(() => input.stats.wrongUniverse >= 1, { what: 'the other universe counted' });
    // Both desks keep refreshing with GO high: still one GO.
    await waitUntil(() => input.stats.packets >= 10);
    expect(commandsOf(steps).filter((c) => c.type === 'go')).toHaveLength(1);
  });

  it('malformed ArtDmx packets are refused with the reason; the input keeps running', async () => {
    const port = await freeUdpPort();
    const { input, steps } = await open('artnet', 0, port);
    const header = (length: number, dataBytes: number, version = 14) => {
      const b = Buffer.alloc(18 + dataBytes);
      b.write('Art-Net\0', 0, 'latin1');
      b.writeUInt16LE(0x5000, 8);
      b.writeUInt16BE(version, 10);
      b.writeUInt16LE(0, 14);
      b.writeUInt16BE(length, 16);
      b.fill(255, 18);
      return b;
    };
    await sendRaw(port, Buffer.from('hello'));
    await sendRaw(port, header(512, 10)); // says 512, carries 10
    await sendRaw(port, header(511, 511)); // odd length
    await sendRaw(port, header(512, 512, 3)); // ancient protocol version
    await waitUntil(() => input.stats.corrupt >= 4, { what: 'four refused packets' });
    const problems = steps.flatMap((s) => s.problems).join('\n');
    expect(problems).toMatch(/not an Art-Net packet/);
    expect(problems).toMatch(/says 512 slots but carries 10/);
    expect(problems).toMatch(/length 511/);
    expect(problems).toMatch(/protocol version 3/);
    expect(input.stats.packets).toBe(0);
    expect(commandsOf(steps)).toEqual([]);
    await sendRaw(port, header(512, 512));
    await waitUntil(() => input.interpreter.values?.master === 1, { what: 'a good ArtDmx after the bad ones' });
  });

  it('after close() a process exits on its own: no timer or socket left (dmxnet has no close of its own)', async () => {
    const module = join(import.meta.dirname, '../../app/engine/control/dmx-input.ts');
    const script = [
      `import { openDmxInput } from ${JSON.stringify(module)};`,
      `const input = await openDmxInput({ protocol: 'artnet', patch: { universe: 0, startAddress: 1 }, port: ${await freeUdpPort()}, cueNumberAt: () => null, onStep: () => {} });`,
      `await input.close();`,
      `console.log('closed');`,
    ].join('\n');
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const code = await new Promise<number | null>((resolve) => {
      const timer = setTimeout(() => {
        child.kill();
        resolve(null);
      }, 20_000);
      child.on('exit', (c) => {
        clearTimeout(timer);
        resolve(c);
      });
    });
    expect(out).toContain('closed');
    expect(code, `the process did not exit by itself after close(): ${out}`).toBe(0);
  });
});
