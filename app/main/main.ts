/**
 * Electron main process: windows and the engine's lifecycle, nothing more.
 * The engine runs in a utility process (plain Node, see engine/utility-entry.ts);
 * the console talks to it over a MessagePort that main hands to both ends, so
 * frames and commands never pass through this process. If the engine crashes,
 * main restarts it with the prompt and seed it last reported.
 */
import { app, BrowserWindow, MessageChannelMain, screen, session, utilityProcess, type UtilityProcess } from 'electron';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildEngineArgs, rememberProgram, type LastProgram } from './engine-restart.js';
import { DisplayWindows, readDisplaysReport } from './display-windows.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const rendererIndex = path.resolve(here, '../../renderer/index.html');
const rendererOutput = path.resolve(here, '../../renderer/output.html');
const preloadPath = path.resolve(here, '../preload/preload.cjs');
const engineEntry = path.resolve(here, '../engine/utility-entry.js');

/** Restarts allowed inside RESTART_WINDOW_MS before giving up (a crash loop helps nobody). */
const MAX_RESTARTS = 5;
const RESTART_WINDOW_MS = 60_000;

let consoleWindow: BrowserWindow | null = null;
let engine: UtilityProcess | null = null;
let lastProgram: LastProgram | null = null;
const restarts: number[] = [];
/** Display output windows (display-windows.ts); created once the app is ready. */
let displayWindows: DisplayWindows | null = null;

function createConsoleWindow(): BrowserWindow {
  const window = new BrowserWindow({
    width: 1440,
    height: 900,
    backgroundColor: '#0b0d10',
    title: 'Cyclorama',
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
    },
  });
  // The console is a local page: no navigation away, no new windows.
  window.webContents.on('will-navigate', (event) => event.preventDefault());
  window.webContents.setWindowOpenHandler(() => ({ action: 'deny' }));
  void window.loadFile(rendererIndex);
  return window;
}

/** Tells the engine which displays are attached (the console offers them for display outputs). */
function reportScreens(): void {
  const primary = screen.getPrimaryDisplay();
  const displays = screen.getAllDisplays().map((d) => ({ label: d.label || `Display ${d.id}`, x: d.bounds.x, y: d.bounds.y, width: d.bounds.width, height: d.bounds.height, primary: d.id === primary.id }));
  engine?.postMessage({ type: 'screens', displays });
}

/** Starts the engine and hands it one end of a fresh port pair; the console window gets the other. */
function startEngine(): void {
  engine = utilityProcess.fork(engineEntry, buildEngineArgs(lastProgram), { serviceName: 'Cyclorama engine', stdio: 'inherit' });
  // The engine reports its program to main (not through the console's port) so a restart can resume it.
  engine.on('message', (message: unknown) => {
    const remembered = rememberProgram(message);
    if (remembered) lastProgram = remembered;
    const displays = readDisplaysReport(message);
    if (displays) displayWindows?.update(displays);
  });
  const { port1, port2 } = new MessageChannelMain();
  engine.postMessage({ type: 'console-port' }, [port1]);
  consoleWindow?.webContents.postMessage('engine-port', null, [port2]);
  reportScreens();
  displayWindows?.reconnectAll();
  engine.on('exit', (code) => {
    engine = null;
    const now = Date.now();
    restarts.push(now);
    while (restarts.length > 0 && (restarts[0] as number) < now - RESTART_WINDOW_MS) restarts.shift();
    if (app.isReady() && restarts.length <= MAX_RESTARTS) {
      console.error(`Cyclorama engine exited (code ${code}); restarting with the last program.`);
      startEngine();
    } else {
      console.error(`Cyclorama engine exited (code ${code}) ${restarts.length} times in a minute; not restarting.`);
    }
  });
}

app.whenReady().then(() => {
  // Deny every permission request (camera, notifications, ...): the console needs none.
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  consoleWindow = createConsoleWindow();
  displayWindows = new DisplayWindows({
    outputPage: rendererOutput,
    preload: preloadPath,
    connect: (outputId, window) => {
      if (!engine) return;
      const pair = new MessageChannelMain();
      engine.postMessage({ type: 'console-port', outputId }, [pair.port1]);
      window.webContents.postMessage('engine-port', null, [pair.port2]);
    },
    log: (line) => console.log(`[displays] ${line}`),
  });
  screen.on('display-added', reportScreens);
  screen.on('display-removed', reportScreens);
  screen.on('display-metrics-changed', reportScreens);
  consoleWindow.webContents.on('did-finish-load', () => startEngine());
});

app.on('window-all-closed', () => {
  displayWindows?.closeAll();
  engine?.kill();
  app.quit();
});
