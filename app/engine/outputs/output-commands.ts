/**
 * The output commands (contract/ndi.ts, display.ts, outputs.ts) applied to the
 * engine's NDI and display outputs. Kept out of engine.ts: the engine only routes
 * them here and publishes the new state.
 */
import type { Command } from '../../contract/commands.js';
import { engineError } from '../../contract/errors.js';
import type { OutputStatus } from '../../contract/state.js';
import { fail, ok, type Result } from '../result.js';
import type { DisplayOutputs } from './display-outputs.js';
import type { NdiOutputs } from './ndi-outputs.js';

export interface OutputGroups {
  ndi: NdiOutputs;
  displays: DisplayOutputs;
}

/** Applies an output command; null when `command` is not one. */
export function dispatchOutputCommand(command: Command, outputs: OutputGroups): Result<unknown> | null {
  switch (command.type) {
    case 'addNdiOutput': {
      const { type: _type, ...spec } = command;
      return outputs.ndi.add(spec);
    }
    case 'updateNdiOutput': {
      const { type: _type, id, ...patch } = command;
      return outputs.ndi.update(id, patch);
    }
    case 'removeNdiOutput':
      return outputs.ndi.remove(command.id);
    case 'addDisplayOutput': {
      const { type: _type, ...spec } = command;
      return outputs.displays.add(spec);
    }
    case 'removeDisplayOutput':
      return outputs.displays.remove(command.id);
    case 'selectOutput':
      return selectOutput(outputs, command.output, command.live);
    default:
      return null;
  }
}

/** Finds the output by id, else by name (operators and OSC desks use names), then selects or blanks it. */
function selectOutput(outputs: OutputGroups, idOrName: string, live: boolean | 'toggle'): Result<boolean> {
  const all: OutputStatus[] = [...outputs.ndi.statuses(), ...outputs.displays.statuses()];
  let target = all.find((o) => o.id === idOrName);
  if (!target) {
    const named = all.filter((o) => o.name === idOrName);
    if (named.length > 1) {
      return fail(engineError('output-failed', `Two outputs are called "${idOrName}" (${named.map((o) => o.id).join(', ')}); select one by its id.`, { output: idOrName }));
    }
    target = named[0];
  }
  if (!target) {
    const known = all.map((o) => `"${o.name}" (${o.id})`).join(', ') || 'none';
    return fail(engineError('output-failed', `No NDI or display output "${idOrName}". Outputs: ${known}.`, { output: idOrName }));
  }
  const next = live === 'toggle' ? target.live === false : live;
  const group = target.kind === 'ndi' ? outputs.ndi : outputs.displays;
  group.setLive(target.id, next);
  return ok(next);
}
