import { afterEach, describe, expect, it, vi } from 'vitest';
import { commandSchema } from '../../../../app/contract/commands.js';
import { CommandScheduler } from '../../../../app/engine/cluster/command-scheduler.js';

afterEach(() => vi.useRealTimers());

function scheduler(wallMs: () => number) {
  const applied: string[] = [];
  const s = new CommandScheduler({ clock: { nowMs: () => 0, wallMs }, apply: (command) => applied.push(command.type) });
  return { s, applied };
}

describe('scheduled actions (cluster contract)', () => {
  it('accepts an operator action and refuses one that cannot be scheduled, naming what can', () => {
    expect(commandSchema.safeParse({ type: 'scheduled', id: 'go-1', at: 1_800_000_000_000, command: { type: 'go' } }).success).toBe(true);
    const refused = commandSchema.safeParse({ type: 'scheduled', id: 'x', at: 1, command: { type: 'saveShow' } });
    expect(refused.success).toBe(false);
    expect(refused.error?.issues[0]?.message).toContain('only go, back');
    expect(commandSchema.safeParse({ type: 'scheduled', id: 'bad id!', at: 1, command: { type: 'go' } }).success).toBe(false);
    expect(commandSchema.safeParse({ type: 'scheduled', id: 'a', at: 1, command: { type: 'scheduled', id: 'b', at: 1, command: { type: 'go' } } }).success).toBe(false);
  });

  it('holds an action until its instant, then applies it once', () => {
    vi.useFakeTimers();
    let wall = 1000;
    const { s, applied } = scheduler(() => wall);
    expect(s.schedule({ type: 'scheduled', id: 'a', at: 1100, command: { type: 'go' } })).toEqual({ duplicate: false, lateMs: 0 });
    vi.advanceTimersByTime(99);
    expect(applied).toEqual([]);
    wall = 1100;
    vi.advanceTimersByTime(1);
    expect(applied).toEqual(['go']);
  });

  it('applies a late action at once and says how late; a resend of an id is not fired again', () => {
    const { s, applied } = scheduler(() => 2000);
    expect(s.schedule({ type: 'scheduled', id: 'a', at: 1950, command: { type: 'go' } })).toEqual({ duplicate: false, lateMs: 50 });
    expect(s.schedule({ type: 'scheduled', id: 'a', at: 1950, command: { type: 'go' } })).toEqual({ duplicate: true, lateMs: 0 });
    expect(applied).toEqual(['go']);
  });
});
