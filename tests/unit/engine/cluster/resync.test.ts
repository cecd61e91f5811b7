/** What a rejoining node is sent (cluster/director.ts resyncCommands): only what differs from the director, so nothing fires twice. */
import { describe, expect, it } from 'vitest';
import type { Show } from '../../../../app/contract/show.js';
import type { EngineState } from '../../../../app/contract/state.js';
import { resyncCommands } from '../../../../app/engine/cluster/director.js';
import { emptyShow } from '../../../../app/show/show-file.js';

const show: Show = {
  ...emptyShow(),
  cues: ['1', '2', '3'].map((number) => ({
    id: `c${number}`,
    number,
    name: '',
    look: { prompt: `look ${number}`, seed: 1, params: {} },
    transition: { durationMs: 0, curve: 'linear' as const },
    notes: '',
    continueMode: 'none' as const,
    delayMs: 0,
  })),
};

type Position = { onAir: string | null; standby: string | null; panic?: 'none' | 'black'; driver?: 'cues' | 'timeline'; playing?: boolean; positionMs?: number; prompt?: string };
function state(p: Position): EngineState {
  return {
    program: { prompt: p.prompt ?? 'look', seed: 1, lookId: 1, panic: p.panic ?? 'none' },
    show: {
      document: show,
      onAirCueId: p.onAir,
      currentCueId: p.onAir,
      standbyCueId: p.standby,
      driver: p.driver ?? 'cues',
      timeline: { positionMs: p.positionMs ?? 0, playing: p.playing ?? false, rate: 1, atMs: 1000 },
    },
  } as unknown as EngineState;
}

describe('resync of a rejoining node', () => {
  it('sends nothing to a node that came back where the director is', () => {
    expect(resyncCommands(state({ onAir: 'c2', standby: 'c3' }), state({ onAir: 'c2', standby: 'c3' }), show, 2000)).toEqual([]);
  });

  it('fires the cue on air once and puts the standby where the director has it', () => {
    expect(resyncCommands(state({ onAir: 'c2', standby: 'c3' }), state({ onAir: 'c1', standby: 'c2' }), show, 2000)).toEqual([
      { type: 'fireCue', number: '2' },
      { type: 'standby', cueId: 'c3' },
    ]);
  });

  it('brings a live edit, a panic and a playing timeline across', () => {
    expect(resyncCommands(state({ onAir: null, standby: null, prompt: 'live', panic: 'black' }), state({ onAir: null, standby: null, prompt: 'old' }), show, 2000)).toEqual([
      { type: 'setPrompt', prompt: 'live' },
      { type: 'panic', mode: 'black', fadeMs: 0 },
    ]);
    // Playing from 5000 ms read at 1000: at 2000 it is at 6000.
    expect(resyncCommands(state({ onAir: null, standby: null, driver: 'timeline', playing: true, positionMs: 5000 }), state({ onAir: null, standby: null }), show, 2000)).toEqual([
      { type: 'timelineSeek', positionMs: 6000 },
      { type: 'timelinePlay' },
    ]);
  });
});
