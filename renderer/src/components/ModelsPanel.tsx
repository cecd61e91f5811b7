/**
 * The model library, over the monitors while open (the "Models" button in the
 * health strip): the installed models with a Load button each (the existing
 * loadModel: the wall stays on the running model until the new one is ready), the
 * catalog with size, memory and licence and a Get button, and a progress bar per
 * download (bytes, rate, time left) with Cancel. A licence that needs accepting is
 * shown first, with its link; a gated model says what the hub needs (an account
 * that accepted it, and a token in HF_TOKEN). Errors read as the engine wrote them.
 */
import { useEffect, useState, type FormEvent } from 'react';
import { formatBytes, type CatalogItemStatus, type DownloadStatus, type InstalledModel } from '../../../app/contract/index.js';
import { useConsoleSnapshot, useEngine } from '../engine-context.js';
import { Kbd } from './Kbd.js';
import './models.css';

function formatEta(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return 'working out time left';
  const s = Math.max(0, Math.round(seconds));
  return s >= 3600 ? `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min left` : s >= 60 ? `${Math.floor(s / 60)} min ${s % 60} s left` : `${s} s left`;
}

/** The models button for the health strip. */
export function ModelsButton({ onOpen, disabled }: { onOpen: () => void; disabled: boolean }) {
  const { state } = useConsoleSnapshot();
  const running = state?.models?.downloads.filter((d) => d.state === 'running').length ?? 0;
  return (
    <div className="models-button">
      <button type="button" className="button button--small" onClick={onOpen} disabled={disabled} data-testid="models-open">
        Models{running > 0 ? ` · ${running} downloading` : ''}
      </button>
    </div>
  );
}

function InstalledRow({ model, disabled }: { model: InstalledModel; disabled: boolean }) {
  const { store } = useEngine();
  return (
    <li className={`models-row${model.live ? ' is-live' : ''}`} data-testid="models-installed" data-model={model.name}>
      <div className="models-row-head">
        <strong>{model.displayName}</strong>
        <span className="models-tag">{model.origin}</span>
        {model.live ? <span className="models-tag models-tag--live">ON THE WALL</span> : null}
        <span className="models-spacer" />
        {model.loadable ? (
          <button
            type="button"
            className="button button--small"
            disabled={disabled || model.live}
            data-testid="models-load"
            onClick={() => void store.send({ type: 'loadModel', dir: model.dir, ...(model.provider ? { provider: model.provider } : {}) })}
          >
            Load
          </button>
        ) : null}
        {model.origin !== 'builtin' ? (
          <button
            type="button"
            className="link-button"
            disabled={disabled || model.live}
            data-testid="models-remove"
            onClick={() => void store.send({ type: 'removeModel', name: model.name })}
          >
            {model.origin === 'imported' ? 'Forget' : 'Delete'}
          </button>
        ) : null}
      </div>
      <div className="models-figures">
        <span>{model.kind}</span>
        <span data-testid="models-size">{formatBytes(model.sizeBytes)} on disk</span>
        <span>runs on {model.provider ?? 'no provider here'}</span>
        {model.licence ? (
          <span title={model.licence.name}>
            {model.licence.url ? (
              <a href={model.licence.url} target="_blank" rel="noopener">
                {model.licence.id}
              </a>
            ) : (
              model.licence.name
            )}
          </span>
        ) : null}
      </div>
      {model.problem ? <p className="models-note">{model.problem}</p> : null}
    </li>
  );
}

function DownloadBar({ download, disabled }: { download: DownloadStatus; disabled: boolean }) {
  const { store } = useEngine();
  const fraction = download.totalBytes > 0 ? Math.min(1, download.doneBytes / download.totalBytes) : 0;
  const current = download.files.find((f) => f.state === 'downloading' || f.state === 'verifying');
  return (
    <div className="models-download" data-testid="models-download" data-state={download.state}>
      {download.state === 'running' ? (
        <>
          <div
            className="models-progress"
            role="progressbar"
            aria-label={`Downloading ${download.model}`}
            aria-valuemin={0}
            aria-valuemax={100}
            aria-valuenow={Math.round(fraction * 100)}
          >
            <span style={{ width: `${(fraction * 100).toFixed(1)}%` }} />
          </div>
          <div className="models-figures">
            <span data-testid="models-download-bytes">
              {formatBytes(download.doneBytes)} of {formatBytes(download.totalBytes)}
            </span>
            <span>{formatBytes(download.bytesPerSecond)}/s</span>
            <span>{formatEta(download.etaSeconds)}</span>
            {current ? (
              <span title={current.path}>
                {current.state === 'verifying' ? 'checking' : 'fetching'} {current.path}
              </span>
            ) : null}
            <span className="models-spacer" />
            <button
              type="button"
              className="link-button"
              disabled={disabled}
              data-testid="models-cancel"
              onClick={() => void store.send({ type: 'cancelPull', name: download.model })}
            >
              Cancel
            </button>
          </div>
        </>
      ) : download.state === 'done' ? (
        <p className="models-done">Downloaded and every file checked.</p>
      ) : (
        <p className={download.state === 'failed' ? 'models-error' : 'models-note'} data-testid="models-download-error" role={download.state === 'failed' ? 'alert' : undefined}>
          {download.error?.message ?? (download.state === 'cancelled' ? 'Cancelled.' : 'The download failed.')}
        </p>
      )}
    </div>
  );
}

