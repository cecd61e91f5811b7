/**
 * Stand-ins for Electron's parts, for the unit tests of app/main/: Electron's
 * binary cannot be downloaded on the test machines, so main's modules take these
 * parts as arguments and the tests pass these named fakes. Each does only what
 * the real one does that main relies on, and records what was done to it.
 */
import { EventEmitter } from 'node:events';
import type { DisplayLike, OutputWindowLike, ScreenLike } from '../../app/main/display-windows.js';
import type { UtilityProcessLike } from '../../app/main/engine-process.js';

/** Stand-in for a MessagePortMain: only its identity matters to main. */
export interface FakePort {
  name: string;
}

/** Stand-in for MessageChannelMain: numbered port pairs. */
export function fakeMessageChannel(): () => { port1: FakePort; port2: FakePort } {
  let n = 0;
  return () => {
    n++;
    return { port1: { name: `engine-end-${n}` }, port2: { name: `window-end-${n}` } };
  };
}

/** Stand-in for Electron's UtilityProcess: records messages; `crash`/`exit` emit its exit; `answersStop` exits on a stop message. */
export class FakeUtilityProcess extends EventEmitter implements UtilityProcessLike<FakePort> {
  readonly messages: { message: unknown; transfer: FakePort[] }[] = [];
  killed = false;
  alive = true;

  constructor(
    readonly args: string[],
    private readonly answersStop = true,
  ) {
    super();
  }

  postMessage(message: unknown, transfer: FakePort[] = []): void {
    this.messages.push({ message, transfer });
    if (this.answersStop && (message as { type?: string }).type === 'stop') queueMicrotask(() => this.exit(0));
  }

  kill(): boolean {
    this.killed = true;
    queueMicrotask(() => this.exit(null));
    return true;
  }

  /** The process ends (a crash: non-zero code). */
  exit(code: number | null): void {
    if (!this.alive) return;
    this.alive = false;
    this.emit('exit', code ?? 0);
  }

  /** The engine posts a message to main. */
  send(message: unknown): void {
    this.emit('message', message);
  }
}

/** Stand-in for utilityProcess.fork: each call makes a FakeUtilityProcess and keeps it. */
export function fakeUtilityProcess(options: { answersStop?: boolean } = {}) {
  const forked: FakeUtilityProcess[] = [];
  return {
    forked,
    fork: (args: string[]) => {
      const child = new FakeUtilityProcess(args, options.answersStop ?? true);
      forked.push(child);
      return child;
    },
  };
}

/** Stand-in for Electron's `screen`: a list of displays that tests plug and unplug. */
export class FakeScreen extends EventEmitter implements ScreenLike {
  constructor(
    public displays: DisplayLike[],
    private primaryId: number,
  ) {
    super();
  }
  getAllDisplays(): DisplayLike[] {
    return this.displays;
  }
  getPrimaryDisplay(): DisplayLike {
    return this.displays.find((d) => d.id === this.primaryId) ?? (this.displays[0] as DisplayLike);
  }
  plug(display: DisplayLike): void {
    this.displays = [...this.displays, display];
    this.emit('display-added', {}, display);
  }
  unplug(id: number): void {
    const display = this.displays.find((d) => d.id === id) as DisplayLike;
    this.displays = this.displays.filter((d) => d.id !== id);
    this.emit('display-removed', {}, display);
  }
  move(id: number, bounds: DisplayLike['bounds']): void {
    const display = { ...(this.displays.find((d) => d.id === id) as DisplayLike), bounds };
    this.displays = this.displays.map((d) => (d.id === id ? display : d));
    this.emit('display-metrics-changed', {}, display, ['bounds']);
  }
}

/** Stand-in for a display output's BrowserWindow: where it was opened, and what was done to it. */
export class FakeOutputWindow implements OutputWindowLike {
  destroyed = false;
  constructor(
    readonly outputId: string,
    public bounds: DisplayLike['bounds'],
  ) {}
  destroy(): void {
    this.destroyed = true;
  }
  setBounds(bounds: DisplayLike['bounds']): void {
    this.bounds = bounds;
  }
}

export const display = (id: number, label: string, x: number, y = 0, width = 1920, height = 1080): DisplayLike => ({ id, label, bounds: { x, y, width, height } });
