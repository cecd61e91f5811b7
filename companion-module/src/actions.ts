/**
 * Actions: what a Stream Deck button can ask of Cyclorama. Each is data (name,
 * options) plus a pure mapping from the button's options to one engine command,
 * so the mapping is tested without Companion.
 */
import type { CompanionActionDefinitions, SomeCompanionActionInputField } from '@companion-module/base';
import type { CommandReply, CycloramaCommand } from './protocol.js';

type Options = Record<string, unknown>;

interface ActionSpec {
  name: string;
  description?: string;
  options: SomeCompanionActionInputField[];
  command(options: Options): CycloramaCommand;
}

const num = (value: unknown, fallback: number) => (typeof value === 'number' && Number.isFinite(value) ? value : Number(value) || fallback);

export const ACTIONS = {
  go: { name: 'GO', description: 'Fire the standby cue', options: [], command: () => ({ type: 'go' }) },
  back: { name: 'BACK', description: 'Fire the previous cue', options: [], command: () => ({ type: 'back' }) },
  fireCue: {
    name: 'Fire cue by number',
    options: [{ type: 'textinput', id: 'number', label: 'Cue number', default: '1' }],
    command: (o) => ({ type: 'fireCue', number: String(o.number ?? '').trim() }),
  },
  black: {
    name: 'Panic: fade to black',
    options: [{ type: 'number', id: 'fadeMs', label: 'Fade (ms)', default: 1000, min: 0, max: 60000 }],
    command: (o) => ({ type: 'panic', mode: 'black', fadeMs: Math.round(num(o.fadeMs, 0)) }),
  },
  freeze: { name: 'Panic: freeze', options: [], command: () => ({ type: 'panic', mode: 'freeze' }) },
  safePlate: { name: 'Panic: safe plate', options: [], command: () => ({ type: 'panic', mode: 'safe-plate' }) },
  restore: { name: 'Restore (undo panic)', options: [], command: () => ({ type: 'restore' }) },
  recordStart: {
    name: 'Recording: start',
    description: "Record the program to a file on the engine machine; an empty folder or codec takes the last recording's choice",
    options: [
      { type: 'textinput', id: 'folder', label: 'Folder on the engine machine (empty = the last one)', default: '', useVariables: true },
      {
        type: 'dropdown',
        id: 'codec',
        label: 'Codec',
        default: 'last',
        choices: [
          { id: 'last', label: 'As last time' },
          { id: 'h264-mp4', label: 'H.264 (MP4)' },
          { id: 'prores-mov', label: 'ProRes 422 HQ (MOV)' },
        ],
      },
    ],
    command: (o) => {
      const folder = String(o.folder ?? '').trim();
      const codec = o.codec === 'h264-mp4' || o.codec === 'prores-mov' ? o.codec : undefined;
      return { type: 'startRecording', ...(folder ? { folder } : {}), ...(codec ? { codec } : {}) };
    },
  },
  recordStop: { name: 'Recording: stop', options: [], command: () => ({ type: 'stopRecording' }) },
  prompt: {
    name: 'Set prompt',
    options: [
      { type: 'textinput', id: 'prompt', label: 'Prompt', default: 'sunset over the desert', useVariables: true },
      { type: 'number', id: 'transitionMs', label: 'Morph (ms, 0 = cut)', default: 2000, min: 0, max: 600000 },
    ],
    command: (o) => ({ type: 'setPrompt', prompt: String(o.prompt ?? ''), transition: { durationMs: Math.round(num(o.transitionMs, 0)) } }),
  },
  seed: {
    name: 'Set seed',
    options: [{ type: 'number', id: 'seed', label: 'Seed', default: 1, min: 0, max: 2147483647 }],
    command: (o) => ({ type: 'setSeed', seed: Math.round(num(o.seed, 1)) }),
  },
  input: {
    name: 'Live input',
    description: 'What the live look restyles: an NDI source (by its name), a still image on the engine machine, the program, or none',
    options: [
      {
        type: 'dropdown',
        id: 'kind',
        label: 'Input',
        default: 'ndi',
        choices: [
          { id: 'ndi', label: 'NDI source' },
          { id: 'image', label: 'Still image' },
          { id: 'program', label: 'Program (feedback)' },
          { id: 'none', label: 'None (text only)' },
        ],
      },
      { type: 'textinput', id: 'name', label: 'NDI source name, e.g. STAGE-PC (Unreal), or image path', default: '', useVariables: true },
      {
        type: 'dropdown',
        id: 'fit',
        label: 'Fit',
        default: 'fill',
        choices: [
          { id: 'fill', label: 'Fill (stretch)' },
          { id: 'fit', label: 'Fit (bars)' },
          { id: 'crop', label: 'Crop' },
        ],
      },
      { type: 'number', id: 'strength', label: 'Strength (0 = the input as it is, 1 = the look alone)', default: 0.5, min: 0, max: 1, step: 0.05 },
    ],
    command: (o) => {
      const strength = Math.min(1, Math.max(0, num(o.strength, 0.5)));
      const fit = o.fit === 'fit' || o.fit === 'crop' ? o.fit : 'fill';
      const text = String(o.name ?? '').trim();
      if (o.kind === 'none') return { type: 'setInput', input: null };
      if (o.kind === 'program') return { type: 'setInput', input: { source: { kind: 'program' }, fit }, strength };
      if (o.kind === 'image') return { type: 'setInput', input: { source: { kind: 'image', path: text }, fit }, strength };
      return { type: 'setInput', input: { source: { kind: 'ndi', name: text }, fit }, strength };
    },
  },
  selectOutput: {
    name: 'Output: select / blank',
    description: 'Put the program on an NDI or display output, or blank it to black (it keeps sending)',
    options: [
      { type: 'textinput', id: 'output', label: 'Output name (as in the console) or id', default: 'Wall A' },
      {
        type: 'dropdown',
        id: 'mode',
        label: 'Do',
        default: 'toggle',
        choices: [
          { id: 'toggle', label: 'Toggle' },
          { id: 'select', label: 'Select (program)' },
          { id: 'blank', label: 'Blank (black)' },
        ],
      },
    ],
    command: (o) => ({ type: 'selectOutput', output: String(o.output ?? '').trim(), live: o.mode === 'select' ? true : o.mode === 'blank' ? false : 'toggle' }),
  },
  timelinePlay: { name: 'Timeline: play', options: [], command: () => ({ type: 'timelinePlay' }) },
  timelinePause: { name: 'Timeline: pause', options: [], command: () => ({ type: 'timelinePause' }) },
  timelineStop: { name: 'Timeline: stop', options: [], command: () => ({ type: 'timelineStop' }) },
  pullModel: {
    name: 'Model: download',
    description: "Download a catalog model into the engine's library (a licence that needs accepting is accepted in the console first); the wall is not touched",
    options: [{ type: 'textinput', id: 'name', label: 'Catalog name (cyclorama models list)', default: 'sd-turbo' }],
    command: (o) => ({ type: 'pullModel', name: String(o.name ?? '').trim() }),
  },
  cancelPull: {
    name: 'Model: cancel download',
    options: [{ type: 'textinput', id: 'name', label: 'Catalog name', default: 'sd-turbo' }],
    command: (o) => ({ type: 'cancelPull', name: String(o.name ?? '').trim() }),
  },
} satisfies Record<string, ActionSpec>;

export type ActionId = keyof typeof ACTIONS;

/** Companion's action definitions; `send` delivers a command, `onRejected` logs a refusal. */
export function actionDefinitions(
  send: (command: CycloramaCommand) => Promise<CommandReply>,
  onRejected: (action: string, reply: CommandReply) => void,
): CompanionActionDefinitions {
  const definitions: CompanionActionDefinitions = {};
  for (const [id, spec] of Object.entries(ACTIONS) as [ActionId, ActionSpec][]) {
    definitions[id] = {
      name: spec.name,
      ...(spec.description ? { description: spec.description } : {}),
      options: spec.options,
      callback: async (action) => {
        const reply = await send(spec.command(action.options));
        if (!reply.ok) onRejected(spec.name, reply);
      },
    };
  }
  return definitions;
}
