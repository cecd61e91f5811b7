/**
 * The console's words for live state (renderer/src/live-labels.ts): GO says what it will
 * do, cues are named by number and name, the panic sentence names the state and the
 * time, a safe plate with none set says so.
 */
import { describe, expect, it } from 'vitest';
import { engineStateSchema, type EngineState } from '../../../app/contract/state.js';
import { CONTRACT_VERSION } from '../../../app/contract/messages.js';
import { emptyShow } from '../../../app/show/show-file.js';
import { showSchema } from '../../../app/contract/show.js';
import { cueLabel, goLabel, panicSentence, secondsUntil, staleSentence } from '../../../renderer/src/live-labels.js';
import { formatClock } from '../../../renderer/src/format.js';

function state(panic: EngineState['program']['panic'], settings: Record<string, unknown> = {}, standbyCueId: string | null = 'c4'): EngineState {
  const document = showSchema.parse({
    ...emptyShow('Test'),
    settings: { ...emptyShow('Test').settings, ...settings },
    cues: [
      { id: 'c4', number: '4', name: 'Forest dawn', look: { prompt: 'misty forest', seed: 1 }, transition: { durationMs: 0 } },
      { id: 'c5', number: '5', look: { prompt: 'a very long prompt about a harbour at dawn with fog rolling in', seed: 1 }, transition: { durationMs: 0 } },
    ],
  });
  return engineStateSchema.parse({
    contractVersion: CONTRACT_VERSION,
    engineVersion: '0',
    model: { id: 'm', name: 'm', status: 'running', provider: 'cpu', fallbacks: [], width: 1, height: 1 },
    program: { prompt: 'p', seed: 1, lookId: 1, panic, panicSinceMs: panic === 'none' ? null : 1_750_000_000_000 },
    stats: { modelFps: 1, lastTtffMs: null, generatedFrames: 0, droppedFrames: 0, staleFrames: 0 },
    outputs: [],
    recentErrors: [],
    show: {
      document,
      path: null,
      dirty: false,
      canUndo: false,
      canRedo: false,
      standbyCueId,
      currentCueId: null,
      driver: 'cues',
      timeline: { positionMs: 0, playing: false, rate: 1, atMs: 0 },
      recovery: null,
      recent: [],
      lastAutosaveAtMs: null,
      wallLogEntries: 0,
    },
  });
}

describe('live labels', () => {
  it('names cues by number and name, or the start of the prompt', () => {
    const cues = state('none').show!.document.cues;
    expect(cueLabel(cues[0]!)).toBe('Q4 Forest dawn');
    // Unnamed: the prompt's first 40 characters at most, marked as cut.
    const unnamed = cueLabel(cues[1]!);
    expect(unnamed).toMatch(/^Q5 a very long prompt about a harbour.*…$/);
    expect(unnamed.length).toBeLessThanOrEqual('Q5 '.length + 40);
  });

  it('GO says what it will do: the standby cue, or during a panic restore (+ the cue with restore-and-fire)', () => {
    expect(goLabel(state('none'))).toEqual({ main: 'GO', detail: 'Q4 Forest dawn' });
    expect(goLabel(state('none', {}, null)).detail).toBe('no cue on standby');
    expect(goLabel(state('black')).main).toBe('GO: restore');
    expect(goLabel(state('freeze', { panicGo: 'restore-and-fire' })).main).toBe('GO: restore + Q4');
    expect(goLabel(state('freeze', { panicGo: 'restore-and-fire' }, null)).main, 'nothing to fire: restore only').toBe('GO: restore');
  });

  it('the panic sentence names the state and since when; a safe plate with none set says so', () => {
    const at = formatClock(1_750_000_000_000);
    expect(panicSentence(state('none'))).toBeNull();
    expect(panicSentence(state('black'))).toBe(`Wall BLACK since ${at}`);
    expect(panicSentence(state('freeze'))).toBe(`Wall FROZEN since ${at}`);
    expect(panicSentence(state('safe-plate'))).toBe(`Safe plate: none set, showing black since ${at}`);
    expect(panicSentence(state('safe-plate', { safePlate: '/plates/safe.png' }))).toBe(`Wall on SAFE PLATE since ${at}`);
  });

  it('counts down in tenths, never below zero; stale figures say since when', () => {
    expect(secondsUntil(10_000, 6_800)).toBe('3.2 s');
    expect(secondsUntil(10_000, 12_000)).toBe('0.0 s');
    expect(staleSentence({ sinceMs: 1_750_000_000_000, reason: 'lost' })).toBe(`Engine lost ${formatClock(1_750_000_000_000)}: figures below are from then`);
  });
});
