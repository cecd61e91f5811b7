/**
 * `cyclorama models list | pull NAME | import DIR | remove NAME`: the model library
 * from a shell, on this machine's config folder and hub cache (the same ones the
 * engine uses, so a model pulled here is in the console's list next time). A pull
 * draws a progress bar (cli-progress) with bytes, rate and time left; every
 * failure is one line saying what to do, and a non-zero exit code.
 */
import cliProgress from 'cli-progress';
import { formatBytes, type DownloadStatus, type InstalledModel, type ModelsStatus } from '../../contract/models.js';
import { intendedProvider } from '../preflight/intended-provider.js';
import { defaultConfigDir } from '../show-files/show-store.js';
import { readCatalog } from './catalog.js';
import { findInCache, hubSettingsFromEnv, listRepoFiles, pullModel } from './hub-pull.js';
import { ModelLibrary, type HubPort } from './library.js';

export interface LibraryCliOptions {
  configDir?: string;
  hub?: HubPort;
  out?: NodeJS.WritableStream;
  err?: NodeJS.WritableStream;
}

export function openLibrary(options: LibraryCliOptions = {}): ModelLibrary {
  return new ModelLibrary({
    configDir: options.configDir ?? defaultConfigDir(),
    catalog: readCatalog(),
    hub: options.hub ?? { settings: hubSettingsFromEnv(), pullModel, findInCache, listRepoFiles },
    intendedProvider: (preferred) => intendedProvider(preferred, undefined),
    onError: (error) => (options.err ?? process.stderr).write(`cyclorama models: ${error.message}\n`),
  });
}

function formatEta(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return '--:--';
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

function installedLine(m: InstalledModel): string {
  const provider = m.loadable ? (m.provider ?? 'no provider here') : 'not loadable alone';
  return `  ${m.name.padEnd(16)} ${m.kind.padEnd(16)} ${formatBytes(m.sizeBytes).padStart(9)}  ${m.origin.padEnd(10)} ${provider.padEnd(10)} ${m.dir}${m.problem ? `\n${' '.repeat(20)}(${m.problem})` : ''}`;
}

export function formatList(status: ModelsStatus): string {
  const lines = ['Installed:', ...status.installed.map(installedLine), '', 'Catalog (cyclorama models pull NAME):'];
  for (const c of status.catalog) {
    const size = `${c.sizeIsLowerBound ? '>=' : c.sizeApproximate ? '~' : ''}${formatBytes(c.sizeBytes)}`;
    const licence = `${c.licence.id}${c.licence.gated ? ' (gated: HF_TOKEN)' : ''}${c.licence.needsAcceptance && !c.licenceAccepted ? ' (accept first)' : ''}`;
    lines.push(`  ${c.id.padEnd(16)} ${size.padStart(10)}  needs ~${formatBytes(c.memoryBytes)}  ${licence.padEnd(36)} ${c.installed ? 'installed' : ''}`);
  }
  return `${lines.join('\n')}\n`;
}

export async function listCommand(options: LibraryCliOptions = {}): Promise<number> {
  const library = openLibrary(options);
  await library.refresh();
  (options.out ?? process.stdout).write(formatList(library.status()));
  return 0;
}

/** Pulls a catalog model with a progress bar; 0 when installed, 1 with the reason on stderr. */
export async function pullCommand(name: string, flags: { acceptLicence?: boolean }, options: LibraryCliOptions = {}): Promise<number> {
  const err = options.err ?? process.stderr;
  const out = options.out ?? process.stdout;
  const library = openLibrary(options);
  if (flags.acceptLicence) {
    const accepted = library.acceptLicence(name);
    if (!accepted.ok) {
      err.write(`cyclorama models pull: ${accepted.error.message}\n`);
      return 1;
    }
  }
  const entry = library.entries.find((e) => e.id === name);
  if (entry) out.write(`Pulling ${entry.name} from ${entry.repo} at ${entry.revision ?? '(no pinned revision)'} (licence: ${entry.licence.name})\n`);
  const tty = (out as NodeJS.WriteStream).isTTY === true;
  const bar = new cliProgress.SingleBar(
    {
      stream: out as NodeJS.WriteStream,
      format: '{bar} {percentage}% | {done}/{total} | {rate}/s | ETA {eta} | {file}',
      hideCursor: tty,
      // Piped (CI, logs): a line every 2 s instead of redrawing.
      noTTYOutput: !tty,
      notTTYSchedule: 2000,
      etaBuffer: 30,
    },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  const payload = (s: DownloadStatus) => ({
    done: formatBytes(s.doneBytes),
    total: formatBytes(s.totalBytes),
    rate: formatBytes(Math.round(s.bytesPerSecond)),
    eta: formatEta(s.etaSeconds),
    file: s.files.find((f) => f.state === 'downloading' || f.state === 'verifying')?.path ?? '',
  });
  const stopOnSignal = () => library.cancelPull(name);
  process.once('SIGINT', stopOnSignal);
  const result = await library.pull(name, {
    onProgress: (s) => {
      // The bar starts with the first real progress (the file list known); a refusal before that prints no bar.
      if (!started && (s.state !== 'running' || s.totalBytes === 0)) return;
      if (!started) {
        bar.start(Math.max(1, s.totalBytes), s.doneBytes, payload(s));
        started = true;
      }
      bar.setTotal(Math.max(1, s.totalBytes));
      bar.update(s.doneBytes, payload(s));
    },
  });
  process.off('SIGINT', stopOnSignal);
  if (started) bar.stop();
  if (!result.ok) {
    err.write(`cyclorama models pull: ${result.error.message}\n`);
    return 1;
  }
  out.write(`${name} is installed: ${result.value}\nLoad it from the console's Models panel, or start with --model ${result.value}\n`);
  return 0;
}

export async function importCommand(dir: string, flags: { name?: string }, options: LibraryCliOptions = {}): Promise<number> {
  const library = openLibrary(options);
  await library.refresh();
  const imported = library.importFolder(dir, flags.name);
  if (!imported.ok) {
    (options.err ?? process.stderr).write(`cyclorama models import: ${imported.error.message}\n`);
    return 1;
  }
  (options.out ?? process.stdout).write(`Imported ${imported.value.displayName} as "${imported.value.name}" (${imported.value.dir}); the folder stays where it is.\n`);
  return 0;
}

export async function removeCommand(name: string, options: LibraryCliOptions = {}): Promise<number> {
  const library = openLibrary(options);
  const removed = await library.remove(name);
  if (!removed.ok) {
    (options.err ?? process.stderr).write(`cyclorama models remove: ${removed.error.message}\n`);
    return 1;
  }
  (options.out ?? process.stdout).write(
    removed.value.removed === 'deleted' ? `Deleted ${name} from the hub cache (${removed.value.dir}).\n` : `Forgot ${name}; its folder ${removed.value.dir} was left as it is.\n`,
  );
  return 0;
}
