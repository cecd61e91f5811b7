/**
 * Electron main process: wiring only. The engine runs in a utility process
 * (plain Node, engine/utility-entry.ts) started with every flag `cyclorama start`
 * was given (engine-flags.ts); the console talks to it over a MessagePort that
 * main hands to both ends, so frames and commands never pass through this
 * process. A crashed engine is restarted where it was (engine-process.ts,
 * restart-policy.ts); a deliberate quit stops it cleanly and does not restart it.
 */
import { app, MessageChannelMain, screen, session, utilityProcess } from 'electron';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DisplayWindows } from './display-windows.js';
import { EngineProcess } from './engine-process.js';
import { startFlagsFromArgv } from './engine-flags.js';
import { RestartPolicy } from './restart-policy.js';
import type { NodeFlags } from '../engine/engine-args.js';
import { openConsoleWindow, openOutputWindow } from './windows.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const rendererIndex = path.resolve(here, '../../renderer/index.html');
const rendererOutput = path.resolve(here, '../../renderer/output.html');
const preloadPath = path.resolve(here, '../preload/preload.cjs');
const engineEntry = path.resolve(here, '../engine/utility-entry.js');

let startFlags: NodeFlags;
try {
  startFlags = startFlagsFromArgv(process.argv);
} catch (error) {
  console.error(`cyclorama: ${(error as Error).message}`);
  app.exit(1);
  throw error;
}

/** Tells the engine which displays are attached (the console offers them for display outputs). */
function reportScreens(engine: EngineProcess<Electron.MessagePortMain>): void {
  const primary = screen.getPrimaryDisplay();
  const displays = screen
    .getAllDisplays()
    .map((d) => ({ label: d.label || `Display ${d.id}`, x: d.bounds.x, y: d.bounds.y, width: d.bounds.width, height: d.bounds.height, primary: d.id === primary.id }));
  engine.post({ type: 'screens', displays });
}

app.whenReady().then(() => {
  // Deny every permission request (camera, notifications, ...): the console needs none.
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  const consoleWindow = openConsoleWindow(rendererIndex, preloadPath);
  const connectOutput = (outputId: string, window: Electron.BrowserWindow) => {
    const port = engine.outputPort(outputId);
    if (port) window.webContents.postMessage('engine-port', null, [port]);
  };
  const displayWindows = new DisplayWindows({
    screen,
    createWindow: (output, display) => openOutputWindow(rendererOutput, preloadPath, output, display, (window) => connectOutput(output.id, window)),
    connect: connectOutput,
    log: (line) => console.log(`[displays] ${line}`),
  });
  const engine: EngineProcess<Electron.MessagePortMain> = new EngineProcess({
    fork: (args) => utilityProcess.fork(engineEntry, args, { serviceName: 'Cyclorama engine', stdio: 'inherit' }),
    channel: () => new MessageChannelMain(),
    startFlags,
    policy: new RestartPolicy(),
    now: () => Date.now(),
    onConsolePort: (port) => consoleWindow.webContents.postMessage('engine-port', null, [port]),
    onStarted: () => {
      reportScreens(engine);
      displayWindows.reconnectAll();
    },
    onDisplays: (outputs) => displayWindows.update(outputs),
    log: (line) => console.error(line),
  });
  screen.on('display-added', () => reportScreens(engine));
  screen.on('display-removed', () => reportScreens(engine));
  screen.on('display-metrics-changed', () => reportScreens(engine));
  consoleWindow.webContents.once('did-finish-load', () => engine.start());

  // A deliberate quit: stop the engine cleanly (its show autosave, its outputs), never restart it.
  let quitting = false;
  app.on('before-quit', (event) => {
    if (quitting || !engine.running) return;
    event.preventDefault();
    quitting = true;
    displayWindows.closeAll();
    void engine.stop().finally(() => app.quit());
  });
  app.on('window-all-closed', () => app.quit());
});
