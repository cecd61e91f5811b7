/**
 * Panic: take the wall to black or hold the frame, and restore. The button of
 * the mode in force stays lit so the state is readable across the room.
 */
import type { PanicGo, ProgramStatus } from '../../../app/contract/index.js';
import { useConsoleSnapshot, useEngine } from '../engine-context.js';
import { SHORTCUTS } from '../shortcuts.js';
import { Kbd } from './Kbd.js';
import './live-state.css';

export interface PanicHandlers {
  onBlack: () => void;
  onFreeze: () => void;
  onRestore: () => void;
  /** Show the show's safe plate (a still); absent hides the button. */
  onSafePlate?: () => void;
}

export function PanicControls(props: PanicHandlers & { panic: ProgramStatus['panic'] | undefined; disabled: boolean }) {
  const { panic, disabled } = props;
  return (
    <div className="panic" role="group" aria-label="Panic">
      <button
        type="button"
        className={`button button--panic button--black${panic === 'black' ? ' is-active' : ''}`}
        data-testid="panic-black"
        aria-pressed={panic === 'black'}
        disabled={disabled}
        onClick={props.onBlack}
      >
        Black <Kbd>{SHORTCUTS.black.label}</Kbd>
      </button>
      <button
        type="button"
        className={`button button--panic button--freeze${panic === 'freeze' ? ' is-active' : ''}`}
        data-testid="panic-freeze"
        aria-pressed={panic === 'freeze'}
        disabled={disabled}
        onClick={props.onFreeze}
      >
        Freeze <Kbd>{SHORTCUTS.freeze.label}</Kbd>
      </button>
      {props.onSafePlate ? (
        <button
          type="button"
          className={`button button--panic button--safe${panic === 'safe-plate' ? ' is-active' : ''}`}
          data-testid="panic-safe-plate"
          aria-pressed={panic === 'safe-plate'}
          disabled={disabled}
          onClick={props.onSafePlate}
        >
          Plate <Kbd>{SHORTCUTS.safePlate.label}</Kbd>
        </button>
      ) : null}
      <button
        type="button"
        className={`button button--restore${panic !== undefined && panic !== 'none' ? ' is-armed' : ''}`}
        data-testid="restore-button"
        disabled={disabled}
        onClick={props.onRestore}
      >
        Restore <Kbd>{SHORTCUTS.restore.label}</Kbd>
      </button>
      <PanicGoSetting disabled={disabled} />
    </div>
  );
}

/** The show's setting for the first GO during a panic (settings.panicGo, saved with the show, undoable). */
function PanicGoSetting({ disabled }: { disabled: boolean }) {
  const { store } = useEngine();
  const { state } = useConsoleSnapshot();
  const value = state?.show?.document.settings.panicGo ?? 'restore';
  return (
    <label className="panic-go-setting">
      <span>GO during a panic</span>
      <select
        className="input panic-go-select"
        data-testid="panic-go-setting"
        value={value}
        disabled={disabled || !state?.show}
        onChange={(e) => void store.send({ type: 'updateShow', settings: { panicGo: e.target.value as PanicGo } })}
      >
        <option value="restore">restores only (fires nothing)</option>
        <option value="restore-and-fire">restores and fires the standby cue</option>
      </select>
    </label>
  );
}
