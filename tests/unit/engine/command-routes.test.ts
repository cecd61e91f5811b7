import { z } from 'zod';
/**
 * The command routing table (app/engine/command-routes.ts): every contract command
 * type has a route (also a compile-time check), and each kind goes to its part.
 * The parts are stand-ins that record what reached them (the engine's real parts
 * are exercised by the integration tests); the table and its dispatch are real.
 */
import { describe, expect, it } from 'vitest';
import { commandSchema, type Command, type CommandInput } from '../../../app/contract/commands.js';
import type { CommandResult } from '../../../app/contract/connection.js';
import { commandRoutes, routeCommand, type CommandTargets } from '../../../app/engine/command-routes.js';
import type { OutputGroups } from '../../../app/engine/outputs/output-commands.js';
import { ok } from '../../../app/engine/result.js';

function recordingTargets() {
  const calls: string[] = [];
  let finishSwitch: (result: CommandResult) => void = () => {};
  const group = (name: string) => ({
    add: (spec: { name: string }) => (calls.push(`${name}.add ${spec.name}`), ok(`${name}-1`)),
    update: (id: string) => (calls.push(`${name}.update ${id}`), ok(undefined)),
    remove: (id: string) => (calls.push(`${name}.remove ${id}`), ok(undefined)),
    statuses: () => [],
    setLive: () => true,
  });
  const targets: CommandTargets = {
    show: (command) => (calls.push(`show ${command.type}`), { ok: true }),
    openShow: async (file) => (calls.push(`openShow ${file}`), { ok: true }),
    publishState: () => void calls.push('publishState'),
    switchModel: (dir) => {
      calls.push(`switchModel ${dir}`);
      return new Promise((resolve) => (finishSwitch = resolve));
    },
    preflight: () => (calls.push('preflight'), { ok: true }),
    // Stand-in output groups: only what the routes call.
    outputs: { ndi: group('ndi'), displays: group('displays') } as unknown as OutputGroups,
    outputChanged: (result) => (calls.push(`outputChanged ${result.ok}`), result.ok ? { ok: true } : { ok: false, error: result.error }),
    listNdiSources: async (timeoutMs) => (calls.push(`listNdiSources ${timeoutMs}`), { ok: true }),
    models: {
      list: async () => (calls.push('models.list'), { ok: true }),
      pull: async (name) => (calls.push(`models.pull ${name}`), { ok: true }),
      cancel: (name) => (calls.push(`models.cancel ${name}`), { ok: true }),
      importFolder: (dir, name) => (calls.push(`models.import ${dir} ${name ?? '-'}`), { ok: true }),
      remove: async (name) => (calls.push(`models.remove ${name}`), { ok: true }),
      acceptLicence: (name) => (calls.push(`models.accept ${name}`), { ok: true }),
    },
    timecodeInputs: (patch) => (calls.push(`timecodeInputs ${JSON.stringify(patch)}`), { ok: true }),
    schedule: (command) => (calls.push(`schedule ${command.id}`), { ok: true }),
    clockProbe: () => (calls.push('clockProbe'), { ok: true }),
    cluster: {
      addNode: (command) => (calls.push(`cluster.add ${command.name}`), { ok: true }),
      removeNode: (name) => (calls.push(`cluster.remove ${name}`), { ok: true }),
      showPart: (command) => (calls.push(`cluster.showPart ${command.transfer} ${command.part}`), { ok: true }),
    },
    saveStill: async (folder) => (calls.push(`saveStill ${folder}`), { ok: true }),
    recording: {
      start: async (choice) => (calls.push(`recording.start ${JSON.stringify(choice)}`), { ok: true }),
      stop: async () => (calls.push('recording.stop'), { ok: true }),
    },
  };
  return { calls, targets, finishSwitch: (result: CommandResult) => finishSwitch(result) };
}

const parse = (command: CommandInput): Command => commandSchema.parse(command);

