/**
 * The Companion module's InstanceBase glue (companion-module/src/main.ts) run the way
 * Companion runs it: built with its own tsconfig, started as a Node child process with
 * an IPC channel and the env Companion sets, speaking @companion-module/base's real IPC
 * protocol against a real headless engine on loopback.
 *
 * Only Companion itself is stood in for: StandInCompanion below plays its part of the
 * protocol (answers `register`, calls `init`, `updateFeedbacks`, `executeAction`, ...,
 * records what the module sends). The module, the base library, the WebSocket and the
 * engine are the real ones, so the checks are on the engine's state and on the feedback
 * values the module pushes, not just on messages flowing.
 */
import { execFile, fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { InstanceStatus, type CompanionOptionValues } from '@companion-module/base';
import type {
  ExecuteActionMessage,
  ExecuteActionResponseMessage,
  FeedbackInstance,
  InitMessage,
  InitResponseMessage,
  LogMessageMessage,
  SetActionDefinitionsMessage,
  SetFeedbackDefinitionsMessage,
  SetPresetDefinitionsMessage,
  SetStatusMessage,
  UpdateConfigAndLabelMessage,
  UpdateFeedbackInstancesMessage,
  UpdateFeedbackValuesMessage,
} from '@companion-module/base/dist/host-api/api.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commandSchema } from '../../app/contract/commands.js';
import { ClientHub } from '../../app/engine/control/client-hub.js';
import { startConsoleServer, type ConsoleServer } from '../../app/engine/control/console-server.js';
import { Engine } from '../../app/engine/engine.js';
import { ACTIONS } from '../../companion-module/src/actions.js';
import type { ModuleConfig } from '../../companion-module/src/config.js';
import { FEEDBACKS } from '../../companion-module/src/feedbacks.js';
import { presetDefinitions } from '../../companion-module/src/presets.js';
import { waitUntil, type Probe } from '../helpers/wait.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const MODULE_DIR = path.join(ROOT, 'companion-module');
const MANIFEST = path.join(MODULE_DIR, 'companion/manifest.json');
const VERIFICATION_TOKEN = 'stand-in-verification-token';
const ACCESS_TOKEN = 'sesame-companion-1234';

/** The codec the base library uses (EJSON), loaded from where the library loads it. */
const requireFromBase = createRequire(createRequire(path.join(MODULE_DIR, 'package.json')).resolve('@companion-module/base'));
const EJSON = requireFromBase('ejson') as { stringify(value: unknown): string; parse(text: string): unknown };

/** One message on the IPC channel (@companion-module/base dist/host-api/ipc-wrapper.js). */
type IpcMessage =
  { direction: 'call'; name: string; payload: string; callbackId: number | undefined } | { direction: 'response'; callbackId: number; success: boolean; payload: string };

/** Stands in for Companion: spawns the module as Companion does and plays the host side of the IPC protocol. */
class StandInCompanion {
  /** Every call the module made, in order, with its decoded payload. */
  readonly received: { name: string; payload: unknown }[] = [];
  /** Latest value per feedback instance id, as pushed by `updateFeedbackValues`. */
  readonly feedbackValues = new Map<string, unknown>();
  /** The module's stdout and stderr, for failure messages. */
  output = '';
  readonly child: ChildProcess;
  private nextCallbackId = 1;
  private readonly pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();

  constructor(manifestPath: string, connectionId: string) {
    // Companion reads the manifest for what to run; the entrypoint is relative to it.
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { runtime: { api: string; entrypoint: string } };
    if (manifest.runtime.api !== 'nodejs-ipc') throw new Error(`unexpected module api ${manifest.runtime.api}`);
    const entrypoint = path.resolve(path.dirname(manifestPath), manifest.runtime.entrypoint);
    this.child = fork(entrypoint, [], {
      cwd: MODULE_DIR,
      // Not the test runner's flags: the module runs in plain Node, as under Companion.
      execArgv: [],
      env: { ...process.env, MODULE_MANIFEST: manifestPath, CONNECTION_ID: connectionId, VERIFICATION_TOKEN },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    this.child.stdout?.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    this.child.stderr?.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    this.child.on('message', (message) => this.receive(message as IpcMessage));
  }

  /** Calls a host-to-module method and resolves with the module's answer. */
  call<T = unknown>(name: string, payload: unknown): Promise<T> {
    const callbackId = this.nextCallbackId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(callbackId, { resolve: resolve as (value: unknown) => void, reject });
      this.child.send({ direction: 'call', name, payload: EJSON.stringify(payload), callbackId } satisfies IpcMessage);
    });
  }

  /** Payloads of the module's calls named `name`, oldest first. */
  calls<T>(name: string): T[] {
    return this.received.filter((call) => call.name === name).map((call) => call.payload as T);
  }

  statuses(): SetStatusMessage[] {
    return this.calls<SetStatusMessage>('set-status');
  }

  private receive(message: IpcMessage): void {
    const payload = message.payload ? EJSON.parse(message.payload) : undefined;
    if (message.direction === 'response') {
      const call = this.pending.get(message.callbackId);
      this.pending.delete(message.callbackId);
      if (message.success) call?.resolve(payload);
      else call?.reject(new Error((payload as { message?: string } | undefined)?.message ?? 'call failed'));
      return;
    }
    this.received.push({ name: message.name, payload });
    if (message.name === 'updateFeedbackValues') {
      for (const { id, value } of (payload as UpdateFeedbackValuesMessage).values) this.feedbackValues.set(id, value);
    }
    if (message.callbackId === undefined) return;
    // Companion accepts a registration carrying the token it started the process with.
    // Nothing else the module may ask for (parseVariablesInString, shared UDP sockets) is used here.
    const accepted = message.name === 'register' && (payload as { verificationToken?: string }).verificationToken === VERIFICATION_TOKEN;
    this.child.send({
      direction: 'response',
      callbackId: message.callbackId,
      success: accepted,
      payload: EJSON.stringify(accepted ? {} : { message: `stand-in host does not answer ${message.name}` }),
    } satisfies IpcMessage);
  }
}

let engine: Engine;
let hub: ClientHub;
let server: ConsoleServer;
/** A listener beyond loopback (0.0.0.0), where the engine checks the access token. */
let guarded: ConsoleServer;
let companion: StandInCompanion;

/** Waits for `predicate`; on a timeout the error carries the module's log, statuses and output. */
const waitFor = <T>(what: string, predicate: Probe<T>, timeoutMs = 15_000) =>
  waitUntil(predicate, {
    timeoutMs,
    what: () =>
      `${what}; module logs and statuses: ${JSON.stringify(companion?.received.filter((c) => c.name === 'log-message' || c.name === 'set-status'))}\nmodule output:\n${companion?.output}`,
  });

const config = (overrides: Partial<ModuleConfig> = {}): ModuleConfig => ({ host: '127.0.0.1', port: server.port, token: '', ...overrides });

/** Statuses the module reported after the first `since` ones. */
const statusesSince = (since: number) => companion.statuses().slice(since);
const lastStatus = () => companion.statuses().at(-1);

/**
 * Waits for two failed connection attempts after status number `since` (the client
 * retries after 500 ms): by then a replaced connection would have reported its own
 * closing too. Returns the failure statuses; none may be "ok".
 */
async function failedAttempts(since: number): Promise<SetStatusMessage[]> {
  await waitFor('two failed attempts', () => {
    const statuses = statusesSince(since);
    return statuses.filter((s) => s.status === InstanceStatus.Connecting).length >= 2 && statuses.at(-1)?.status === InstanceStatus.Disconnected;
  });
  const statuses = statusesSince(since);
  expect(statuses.map((s) => s.status)).not.toContain(InstanceStatus.Ok);
  return statuses.filter((s) => s.status !== InstanceStatus.Connecting);
}

/** What Companion sends when a button's action runs. */
function press(actionId: keyof typeof ACTIONS, options: CompanionOptionValues = {}) {
  const message: ExecuteActionMessage = {
    action: { id: `action-${actionId}`, controlId: 'bank:1:1', actionId, options, upgradeIndex: null, disabled: false },
    surfaceId: 'streamdeck:stand-in',
  };
  return companion.call<ExecuteActionResponseMessage>('executeAction', message);
}

function feedback(id: string, feedbackId: keyof typeof FEEDBACKS, options: Record<string, string>): FeedbackInstance {
  return { id, controlId: `bank:1:${id}`, feedbackId, options, isInverted: false, upgradeIndex: null, disabled: false };
}

/** Where a freed port is: nothing listens there, so connecting is refused. */
async function closedPort(): Promise<number> {
  const probe = createServer().listen(0, '127.0.0.1');
  await once(probe, 'listening');
  const { port } = probe.address() as { port: number };
  await new Promise((r) => probe.close(r));
  return port;
}

const cueId = (number: string) => engine.state().show?.document.cues.find((cue) => cue.number === number)?.id;

beforeAll(async () => {
  // `npm run build` builds the app, not the module, so build it here: the output is
  // what Companion loads (the manifest's entrypoint, companion-module/dist/main.js).
  const tsc = createRequire(import.meta.url).resolve('typescript/lib/tsc.js');
  await promisify(execFile)(process.execPath, [tsc, '-p', path.join(MODULE_DIR, 'tsconfig.build.json')], { cwd: ROOT }).catch((error: { stdout?: string }) => {
    throw new Error(`building the Companion module failed:\n${error.stdout}`); // tsc reports on stdout
  });

  engine = await Engine.start({ width: 320, height: 180, configDir: null });
  hub = new ClientHub(engine);
  server = await startConsoleServer({ hub, staticDir: 'dist/renderer', port: 0 });
  guarded = await startConsoleServer({ hub, staticDir: 'dist/renderer', host: '0.0.0.0', port: 0, token: ACCESS_TOKEN });
  for (const prompt of ['snow', 'neon night', 'underwater']) {
    engine.dispatch(commandSchema.parse({ type: 'addCue', patch: { prompt, transition: { durationMs: 0, curve: 'linear' } } }));
  }
  companion = new StandInCompanion(MANIFEST, 'cyclorama-stand-in-1');
});

afterAll(async () => {
  // Never leave the module behind, whatever failed.
  if (companion && companion.child.exitCode === null && companion.child.signalCode === null) {
    const exited = once(companion.child, 'exit');
    companion.child.kill('SIGKILL');
    await exited;
  }
  await guarded?.close();
  await server?.close();
  await engine?.stop();
});

describe("Companion module under a stand-in Companion host (Companion's IPC protocol)", () => {
  it('registers, and on init declares its actions, feedbacks and presets and connects', async () => {
    const register = await waitFor('register', () => companion.calls<{ apiVersion: string; connectionId: string; verificationToken: string }>('register')[0]);
    expect(register).toMatchObject({ connectionId: 'cyclorama-stand-in-1', verificationToken: VERIFICATION_TOKEN });
    // The manifest says 0.0.0 (dev); the library then reports its own version.
    expect(register.apiVersion).toMatch(/^1\.\d+\.\d+/);

    const init: InitMessage = { label: 'cyclorama', isFirstInit: false, config: config(), secrets: {}, lastUpgradeIndex: -1, feedbacks: {}, actions: {} };
    const reply = await companion.call<InitResponseMessage>('init', init);
    expect(reply).toMatchObject({ hasHttpHandler: false, updatedConfig: config() });

    const [actions] = companion.calls<SetActionDefinitionsMessage>('setActionDefinitions');
    expect(actions?.actions.map((a) => a.id).sort()).toEqual(Object.keys(ACTIONS).sort());
    const [feedbacks] = companion.calls<SetFeedbackDefinitionsMessage>('setFeedbackDefinitions');
    expect(feedbacks?.feedbacks.map((f) => f.id).sort()).toEqual(Object.keys(FEEDBACKS).sort());
    const [presets] = companion.calls<SetPresetDefinitionsMessage>('setPresetDefinitions');
    expect(presets?.presets.map((p) => p.id).sort()).toEqual(Object.keys(presetDefinitions()).sort());

    const fields = await companion.call<{ fields: { id: string }[] }>('getConfigFields', {});
    expect(fields.fields.map((f) => f.id)).toEqual(expect.arrayContaining(['host', 'port', 'token']));

    await waitFor('status ok', () => lastStatus()?.status === InstanceStatus.Ok);
  });

  it('GO on a button fires the standby cue on the engine, and the cue feedbacks follow', async () => {
    const instances: UpdateFeedbackInstancesMessage = {
      feedbacks: {
        standby1: feedback('standby1', 'cueStandby', { number: '1' }),
        live1: feedback('live1', 'cueLive', { number: '1' }),
        standby2: feedback('standby2', 'cueStandby', { number: '2' }),
        panicAny: feedback('panicAny', 'panicActive', { mode: 'any' }),
        panicBlack: feedback('panicBlack', 'panicActive', { mode: 'black' }),
      },
    };
    await companion.call('updateFeedbacks', instances);
    const values = companion.feedbackValues;
    await waitFor('cue 1 on standby', () => values.get('standby1') === true && values.get('live1') === false && values.get('panicAny') === false);
    expect(values.get('standby2')).toBe(false);

    expect(await press('go')).toMatchObject({ success: true });
    await waitFor('cue 1 live on the engine', () => engine.state().show?.currentCueId === cueId('1'));
    expect(engine.state().program.prompt).toBe('snow');
    await waitFor('cue 1 live on the button', () => values.get('live1') === true && values.get('standby1') === false && values.get('standby2') === true);
  });

  it('panic and restore from buttons change the engine, and the panic feedbacks follow', async () => {
    const values = companion.feedbackValues;
    expect(await press('black', { fadeMs: 0 })).toMatchObject({ success: true });
    await waitFor('black on the engine', () => engine.state().program.panic === 'black');
    await waitFor('panic feedbacks lit', () => values.get('panicAny') === true && values.get('panicBlack') === true);

    expect(await press('restore')).toMatchObject({ success: true });
    await waitFor('panic lifted on the engine', () => engine.state().program.panic === 'none');
    await waitFor('panic feedbacks off', () => values.get('panicAny') === false && values.get('panicBlack') === false);
  });

  it("logs a command the engine refuses to Companion's log", async () => {
    const before = engine.state().show?.currentCueId;
    await press('fireCue', { number: '99' });
    await waitFor('a warning in the log', () =>
      companion.calls<LogMessageMessage>('log-message').find((m) => m.level === 'warn' && /^Fire cue by number refused by Cyclorama: No cue numbered 99 /.test(m.message)),
    );
    expect(engine.state().show?.currentCueId).toBe(before);
  });

  it('reports a refused connection with its reason, does not fire while disconnected, and recovers', async () => {
    const port = await closedPort();
    const since = companion.statuses().length;
    await companion.call('updateConfigAndLabel', { label: 'cyclorama', config: config({ port }), secrets: {} } satisfies UpdateConfigAndLabelMessage);
    // Every failure names the refusal: not a bare "closed (1006)", and nothing from the replaced connection closing.
    for (const failure of await failedAttempts(since)) expect(failure.message).toBe(`connect ECONNREFUSED 127.0.0.1:${port}`);
    // The buttons stop showing the previous connection's cues.
    await waitFor('cue feedbacks cleared', () => companion.feedbackValues.get('live1') === false && companion.feedbackValues.get('standby2') === false);

    // A GO pressed now is refused (and logged), and must not fire when the connection comes back.
    const live = engine.state().show?.currentCueId;
    await press('go');
    await waitFor('a not-connected warning', () =>
      companion.calls<LogMessageMessage>('log-message').find((m) => m.level === 'warn' && /^GO refused.*Not connected/.test(m.message)),
    );

    const back = companion.statuses().length;
    await companion.call('updateConfigAndLabel', { label: 'cyclorama', config: config(), secrets: {} } satisfies UpdateConfigAndLabelMessage);
    await waitFor('status ok again', () => lastStatus()?.status === InstanceStatus.Ok);
    expect(statusesSince(back).map((s) => s.status)).toEqual([InstanceStatus.Connecting, InstanceStatus.Ok]);
    await waitFor('cue feedbacks back', () => companion.feedbackValues.get('live1') === true);
    expect(engine.state().show?.currentCueId).toBe(live);
  });

  it('reports a wrong access token as not ok, and connects with the right one', async () => {
    const since = companion.statuses().length;
    await companion.call('updateConfigAndLabel', { label: 'cyclorama', config: config({ port: guarded.port, token: 'wrong' }), secrets: {} } satisfies UpdateConfigAndLabelMessage);
    for (const failure of await failedAttempts(since)) expect(failure.message).toMatch(/401/);

    const back = companion.statuses().length;
    await companion.call('updateConfigAndLabel', {
      label: 'cyclorama',
      config: config({ port: guarded.port, token: ACCESS_TOKEN }),
      secrets: {},
    } satisfies UpdateConfigAndLabelMessage);
    await waitFor('status ok with the token', () => lastStatus()?.status === InstanceStatus.Ok);
    expect(statusesSince(back).map((s) => s.status)).toEqual([InstanceStatus.Connecting, InstanceStatus.Ok]);
    await waitFor('cue feedbacks back', () => companion.feedbackValues.get('live1') === true);
  });

  it('on destroy closes its connection, and the process exits by itself once Companion lets go', async () => {
    await companion.call('destroy', {});
    await waitFor("the module's connection closed", () => hub.clientCount === 0);
    const exited = once(companion.child, 'exit');
    // Companion drops the channel; a module that left a socket or timer running would not exit.
    companion.child.disconnect();
    const [code, signal] = await exited;
    expect({ code, signal }).toEqual({ code: 0, signal: null });
  });
});
