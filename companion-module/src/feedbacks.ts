/**
 * Feedbacks: button colours that follow Cyclorama's state (which cue is on
 * standby, which is live, whether a panic holds the wall). Pure predicates over
 * the latest state snapshot, so they are tested without Companion.
 */
import { combineRgb, type CompanionFeedbackDefinitions } from '@companion-module/base';
import type { CycloramaState } from './protocol.js';

function cueNumber(state: CycloramaState | null, which: 'standbyCueId' | 'currentCueId'): string | null {
  const show = state?.show;
  const id = show?.[which];
  return show?.document.cues.find((cue) => cue.id === id)?.number ?? null;
}

export const FEEDBACKS = {
  /** Cue number N is on standby (the next GO fires it). */
  cueStandby: (state: CycloramaState | null, number: string) => cueNumber(state, 'standbyCueId') === number.trim(),
  /** Cue number N is the live cue. */
  cueLive: (state: CycloramaState | null, number: string) => cueNumber(state, 'currentCueId') === number.trim(),
  /** A panic holds the wall (any mode, or one named mode). */
  panicActive: (state: CycloramaState | null, mode: string) => !!state && state.program.panic !== 'none' && (mode === 'any' || state.program.panic === mode),
  /** The named (or id'd) output is blanked: sending black instead of the program. */
  outputBlanked: (state: CycloramaState | null, output: string) => !!state && state.outputs.some((o) => (o.id === output.trim() || o.name === output.trim()) && o.live === false),
  /** The engine's model is running (not loading or failed). */
  modelRunning: (state: CycloramaState | null) => state?.model.status === 'running',
  /** A download of the named catalog model is under way. */
  modelDownloading: (state: CycloramaState | null, name: string) => !!state?.models?.downloads.some((d) => d.model === name.trim() && d.state === 'running'),
  /** The named model's last download failed (the console says why). */
  modelDownloadFailed: (state: CycloramaState | null, name: string) => !!state?.models?.downloads.some((d) => d.model === name.trim() && d.state === 'failed'),
  /** The named model's running download as "42%" ('' when none runs), shown on the button. */
  modelDownloadProgress: (state: CycloramaState | null, name: string) => downloadPercent(state, name),
};

/** "42%" of the named model's running download, for a button's text; '' when none runs. */
export function downloadPercent(state: CycloramaState | null, name: string): string {
  const d = state?.models?.downloads.find((x) => x.model === name.trim() && x.state === 'running');
  return d && d.totalBytes > 0 ? `${Math.floor((100 * d.doneBytes) / d.totalBytes)}%` : '';
}

const LIVE = { bgcolor: combineRgb(180, 30, 30), color: combineRgb(255, 255, 255) };
const STANDBY = { bgcolor: combineRgb(20, 110, 60), color: combineRgb(255, 255, 255) };
const PANIC = { bgcolor: combineRgb(200, 140, 0), color: combineRgb(0, 0, 0) };

export function feedbackDefinitions(getState: () => CycloramaState | null): CompanionFeedbackDefinitions {
  const cueOption = [{ type: 'textinput' as const, id: 'number', label: 'Cue number', default: '1' }];
  return {
    cueStandby: {
      type: 'boolean',
      name: 'Cue is on standby',
      defaultStyle: STANDBY,
      options: cueOption,
      callback: (feedback) => FEEDBACKS.cueStandby(getState(), String(feedback.options.number ?? '')),
    },
    cueLive: {
      type: 'boolean',
      name: 'Cue is live',
      defaultStyle: LIVE,
      options: cueOption,
      callback: (feedback) => FEEDBACKS.cueLive(getState(), String(feedback.options.number ?? '')),
    },
    panicActive: {
      type: 'boolean',
      name: 'Panic is active',
      defaultStyle: PANIC,
      options: [
        {
          type: 'dropdown',
          id: 'mode',
          label: 'Mode',
          default: 'any',
          choices: [
            { id: 'any', label: 'Any' },
            { id: 'black', label: 'Black' },
            { id: 'freeze', label: 'Freeze' },
            { id: 'safe-plate', label: 'Safe plate' },
          ],
        },
      ],
      callback: (feedback) => FEEDBACKS.panicActive(getState(), String(feedback.options.mode ?? 'any')),
    },
    outputBlanked: {
      type: 'boolean',
      name: 'Output is blanked',
      defaultStyle: PANIC,
      options: [{ type: 'textinput', id: 'output', label: 'Output name or id', default: 'Wall A' }],
      callback: (feedback) => FEEDBACKS.outputBlanked(getState(), String(feedback.options.output ?? '')),
    },
    modelRunning: {
      type: 'boolean',
      name: 'Model is running',
      defaultStyle: { bgcolor: combineRgb(0, 80, 40) },
      options: [],
      callback: () => FEEDBACKS.modelRunning(getState()),
    },
    modelDownloading: {
      type: 'boolean',
      name: 'Model is downloading',
      defaultStyle: PANIC,
      options: [{ type: 'textinput', id: 'name', label: 'Catalog name', default: 'sd-turbo' }],
      callback: (feedback) => FEEDBACKS.modelDownloading(getState(), String(feedback.options.name ?? '')),
    },
    modelDownloadFailed: {
      type: 'boolean',
      name: 'Model download failed',
      defaultStyle: LIVE,
      options: [{ type: 'textinput', id: 'name', label: 'Catalog name', default: 'sd-turbo' }],
      callback: (feedback) => FEEDBACKS.modelDownloadFailed(getState(), String(feedback.options.name ?? '')),
    },
    modelDownloadProgress: {
      type: 'advanced',
      name: 'Model download progress (percent as text)',
      options: [{ type: 'textinput', id: 'name', label: 'Catalog name', default: 'sd-turbo' }],
      callback: (feedback) => {
        const percent = FEEDBACKS.modelDownloadProgress(getState(), String(feedback.options.name ?? ''));
        return percent ? { text: `GET\n${percent}` } : {};
      },
    },
  };
}
