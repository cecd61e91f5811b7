/**
 * The Companion module's protocol (companion-module/src/protocol.ts) against the
 * contract. The module is built and shipped on its own (its build's rootDir is its
 * src/, and it has no zod), so it declares the slice of the API it uses instead of
 * importing it; these checks tie that slice to the contract's schemas: a command
 * the module sends must be one the engine accepts, and every state snapshot and
 * reply the engine sends must read as the module's types. The type checks fail
 * `npm run typecheck`; the parses fail here.
 */
import { describe, expect, it } from 'vitest';
import { commandSchema, type CommandInput } from '../../../app/contract/commands.js';
import type { CommandResult } from '../../../app/contract/connection.js';
import type { EngineState } from '../../../app/contract/state.js';
import type { CommandReply, CycloramaCommand, CycloramaState } from '../../../companion-module/src/protocol.js';

/** Compiles only when T is `true` (a union that is partly false is `boolean`, and fails). */
type Holds<T extends true> = T;

// Each of the module's commands (distributed over the union) is a contract command.
export type CommandsAreContractCommands = Holds<CycloramaCommand extends CommandInput ? true : false>;
// Every state and reply the engine sends can be read as the module's view of it.
export type StateReadsAsModuleState = Holds<EngineState extends CycloramaState ? true : false>;
export type ReplyReadsAsModuleReply = Holds<CommandResult extends CommandReply ? true : false>;

/** One of each command the module sends (actions.ts, presets.ts). */
const sent: { [K in CycloramaCommand['type']]: Extract<CycloramaCommand, { type: K }> } = {
  go: { type: 'go' },
  back: { type: 'back' },
  fireCue: { type: 'fireCue', number: '2.5' },
  panic: { type: 'panic', mode: 'black', fadeMs: 1000 },
  restore: { type: 'restore' },
  setPrompt: { type: 'setPrompt', prompt: 'neon rain', transition: { durationMs: 2000, curve: 'ease-in-out' } },
  setSeed: { type: 'setSeed', seed: 42 },
  timelinePlay: { type: 'timelinePlay' },
  timelinePause: { type: 'timelinePause' },
  timelineStop: { type: 'timelineStop' },
  selectOutput: { type: 'selectOutput', output: 'Wall A', live: 'toggle' },
  setInput: { type: 'setInput', input: { source: { kind: 'ndi', name: 'STAGE-PC (Unreal Plate)' }, fit: 'crop' }, strength: 0.4 },
  pullModel: { type: 'pullModel', name: 'sd-turbo' },
  cancelPull: { type: 'cancelPull', name: 'sd-turbo' },
  startRecording: { type: 'startRecording', folder: '/media/takes', codec: 'prores-mov' },
  stopRecording: { type: 'stopRecording' },
};

describe('Companion module protocol', () => {
  it.each(Object.values(sent))("the engine accepts the module's $type", (command) => {
    const parsed = commandSchema.safeParse(command);
    expect(parsed.success ? parsed.data.type : parsed.error.issues[0]?.message).toBe(command.type);
  });
});
