import { describe, expect, it } from 'vitest';
import { cpuMsPerFrame, defaultPixelBudget, OutputBudget, type OutputCostTable } from '../../../../app/engine/outputs/output-budget.js';

const RATE = { num: 60000, den: 1001 };
/** A table as bench/wire-outputs.ts would print it (pure inputs: not the machine's figures). */
const TABLE: OutputCostTable = {
  source: 'test table',
  frames: [
    { width: 1920, height: 1080, cpuMs: 4 },
    { width: 3840, height: 2160, cpuMs: 16 },
  ],
};
const out = (id: string, width = 1920, height = 1080, rate = RATE) => ({ id, name: `Wall ${id}`, width, height, rate });

describe('output budget from measured CPU per frame', () => {
  it('costs a frame linearly in its pixels through the measured sizes', () => {
    expect(cpuMsPerFrame(1920, 1080, TABLE)).toBeCloseTo(4, 6);
    expect(cpuMsPerFrame(3840, 2160, TABLE)).toBeCloseTo(16, 6);
    expect(cpuMsPerFrame(2560, 1440, TABLE)).toBeCloseTo(4 + ((2560 * 1440 - 1920 * 1080) * 12) / (3840 * 2160 - 1920 * 1080), 6);
    expect(cpuMsPerFrame(1280, 720, TABLE)).toBeLessThan(4);
    expect(cpuMsPerFrame(1280, 720, TABLE)).toBeGreaterThan(0);
  });

  it('admits what half of the cores carry and refuses the next output, naming the rig, the figures and what to do', () => {
    const budget = new OutputBudget({ cores: 2, table: TABLE }); // 1000 ms of CPU a second for outputs
    const rig: ReturnType<typeof out>[] = [];
    for (const id of ['A', 'B', 'C', 'D']) {
      expect(budget.admit(out(id), rig)).toBeNull(); // 4 x 4 ms x 59.94 = 959 ms/s
      rig.push(out(id));
    }
    const refused = budget.admit(out('E'), rig);
    expect(refused?.code).toBe('output-failed');
    expect(refused?.message).toMatch(/^Output "Wall E" \(1920x1080 at 59\.94 fps, \d+ Mpx\/s\) is refused/);
    expect(refused?.message).toContain('"Wall A" 1920x1080 at 59.94 fps, "Wall B"');
    expect(refused?.message).toContain('"Wall E" 1920x1080 at 59.94 fps (new)');
    expect(refused?.message).toMatch(/would need 1\.20 cores of CPU .* \(1\.00 cores, \d+ Mpx\/s\)/);
    expect(refused?.message).toMatch(/Use a smaller size or rate, remove an output, or raise the budget with --output-budget/);
    expect(refused?.message).toContain('1920x1080 4 ms, 3840x2160 16 ms (test table)');
    expect(refused?.details).toMatchObject({ output: 'E', cpuMsPerFrame: 4, budgetCpuMsPerSecond: 1000, usedCpuMsPerSecond: 959 });
  });

  it('refuses one UHD output at 59.94 on 2 cores when its frame costs 20 ms, and an output being changed counts once', () => {
    const heavy = new OutputBudget({ cores: 2, table: { source: 'test table', frames: [TABLE.frames[0]!, { width: 3840, height: 2160, cpuMs: 20 }] } });
    expect(heavy.admit(out('U', 3840, 2160), [])?.message).toMatch(/the rig "Wall U" 3840x2160 at 59\.94 fps \(new\) would need 1\.20 cores/);
    // At 16 ms a frame it fits alone (0.96 cores); changing the one 1080p output to UHD counts it once, beside another it does not fit.
    const budget = new OutputBudget({ cores: 2, table: TABLE });
    expect(budget.admit(out('U', 3840, 2160), [])).toBeNull();
    expect(budget.admit(out('A', 3840, 2160), [out('A')])).toBeNull();
    expect(budget.admit(out('A', 3840, 2160), [out('A'), out('B')])).not.toBeNull();
  });

  it('an operator budget in Mpx/s of 1080p frames: 250 Mpx/s carries two 1080p59.94 outputs, not three', () => {
    const budget = new OutputBudget({ pixelsPerSecond: 250e6, table: TABLE });
    expect(budget.admit(out('B'), [out('A')])).toBeNull();
    expect(budget.admit(out('C'), [out('A'), out('B')])?.message).toMatch(/--output-budget/);
    expect(defaultPixelBudget(2, TABLE)).toBe(Math.round((1000 * 1920 * 1080) / 4));
    expect(budget.figures()).toMatch(/^output budget: 0\.48 cores of CPU \(250 Mpx\/s of 1080p\) .*1920x1080 4 ms/);
  });

  it('refuses a rate above 120 fps whatever the size', () => {
    expect(new OutputBudget({ table: TABLE }).admit(out('F', 64, 36, { num: 240, den: 1 }), [])?.message).toMatch(/240\.00 fps is refused: outputs run at 120 fps at most/);
  });
});