describe('command routes', () => {
  it('has a route for every command type in the contract schema', () => {
    const routes = commandRoutes(recordingTargets().targets);
    // The schema nests the direct commands' union inside the one with the cluster's wrapper.
    const typesOf = (union: { options: readonly unknown[] }): string[] =>
      union.options.flatMap((option) => (option instanceof z.ZodDiscriminatedUnion ? typesOf(option) : [(option as z.ZodObject<{ type: z.ZodLiteral<string> }>).shape.type.value]));
    const types = typesOf(commandSchema);
    expect(types).toContain('go');
    expect(types).toContain('scheduled');
    expect(Object.keys(routes).sort()).toEqual([...types].sort());
  });

  it('sends show commands to the show session, output commands to their group, getState to a publish', async () => {
    const { calls, targets } = recordingTargets();
    const routes = commandRoutes(targets);
    for (const command of [
      { type: 'go' },
      { type: 'saveShow' },
      { type: 'openShow', path: '/shows/a.json' },
      { type: 'addNdiOutput', name: 'Wall' },
      { type: 'removeDisplayOutput', id: 'display-3' },
      { type: 'getState' },
      { type: 'preflight' },
      { type: 'setInput', input: { source: { kind: 'ndi', name: 'CAM (1)' } } },
      { type: 'listNdiSources', timeoutMs: 500 },
    ] satisfies CommandInput[]) {
      expect(await routeCommand(routes, parse(command), 0)).toEqual({ ok: true });
    }
    // openShow has its own route: the file is read and parsed off the engine thread.
    expect(calls).toEqual([
      'show go',
      'show saveShow',
      'openShow /shows/a.json',
      'ndi.add Wall',
      'outputChanged true',
      'displays.remove display-3',
      'outputChanged true',
      'publishState',
      'preflight',
      'show setInput',
      'listNdiSources 500',
    ]);
  });

  it('sends setTimecodeInputs to the timecode chase without its type, defaults filled in', async () => {
    const { calls, targets } = recordingTargets();
    const reply = await routeCommand(commandRoutes(targets), parse({ type: 'setTimecodeInputs', ltc: { from: 'ndi', source: 'DESK (LTC)' }, mtc: null }), 0);
    expect(reply).toEqual({ ok: true });
    expect(calls).toEqual(['timecodeInputs {"mtc":null,"ltc":{"from":"ndi","source":"DESK (LTC)","channel":0}}']);
  });

  it('sends startRecording (without its type; fields left out stay out) and stopRecording to the recorder', async () => {
    const { calls, targets } = recordingTargets();
    const routes = commandRoutes(targets);
    expect(await routeCommand(routes, parse({ type: 'startRecording', folder: '/takes', codec: 'prores-mov' }), 0)).toEqual({ ok: true });
    expect(await routeCommand(routes, parse({ type: 'startRecording' }), 0)).toEqual({ ok: true });
    expect(await routeCommand(routes, parse({ type: 'stopRecording' }), 0)).toEqual({ ok: true });
    expect(calls).toEqual(['recording.start {"codec":"prores-mov","folder":"/takes"}', 'recording.start {}', 'recording.stop']);
  });

  it('answers loadModel when the switch has finished, with its outcome', async () => {
    const { calls, targets, finishSwitch } = recordingTargets();
    const reply = routeCommand(commandRoutes(targets), parse({ type: 'loadModel', dir: '/models/x' }), 0);
    let settled = false;
    void Promise.resolve(reply).then(() => (settled = true));
    await new Promise((r) => setTimeout(r, 10));
    expect(calls).toEqual(['switchModel /models/x']);
    expect(settled).toBe(false);
    finishSwitch({ ok: false, error: { code: 'model-load-failed', message: 'no model.json' } });
    expect(await reply).toEqual({ ok: false, error: { code: 'model-load-failed', message: 'no model.json' } });
  });

  it('sends the model library commands to the library, with their arguments', async () => {
    const { calls, targets } = recordingTargets();
    const routes = commandRoutes(targets);
    for (const command of [
      { type: 'listModels' },
      { type: 'pullModel', name: 'sd-turbo' },
      { type: 'cancelPull', name: 'sd-turbo' },
      { type: 'importModel', dir: '/models/mine' },
      { type: 'importModel', dir: '/models/other', name: 'other' },
      { type: 'removeModel', name: 'mine' },
      { type: 'acceptLicence', name: 'sdxl-turbo' },
    ] satisfies CommandInput[]) {
      expect(await routeCommand(routes, parse(command), 0)).toEqual({ ok: true });
    }
    expect(calls).toEqual([
      'models.list',
      'models.pull sd-turbo',
      'models.cancel sd-turbo',
      'models.import /models/mine -',
      'models.import /models/other other',
      'models.remove mine',
      'models.accept sdxl-turbo',
    ]);
  });

  it('refuses rotateToken where no control plane answered it first', async () => {
    const reply = await routeCommand(commandRoutes(recordingTargets().targets), parse({ type: 'rotateToken' }), 0);
    expect(reply.ok === false && reply.error.message).toMatch(/no token to rotate/);
  });

  it('sends saveStill to the stills writer with its folder, and refuses viewer links where no console server answered them first', async () => {
    const { calls, targets } = recordingTargets();
    const routes = commandRoutes(targets);
    expect((await routeCommand(routes, parse({ type: 'saveStill', folder: '/stills' }), 0)).ok).toBe(true);
    expect(calls).toEqual(['saveStill /stills']);
    const create = await routeCommand(routes, parse({ type: 'createViewerLink' }), 0);
    expect(create.ok === false && create.error.message).toMatch(/needs the console server/);
    const revoke = await routeCommand(routes, parse({ type: 'revokeViewerLink' }), 0);
    expect(revoke.ok === false && revoke.error.message).toMatch(/no client preview link/);
  });
});

describe('cluster director routes', () => {
  it('sends addClusterNode, removeClusterNode and clusterShowPart to the cluster, role defaulting to node', async () => {
    const { calls, targets } = recordingTargets();
    const routes = commandRoutes(targets);
    let added: unknown = null;
    targets.cluster.addNode = (command) => ((added = command), { ok: true });
    const routesWithCapture = commandRoutes(targets);
    expect(await routeCommand(routesWithCapture, parse({ type: 'addClusterNode', name: 'wall-left', url: 'http://10.0.0.21:8420/', token: 't' }), 0)).toEqual({ ok: true });
    expect(added).toEqual({ type: 'addClusterNode', name: 'wall-left', url: 'http://10.0.0.21:8420/', token: 't', role: 'node' });
    expect(await routeCommand(routes, parse({ type: 'removeClusterNode', name: 'wall-left' }), 0)).toEqual({ ok: true });
    expect(await routeCommand(routes, parse({ type: 'clusterShowPart', transfer: 'd-show-1', part: 0, parts: 1, data: '' }), 0)).toEqual({ ok: true });
    expect(calls).toEqual(['cluster.remove wall-left', 'cluster.showPart d-show-1 0']);
    expect(commandSchema.safeParse({ type: 'addClusterNode', name: 'x', url: '10.0.0.21:8420' }).error?.issues[0]?.path).toEqual(['url']);
  });
});
