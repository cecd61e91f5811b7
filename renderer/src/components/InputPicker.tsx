/**
 * Picks a look's live input: none (text only), an NDI source (from those the engine
 * found, or typed by its "MACHINE (Source)" name), a still image path on the engine's
 * machine, or the program itself (feedback); and its fit (fill, fit, crop). Used by
 * the Inputs panel (the live look) and the cue editor (a cue's look).
 */
import { INPUT_FITS, type InputFit, type LookInput } from '../../../app/contract/index.js';

export type InputKind = 'none' | LookInput['source']['kind'];

/** What the form holds while the operator edits (text is the NDI name or the image path). */
export interface InputDraft {
  kind: InputKind;
  text: string;
  fit: InputFit;
}

export function draftOf(input: LookInput | undefined | null): InputDraft {
  if (!input) return { kind: 'none', text: '', fit: 'fill' };
  const source = input.source;
  return { kind: source.kind, text: source.kind === 'ndi' ? source.name : source.kind === 'image' ? source.path : '', fit: input.fit };
}

/** The input a draft stands for: null = none; undefined = not complete yet (a name or path is missing). */
export function inputOf(draft: InputDraft): LookInput | null | undefined {
  const text = draft.text.trim();
  switch (draft.kind) {
    case 'none':
      return null;
    case 'program':
      return { source: { kind: 'program' }, fit: draft.fit };
    case 'ndi':
      return text ? { source: { kind: 'ndi', name: text }, fit: draft.fit } : undefined;
    case 'image':
      return text ? { source: { kind: 'image', path: text }, fit: draft.fit } : undefined;
  }
}

export function InputPicker({
  draft,
  onChange,
  ndiNames,
  disabled,
  testId,
}: {
  draft: InputDraft;
  onChange: (draft: InputDraft) => void;
  ndiNames: readonly string[];
  disabled: boolean;
  testId: string;
}) {
  const listId = `${testId}-ndi-sources`;
  return (
    <div className="input-picker" data-testid={testId}>
      <select
        className="input input--compact"
        aria-label="input source"
        data-testid={`${testId}-kind`}
        value={draft.kind}
        disabled={disabled}
        onChange={(e) => onChange({ ...draft, kind: e.target.value as InputKind })}
      >
        <option value="none">no input (text only)</option>
        <option value="ndi">NDI source</option>
        <option value="image">still image</option>
        <option value="program">program (feedback)</option>
      </select>
      {draft.kind === 'ndi' || draft.kind === 'image' ? (
        <input
          className="input input--compact input-picker-text"
          aria-label={draft.kind === 'ndi' ? 'NDI source name' : 'image path'}
          data-testid={`${testId}-text`}
          placeholder={draft.kind === 'ndi' ? 'MACHINE (Source)' : '/path/to/plate.png'}
          value={draft.text}
          disabled={disabled}
          maxLength={draft.kind === 'ndi' ? 256 : 4096}
          list={draft.kind === 'ndi' ? listId : undefined}
          onChange={(e) => onChange({ ...draft, text: e.target.value })}
        />
      ) : null}
      {draft.kind === 'ndi' ? (
        <datalist id={listId}>
          {ndiNames.map((name) => (
            <option key={name} value={name} />
          ))}
        </datalist>
      ) : null}
      {draft.kind !== 'none' ? (
        <select
          className="input input--compact"
          aria-label="fit"
          data-testid={`${testId}-fit`}
          value={draft.fit}
          disabled={disabled}
          onChange={(e) => onChange({ ...draft, fit: e.target.value as InputFit })}
        >
          {INPUT_FITS.map((fit) => (
            <option key={fit} value={fit}>
              {fit}
            </option>
          ))}
        </select>
      ) : null}
    </div>
  );
}
