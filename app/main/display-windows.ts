/**
 * Display output windows (Electron main): one borderless, full-screen window per
 * display output, on the display it asked for. Frames go engine -> window over a
 * MessagePort of their own; this module only decides which window goes where.
 * Electron's parts come in as arguments (the screen, a window factory), so the
 * placement rules are tested with stand-ins (tests/unit/main/display-windows.test.ts);
 * main.ts passes the real `screen` and windows from windows.ts.
 *
 * Displays are named by label (e.g. "DELL U2720Q") or by position "x,y" (the
 * display's top-left in the virtual desktop, stable across replugs where labels are
 * not unique); absent = the first display that is not the primary one (the console's).
 * When a display is unplugged its windows close; when it comes back (or another
 * display matches) they reopen and ask the engine for a new port.
 */
import { z } from 'zod';

/** The utility process posts the display outputs whenever the list changes. */
const displaysReportSchema = z.object({
  type: z.literal('displays'),
  outputs: z.array(z.object({ id: z.string().min(1).max(40), name: z.string().max(100), display: z.string().max(200).optional() })).max(64),
});
export type DisplayOutputReport = z.infer<typeof displaysReportSchema>['outputs'][number];

export function readDisplaysReport(message: unknown): DisplayOutputReport[] | null {
  const parsed = displaysReportSchema.safeParse(message);
  return parsed.success ? parsed.data.outputs : null;
}

/** What this module reads of Electron's Display. */
export interface DisplayLike {
  id: number;
  label: string;
  bounds: { x: number; y: number; width: number; height: number };
}

/** What this module uses of Electron's `screen` (the real one satisfies it). */
export interface ScreenLike {
  getAllDisplays(): DisplayLike[];
  getPrimaryDisplay(): DisplayLike;
  on(event: 'display-added', listener: (event: unknown, display: DisplayLike) => void): unknown;
  on(event: 'display-removed', listener: (event: unknown, display: DisplayLike) => void): unknown;
  on(event: 'display-metrics-changed', listener: (event: unknown, display: DisplayLike) => void): unknown;
}

/** What this module does to an output window. */
export interface OutputWindowLike {
  destroy(): void;
  setBounds(bounds: DisplayLike['bounds']): void;
}

/** Picks the display an output asked for: label, "x,y" position, or the first non-primary display. */
export function chooseDisplay<D extends DisplayLike>(wanted: string | undefined, displays: readonly D[], primary: DisplayLike): D | null {
  if (wanted) {
    const position = /^\s*(-?\d+)\s*,\s*(-?\d+)\s*$/.exec(wanted);
    if (position) return displays.find((d) => d.bounds.x === Number(position[1]) && d.bounds.y === Number(position[2])) ?? null;
    return displays.find((d) => d.label === wanted) ?? null;
  }
  return displays.find((d) => d.id !== primary.id) ?? null;
}

export interface DisplayWindowsOptions<W extends OutputWindowLike> {
  screen: ScreenLike;
  /** Opens the full-screen window of an output on a display; the window asks for its port (connect) once loaded. */
  createWindow: (output: DisplayOutputReport, display: DisplayLike) => W;
  /** Asks the engine for a port for this output and hands the other end to the window. */
  connect: (outputId: string, window: W) => void;
  log: (line: string) => void;
}

export class DisplayWindows<W extends OutputWindowLike> {
  private wanted: DisplayOutputReport[] = [];
  private readonly windows = new Map<string, { window: W; displayId: number }>();

  constructor(private readonly options: DisplayWindowsOptions<W>) {
    options.screen.on('display-removed', (_event, display) => {
      for (const [id, entry] of this.windows) {
        if (entry.displayId === display.id) {
          this.options.log(`display "${display.label}" removed: closing output ${id}; it reopens when the display is back`);
          entry.window.destroy();
          this.windows.delete(id);
        }
      }
    });
    options.screen.on('display-added', () => this.reconcile());
    options.screen.on('display-metrics-changed', (_event, display) => {
      for (const entry of this.windows.values()) if (entry.displayId === display.id) entry.window.setBounds(display.bounds);
    });
  }

  /** The engine's current display outputs: opens, keeps or closes windows to match. */
  update(outputs: DisplayOutputReport[]): void {
    this.wanted = outputs;
    this.reconcile();
  }

  /** After an engine restart every window needs a new port. */
  reconnectAll(): void {
    for (const [id, entry] of this.windows) this.options.connect(id, entry.window);
  }

  closeAll(): void {
    for (const entry of this.windows.values()) entry.window.destroy();
    this.windows.clear();
  }

  /** Output id -> the display id its window is on (for the log and tests). */
  placements(): Map<string, number> {
    return new Map([...this.windows].map(([id, entry]) => [id, entry.displayId]));
  }

  private reconcile(): void {
    const displays = this.options.screen.getAllDisplays();
    const primary = this.options.screen.getPrimaryDisplay();
    for (const [id, entry] of this.windows) {
      if (!this.wanted.some((o) => o.id === id)) {
        entry.window.destroy();
        this.windows.delete(id);
      }
    }
    for (const output of this.wanted) {
      if (this.windows.has(output.id)) continue;
      const display = chooseDisplay(output.display, displays, primary);
      if (!display) {
        this.options.log(`output ${output.id} ("${output.name}"): display ${output.display ? `"${output.display}"` : '(a second one)'} not connected; waiting for it`);
        continue;
      }
      const { x, y, width, height } = display.bounds;
      this.windows.set(output.id, { window: this.options.createWindow(output, display), displayId: display.id });
      this.options.log(`output ${output.id} ("${output.name}") on display "${display.label}" at ${x},${y} ${width}x${height}`);
    }
  }
}
