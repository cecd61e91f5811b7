/**
 * Panic: take the wall to black or hold the frame, and restore. The button of
 * the mode in force stays lit so the state is readable across the room.
 */
import type { ProgramStatus } from '../../../app/contract/index.js';
import { SHORTCUTS } from '../shortcuts.js';
import { Kbd } from './Kbd.js';

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
    </div>
  );
}
