/**
 * Electron main's engine process (app/main/engine-process.ts), with a stand-in for
 * Electron's utilityProcess and MessageChannelMain (tests/helpers/electron-stand-ins.ts):
 * the first start gets every flag, a crash restarts without the starting point
 * (the engine's last session brings it back) and hands the console a new port,
 * a deliberate stop asks for a clean stop, kills a stuck engine, never restarts.
 */
import { describe, expect, it } from 'vitest';
import { parseFlags, NODE_FLAGS, type NodeFlags } from '../../../app/engine/engine-args.js';
import { EngineProcess } from '../../../app/main/engine-process.js';
import { RestartPolicy } from '../../../app/main/restart-policy.js';
import { fakeMessageChannel, fakeUtilityProcess, type FakePort } from '../../helpers/electron-stand-ins.js';
import type { DisplayOutputReport } from '../../../app/main/display-windows.js';

function setup(flags: NodeFlags, options: { answersStop?: boolean; stopTimeoutMs?: number } = {}) {
  const utility = fakeUtilityProcess(options);
  const consolePorts: FakePort[] = [];
  const displays: DisplayOutputReport[][] = [];
  const logs: string[] = [];
  let started = 0;
  let clock = 0;
  const engine = new EngineProcess<FakePort>({
    fork: utility.fork,
    channel: fakeMessageChannel(),
    startFlags: flags,
    policy: new RestartPolicy(),
    now: () => (clock += 1000),
    onConsolePort: (port) => consolePorts.push(port),
    onStarted: () => started++,
    onDisplays: (outputs) => displays.push(outputs),
    log: (line) => logs.push(line),
    ...(options.stopTimeoutMs ? { stopTimeoutMs: options.stopTimeoutMs } : {}),
  });
  return { engine, utility, consolePorts, displays, logs, started: () => started };
}

const flags: NodeFlags = { show: '/shows/gig.json', model: '/models/turbo', prompt: 'dawn', seed: 4, ndi: ['Wall'], savedOutputs: false };

describe('EngineProcess with a stand-in for Electron utilityProcess', () => {
  it('starts the engine with every flag and gives each end of a fresh port pair to the engine and the console', () => {
    const { engine, utility, consolePorts, started } = setup(flags);
    engine.start();
    const [child] = utility.forked;
    expect(parseFlags(NODE_FLAGS, child!.args)).toMatchObject(flags);
    expect(child!.messages[0]).toEqual({ message: { type: 'console-port' }, transfer: [{ name: 'engine-end-1' }] });
    expect(consolePorts).toEqual([{ name: 'window-end-1' }]);
    expect(started()).toBe(1);
  });

  it('restarts a crashed engine without the starting point flags and reconnects the console', () => {
    const { engine, utility, consolePorts, logs, started } = setup(flags);
    engine.start();
    utility.forked[0]!.exit(134);
    expect(utility.forked).toHaveLength(2);
    const again = parseFlags(NODE_FLAGS, utility.forked[1]!.args);
    expect(again).toMatchObject({ ndi: ['Wall'], savedOutputs: false });
    expect([again.show, again.model, again.prompt, again.seed]).toEqual([undefined, undefined, undefined, undefined]);
    expect(consolePorts.at(-1)).toEqual({ name: 'window-end-2' });
    expect(started()).toBe(2);
    expect(logs[0]).toMatch(/code 134.*restarting/);
  });

  it('does not restart an engine that reported it cannot start with these flags', () => {
    const { engine, utility, logs } = setup(flags);
    engine.start();
    const child = utility.forked[0]!;
    child.send({ type: 'startup-failed', message: 'port 8420 on 127.0.0.1 is in use by another program (another Cyclorama node?): stop it or pass --port N (0 picks a free one)' });
    child.exit(1);
    expect(utility.forked).toHaveLength(1);
    expect(logs[0]).toMatch(/could not start: port 8420 .* in use.*Not restarting/);
  });

  it('a deliberate stop asks the engine to stop cleanly and does not restart it', async () => {
    const { engine, utility, logs } = setup(flags);
    engine.start();
    await engine.stop();
    const child = utility.forked[0]!;
    expect(child.messages.at(-1)?.message).toEqual({ type: 'stop' });
    expect(child.killed).toBe(false);
    expect(utility.forked).toHaveLength(1);
    expect(engine.running).toBe(false);
    expect(logs).toEqual(['Cyclorama engine stopped (code 0).']);
  });

  it('kills an engine that does not stop in time, still without a restart', async () => {
    const { engine, utility, logs } = setup(flags, { answersStop: false, stopTimeoutMs: 20 });
    engine.start();
    await engine.stop();
    expect(utility.forked[0]!.killed).toBe(true);
    expect(utility.forked).toHaveLength(1);
    expect(logs[0]).toMatch(/did not stop in time; killing it/);
  });

  it('passes the display outputs the engine reports (validated) and makes ports for their windows', () => {
    const { engine, utility, displays } = setup({});
    expect(engine.outputPort('d1'), 'no engine yet: no port').toBeNull();
    engine.start();
    const child = utility.forked[0]!;
    child.send({ type: 'displays', outputs: [{ id: 'd1', name: 'Stage left', display: '1920,0' }] });
    child.send({ type: 'displays', outputs: [{ id: '', name: 'bad' }] });
    child.send({ type: 'something else' });
    expect(displays).toEqual([[{ id: 'd1', name: 'Stage left', display: '1920,0' }]]);
    expect(engine.outputPort('d1')).toEqual({ name: 'window-end-2' });
    expect(child.messages.at(-1)).toEqual({ message: { type: 'console-port', outputId: 'd1' }, transfer: [{ name: 'engine-end-2' }] });
  });
});
