/**
 * The model cell of the status strip, as a button: it opens a small panel to switch
 * the live model to a folder on the engine's machine (a Cyclorama model folder or
 * an SD-Turbo/SDXL-Turbo ONNX export as downloaded). The engine keeps the wall on
 * the current model until the new one is ready; failures show in the alerts.
 */
import { useState, type FormEvent } from 'react';
import type { ModelStatus } from '../../../app/contract/index.js';
import { useEngine } from '../engine-context.js';
import './model-picker.css';

export function ModelPicker({ model, disabled }: { model: ModelStatus | undefined; disabled: boolean }) {
  const { store } = useEngine();
  const [open, setOpen] = useState(false);
  const [dir, setDir] = useState('');

  const load = (event: FormEvent) => {
    event.preventDefault();
    if (!dir.trim()) return;
    void store.send({ type: 'loadModel', dir: dir.trim() });
    setOpen(false);
  };

  return (
    <>
      <button
        type="button"
        className="model-button"
        data-testid="status-model"
        title={model ? `${model.name} (${model.id}) ${model.width}×${model.height}: click to load another model` : undefined}
        onClick={() => setOpen((o) => !o)}
        aria-expanded={open}
      >
        {model?.switchingTo ? `Loading ${model.switchingTo}…` : (model?.name ?? '–')}
      </button>
      {open ? (
        <form className="model-picker" onSubmit={load} aria-label="Load a model">
          <label className="model-picker-label" htmlFor="model-dir">
            Model folder on the engine's machine
          </label>
          <input
            id="model-dir"
            className="input input--compact"
            placeholder="/models/sd-turbo"
            value={dir}
            autoFocus
            onChange={(e) => setDir(e.target.value)}
            onKeyDown={(e) => e.key === 'Escape' && setOpen(false)}
          />
          <div className="model-picker-actions">
            <button type="button" className="button button--small" onClick={() => setOpen(false)}>
              Cancel
            </button>
            <button type="submit" className="button button--small" disabled={disabled || !dir.trim()}>
              Load
            </button>
          </div>
          <p className="model-picker-hint">The wall stays on the current model until the new one is ready.</p>
        </form>
      ) : null}
    </>
  );
}
