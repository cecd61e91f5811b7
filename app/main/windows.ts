/**
 * The windows main opens, with Electron's real BrowserWindow: the console and
 * the display outputs' full-screen windows. Both sandboxed, with the preload
 * bridge only, no navigation away and no new windows.
 */
import { BrowserWindow } from 'electron';
import type { DisplayLike, DisplayOutputReport } from './display-windows.js';

const webPreferences = (preload: string) => ({ preload, contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true, spellcheck: false });

function lockDown(window: BrowserWindow): void {
  // Local pages: no navigation away, no new windows.
  window.webContents.on('will-navigate', (event) => event.preventDefault());
  window.webContents.setWindowOpenHandler(() => ({ action: 'deny' }));
}

export function openConsoleWindow(page: string, preload: string): BrowserWindow {
  const window = new BrowserWindow({ width: 1440, height: 900, backgroundColor: '#0b0d10', title: 'Cyclorama', webPreferences: webPreferences(preload) });
  lockDown(window);
  void window.loadFile(page);
  return window;
}

/** A borderless full-screen window on `display` showing one output; `onLoaded` asks the engine for its port. */
export function openOutputWindow(page: string, preload: string, output: DisplayOutputReport, display: DisplayLike, onLoaded: (window: BrowserWindow) => void): BrowserWindow {
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
    webPreferences: webPreferences(preload),
  });
  lockDown(window);
  window.once('ready-to-show', () => window.showInactive());
  window.webContents.on('did-finish-load', () => onLoaded(window));
  void window.loadFile(page, { query: { output: output.id } });
  return window;
}
