/**
 * The flags main passes to the engine (app/main/engine-flags.ts): every flag of
 * `cyclorama start` arrives, parsed with the one table (engine/engine-args.ts), and
 * a restart after a crash leaves the starting point to the engine's last session.
 */
import { describe, expect, it } from 'vitest';
import { Command } from 'commander';
import {
  addFlags,
  CONTROL_FLAGS,
  ENGINE_FLAGS,
  engineOptionsFromFlags,
  controlSettingsFromFlags,
  flagsToArgv,
  givenFlags,
  NODE_FLAGS,
  parseFlags,
} from '../../../app/engine/engine-args.js';
import { firstStartArgs, restartArgs, startFlagsFromArgv } from '../../../app/main/engine-flags.js';

const userArgs = [
  '--model',
  '/models/turbo',
  '--show',
  '/shows/gig.json',
  '--ndi',
  'Wall A',
  '--ndi',
  'Wall B',
  '--ndi-rate',
  '59.94',
  '--prompt',
  'harbour at dawn',
  '--seed',
  '9',
  '--provider',
  'cpu',
  '--no-saved-outputs',
  '--osc-port',
  '8421',
  '--no-osc-tcp',
];

describe('flags from cyclorama start to the engine', () => {
  it('main reads every flag after "--" in its argv (Electron and Chromium switches before it are not ours)', () => {
    const flags = startFlagsFromArgv(['/usr/bin/electron', '/app', '--enable-logging', '--', ...userArgs]);
    expect(flags).toMatchObject({
      model: '/models/turbo',
      show: '/shows/gig.json',
      ndi: ['Wall A', 'Wall B'],
      ndiRate: '59.94',
      prompt: 'harbour at dawn',
      seed: 9,
      provider: 'cpu',
      savedOutputs: false,
      oscPort: 8421,
      oscTcp: false,
    });
    expect(startFlagsFromArgv(['/usr/bin/electron', '/app'])).toEqual({});
  });

  it('the first start passes them on whole: the engine parses the same values and gets the same EngineOptions as serve', () => {
    const flags = startFlagsFromArgv(['electron', '/app', '--', ...userArgs]);
    const inEngine = parseFlags(NODE_FLAGS, firstStartArgs(flags));
    expect(engineOptionsFromFlags(inEngine)).toEqual(engineOptionsFromFlags(flags));
    expect(engineOptionsFromFlags(inEngine)).toMatchObject({
      modelDir: '/models/turbo',
      showPath: '/shows/gig.json',
      initialPrompt: 'harbour at dawn',
      initialSeed: 9,
      provider: 'cpu',
      savedOutputs: false,
      lastSession: true,
      ndi: {
        outputs: [
          { name: 'Wall A', rate: { num: 60000, den: 1001 } },
          { name: 'Wall B', rate: { num: 60000, den: 1001 } },
        ],
      },
    });
    expect(controlSettingsFromFlags(inEngine).osc).toMatchObject({ port: 8421, tcp: false });
  });

  it('a restart after a crash drops --show/--model/--prompt/--seed (the last session has them) and keeps the rest', () => {
    const flags = startFlagsFromArgv(['electron', '/app', '--', ...userArgs]);
    const again = parseFlags(NODE_FLAGS, restartArgs(flags));
    expect(again.show).toBeUndefined();
    expect(again.model).toBeUndefined();
    expect(again.prompt).toBeUndefined();
    expect(again.seed).toBeUndefined();
    expect(again).toMatchObject({ ndi: ['Wall A', 'Wall B'], ndiRate: '59.94', provider: 'cpu', savedOutputs: false, oscPort: 8421, oscTcp: false });
  });

  it('a bad flag is refused with its name, as on the command line', () => {
    expect(() => startFlagsFromArgv(['electron', '/app', '--', '--seed', '-1'])).toThrow(/--seed.*whole number from 0/);
    expect(() => startFlagsFromArgv(['electron', '/app', '--', '--ndi-size', '1921x1080'])).toThrow(/even width/);
    expect(() => startFlagsFromArgv(['electron', '/app', '--', '--bogus'])).toThrow(/unknown option '--bogus'/);
  });
});

describe('the flag tables', () => {
  it("each key is commander's name for its flag (the parsed values land where the types say)", () => {
    for (const table of [ENGINE_FLAGS, CONTROL_FLAGS]) {
      const command = addFlags(new Command(), table);
      expect(command.options.map((o) => o.attributeName())).toEqual(Object.keys(table));
    }
  });

  it('only the flags a user gave are handed on (not the defaults)', () => {
    const command = addFlags(new Command(), NODE_FLAGS).exitOverride();
    command.parse(['--show', 'a.json', '--port', '8420'], { from: 'user' });
    const given = givenFlags(NODE_FLAGS, command);
    expect(given).toEqual({ show: 'a.json', port: 8420 });
    // A value equal to its default needs no argument; the engine's parse gives it back.
    expect(flagsToArgv(NODE_FLAGS, given)).toEqual(['--show', 'a.json']);
    expect(parseFlags(NODE_FLAGS, flagsToArgv(NODE_FLAGS, given))).toMatchObject({ show: 'a.json', port: 8420, host: '127.0.0.1', savedOutputs: true, oscTcp: true });
  });
});
