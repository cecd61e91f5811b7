/**
 * The engine's output groups as one object (NDI and display outputs), and output
 * selection across them. The output commands' routes are in command-routes.ts.
 */
import { engineError } from '../../contract/errors.js';
import type { OutputStatus } from '../../contract/state.js';
import { fail, ok, type Result } from '../result.js';
import type { DisplayOutputs } from './display-outputs.js';
import type { NdiOutputs } from './ndi-outputs.js';

export interface OutputGroups {
  ndi: NdiOutputs;
  displays: DisplayOutputs;
}

/** Finds the output by id, else by name (operators and OSC desks use names), then selects or blanks it. */
export function selectOutput(outputs: OutputGroups, idOrName: string, live: boolean | 'toggle'): Result<boolean> {
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
