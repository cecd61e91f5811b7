/**
 * Display output windows (Electron main): one borderless, full-screen window per
 * display output, on the display it asked for, loading the same output page a
 * browser gets (renderer/output.html?output=ID) with the same sandboxed preload
 * bridge. Frames go engine -> window over a MessagePort of their own; main only
 * places windows.
 *
 * Displays are named by label (e.g. "DELL U2720Q") or by position "x,y" (the
 * display's top-left in the virtual desktop, stable across replugs where labels are
 * not unique); absent = the first display that is not the primary one (the console's).
 * When a display is unplugged its windows close; when it comes back (or another
 * display matches) they reopen and ask the engine for a new port.
 */
import { BrowserWindow, screen, type Display } from 'electron';
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

/** Picks the display an output asked for: label, "x,y" position, or the first non-primary display. */
export function chooseDisplay(wanted: string | undefined, displays: readonly Display[], primary: Display): Display | null {
  if (wanted) {
    const position = /^\s*(-?\d+)\s*,\s*(-?\d+)\s*$/.exec(wanted);
    if (position) return displays.find((d) => d.bounds.x === Number(position[1]) && d.bounds.y === Number(position[2])) ?? null;
    return displays.find((d) => d.label === wanted) ?? null;
  }
  return displays.find((d) => d.id !== primary.id) ?? null;
}

export interface DisplayWindowsOptions {
  outputPage: string;
  preload: string;
  /** Asks the engine for a port for this output and hands the other end to the window. */
  connect: (outputId: string, window: BrowserWindow) => void;
  log: (line: string) => void;
}

export class DisplayWindows {
  private wanted: DisplayOutputReport[] = [];
  private readonly windows = new Map<string, { window: BrowserWindow; displayId: number }>();

  constructor(private readonly options: DisplayWindowsOptions) {
    screen.on('display-removed', (_event, display) => {
      for (const [id, entry] of this.windows) {
        if (entry.displayId === display.id) {
          this.options.log(`display "${display.label}" removed: closing output ${id}; it reopens when the display is back`);
          entry.window.destroy();
          this.windows.delete(id);
        }
      }
    });
    screen.on('display-added', () => this.reconcile());
    screen.on('display-metrics-changed', (_event, display) => {
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

  private reconcile(): void {
    const displays = screen.getAllDisplays();
    const primary = screen.getPrimaryDisplay();
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
      this.windows.set(output.id, { window: this.open(output, display), displayId: display.id });
    }
  }

  private open(output: DisplayOutputReport, display: Display): BrowserWindow {
    const { x, y, width, height } = display.bounds;
    const window = new BrowserWindow({
      x,
      y,
      width,
      height,
      frame: false,
      fullscreen: true,
      backgroundColor: '#000000',
      title: `Cyclorama output: ${output.name}`,
      show: false,
      webPreferences: { preload: this.options.preload, contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true, spellcheck: false },
    });
    window.webContents.on('will-navigate', (event) => event.preventDefault());
    window.webContents.setWindowOpenHandler(() => ({ action: 'deny' }));
    window.once('ready-to-show', () => window.showInactive());
    window.webContents.on('did-finish-load', () => this.options.connect(output.id, window));
    void window.loadFile(this.options.outputPage, { query: { output: output.id } });
    this.options.log(`output ${output.id} ("${output.name}") on display "${display.label}" at ${x},${y} ${width}x${height}`);
    return window;
  }
}
