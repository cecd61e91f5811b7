/**
 * What main remembers of the engine to restart it after a crash: the program's
 * prompt and seed, read from the engine's state events (validated, since they
 * cross a process edge), passed back as CLI-style arguments.
 */
import { z } from 'zod';
import { MAX_PROMPT_LENGTH } from '../contract/commands.js';

export interface LastProgram {
  prompt: string;
  seed: number;
}

/** The utility process posts `{ type: 'program', prompt, seed }` on every change. */
const programReportSchema = z.object({
  type: z.literal('program'),
  prompt: z.string().max(MAX_PROMPT_LENGTH),
  seed: z.number().int().min(0),
});

export function rememberProgram(message: unknown): LastProgram | null {
  const report = programReportSchema.safeParse(message);
  return report.success ? { prompt: report.data.prompt, seed: report.data.seed } : null;
}

export function buildEngineArgs(last: LastProgram | null): string[] {
  return last ? ['--prompt', last.prompt, '--seed', String(last.seed)] : [];
}
