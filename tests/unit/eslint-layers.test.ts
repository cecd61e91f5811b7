/**
 * eslint.config.js enforces the layering in ARCHITECTURE.md: each rule is shown to bite on
 * a probe file (linted from memory at a path inside the layer, nothing written), and the
 * allowed arrows are shown to pass.
 */
import path from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const eslint = new ESLint({ cwd: root });

/** The boundaries messages for `code` as if it were the file at `file` (repo-relative). */
async function layerErrors(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, file) });
  return result!.messages.filter((m) => m.ruleId === 'boundaries/dependencies').map((m) => m.message);
}

describe('eslint layering rules', () => {
  it('app/contract and app/show: no node:* modules, no engine/main/preload/renderer/models', async () => {
    expect(await layerErrors('app/contract/probe.ts', "import { readFileSync } from 'node:fs';\nexport const x = readFileSync;\n")).toHaveLength(1);
    expect(await layerErrors('app/show/probe.ts', "export const load = () => import('node:path');\n")).toHaveLength(1);
    expect(await layerErrors('app/show/probe.ts', "import { ok } from '../engine/result.js';\nexport const x = ok;\n")).toHaveLength(1);
    expect(await layerErrors('app/contract/probe.ts', "export * from '../../renderer/src/format.js';\n")).toHaveLength(1);
    expect(await layerErrors('app/show/probe.ts', "import { commandSchema } from '../contract/commands.js';\nexport const x = commandSchema;\n")).toEqual([]);
  });

  it('app/engine: no electron, no renderer', async () => {
    expect(await layerErrors('app/engine/probe.ts', "import { app } from 'electron';\nexport const x = app;\n")).toHaveLength(1);
    expect(await layerErrors('app/engine/probe.ts', "import * as f from '../../renderer/src/format.js';\nexport const x = f;\n")).toHaveLength(1);
    expect(
      await layerErrors(
        'app/engine/probe.ts',
        "import { readFileSync } from 'node:fs';\nimport { commandSchema } from '../contract/commands.js';\nexport const x = [readFileSync, commandSchema];\n",
      ),
    ).toEqual([]);
  });

  it('renderer: no Node built-ins, no engine; type-only imports from the contract are fine', async () => {
    expect(await layerErrors('renderer/src/probe.ts', "import path from 'node:path';\nexport const x = path;\n")).toHaveLength(1);
    expect(await layerErrors('renderer/src/probe.ts', "import type { Result } from '../../app/engine/result.js';\nexport type X = Result<number>;\n")).toHaveLength(1);
    expect(await layerErrors('renderer/src/probe.ts', "import type { Command } from '../../app/contract/commands.js';\nexport type X = Command;\n")).toEqual([]);
  });

  it('no arrows from app/ into models/ (models may use app code)', async () => {
    expect(await layerErrors('app/engine/probe.ts', "import { buildBuiltinModel } from '../../models/builtin/build.js';\nexport const x = buildBuiltinModel;\n")).toHaveLength(1);
    expect(await layerErrors('app/probe.ts', "import { buildBuiltinModel } from '../models/builtin/build.js';\nexport const x = buildBuiltinModel;\n")).toHaveLength(1);
    expect(await layerErrors('models/probe.ts', "import { ok } from '../app/engine/result.js';\nexport const x = ok;\n")).toEqual([]);
  });
});
