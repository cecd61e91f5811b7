/** The few engine settings main passes to the utility process as arguments (validated). */
import { parseArgs } from 'node:util';
import { MAX_PROMPT_LENGTH } from '../contract/commands.js';
import type { EngineOptions } from './engine.js';

export function parseEngineArgs(argv: string[]): EngineOptions {
  const { values } = parseArgs({
    args: argv,
    options: { prompt: { type: 'string' }, seed: { type: 'string' }, model: { type: 'string' } },
    strict: false,
  });
  const options: EngineOptions = {};
  if (typeof values.prompt === 'string' && values.prompt.length <= MAX_PROMPT_LENGTH) options.initialPrompt = values.prompt;
  const seed = Number(values.seed);
  if (Number.isInteger(seed) && seed >= 0 && seed < 2 ** 31) options.initialSeed = seed;
  if (typeof values.model === 'string') options.modelDir = values.model;
  return options;
}