function CatalogRow({ item, download, disabled }: { item: CatalogItemStatus; download: DownloadStatus | undefined; disabled: boolean }) {
  const { store } = useEngine();
  const [showLicence, setShowLicence] = useState(false);
  const running = download?.state === 'running';
  const needsAccept = item.licence.needsAcceptance && !item.licenceAccepted;
  const get = () => {
    if (needsAccept) setShowLicence(true);
    else void store.send({ type: 'pullModel', name: item.id });
  };
  const accept = async (event: FormEvent) => {
    event.preventDefault();
    const accepted = await store.send({ type: 'acceptLicence', name: item.id });
    if (accepted.ok) {
      setShowLicence(false);
      void store.send({ type: 'pullModel', name: item.id });
    }
  };
  return (
    <li className="models-row" data-testid="models-catalog" data-model={item.id}>
      <div className="models-row-head">
        <strong>{item.name}</strong>
        <span className="models-tag">{item.kind === 'tiny-vae' ? 'tiny decoder' : (item.variant?.toUpperCase() ?? 'Cyclorama model')}</span>
        <span className="models-spacer" />
        {item.installed ? (
          <span className="models-tag models-tag--ok">installed</span>
        ) : (
          <button type="button" className="button button--small" disabled={disabled || running} data-testid="models-get" onClick={get}>
            Get
          </button>
        )}
      </div>
      <div className="models-figures">
        <span data-testid="models-catalog-size">
          {item.sizeIsLowerBound ? 'more than ' : item.sizeApproximate ? 'about ' : ''}
          {formatBytes(item.sizeBytes)}
          {item.sizeIsLowerBound ? ' (not every file size is known before the download)' : ''}
        </span>
        <span>needs about {formatBytes(item.memoryBytes)} of GPU memory</span>
        <span>
          <a href={item.licence.url} target="_blank" rel="noopener">
            {item.licence.id}
          </a>
          {item.licence.gated ? ' · gated' : ''}
        </span>
        <span title={item.revision ?? ''}>{item.repo}</span>
      </div>
      {showLicence ? (
        <form className="models-licence" onSubmit={accept} aria-label={`Licence of ${item.name}`} data-testid="models-licence">
          <p>
            {item.name} is licensed under the <strong>{item.licence.name}</strong>. {item.licence.summary}{' '}
            <a href={item.licence.url} target="_blank" rel="noopener">
              Read the licence
            </a>
            .
          </p>
          {item.licence.gated ? (
            <p className="models-note">
              This model is gated: the hub serves it only to an account that accepted the licence on the model's page, with a token. Accept it on the hub while logged in, then
              start Cyclorama with HF_TOKEN set to a read token of that account.
            </p>
          ) : null}
          <div className="models-row-head">
            <button type="button" className="link-button" onClick={() => setShowLicence(false)}>
              Not now
            </button>
            <button type="submit" className="button button--small" disabled={disabled} data-testid="models-accept">
              Accept and download
            </button>
          </div>
        </form>
      ) : null}
      {download ? <DownloadBar download={download} disabled={disabled} /> : null}
    </li>
  );
}

function ImportForm({ disabled }: { disabled: boolean }) {
  const { store } = useEngine();
  const [dir, setDir] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (dir.trim()) void store.send({ type: 'importModel', dir: dir.trim() }).then((r) => r.ok && setDir(''));
  };
  return (
    <form className="models-import" onSubmit={submit} aria-label="Import a model folder">
      <input
        className="input input--compact"
        aria-label="Model folder to import"
        placeholder="Folder on the engine's machine, e.g. /models/my-sd-turbo"
        value={dir}
        onChange={(e) => setDir(e.target.value)}
      />
      <button type="submit" className="button button--small" disabled={disabled || !dir.trim()} data-testid="models-import">
        Import
      </button>
    </form>
  );
}

export function ModelsPanel({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { store } = useEngine();
  const { connection, state } = useConsoleSnapshot();
  const disabled = connection !== 'open';
  useEffect(() => {
    if (!open) return;
    void store.send({ type: 'listModels' });
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') onClose();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [open, onClose, store]);
  if (!open) return null;
  const models = state?.models;
  return (
    <section className="models" aria-label="Model library" data-testid="models">
      <div className="panel-head">
        <h2>Models</h2>
        <button type="button" className="button button--small" onClick={onClose} data-testid="models-close">
          Close <Kbd>Esc</Kbd>
        </button>
      </div>
      {!models ? (
        <p className="models-note">This engine does not report a model library.</p>
      ) : (
        <>
          <h3>Installed</h3>
          <ul className="models-list">
            {models.installed.map((m) => (
              <InstalledRow key={m.name} model={m} disabled={disabled} />
            ))}
          </ul>
          <ImportForm disabled={disabled} />
          <h3>Get more</h3>
          <ul className="models-list">
            {models.catalog.map((item) => (
              <CatalogRow key={item.id} item={item} download={models.downloads.find((d) => d.model === item.id)} disabled={disabled} />
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
