/**
 * Entry point when the engine runs as Electron's utility process. Still plain
 * Node: Electron only adds `process.parentPort`, typed here by hand so this
 * folder never imports electron. Main sends a MessagePort for the console; the
 * engine speaks the same contract on it as on a WebSocket.
 */
import { attachedDisplaysSchema } from '../contract/display.js';
import { ClientHub } from './control/client-hub.js';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Engine } from './engine.js';
import { CONTROL_FLAGS, controlSettingsFromFlags, engineOptionsFromFlags, NODE_FLAGS, parseFlags } from './engine-args.js';
import { logStartupErrors, startControl } from './headless.js';
import { StartupProblem } from './startup-problems.js';

interface PortLike {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (event: { data: unknown }) => void): void;
  on(event: 'close', listener: () => void): void;
  start(): void;
}
interface ParentPort {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (event: { data: unknown; ports: PortLike[] }) => void): void;
}

const parentPort = (process as unknown as { parentPort?: ParentPort }).parentPort;
if (!parentPort) {
  console.error('utility-entry runs inside Electron; for a headless node use: cyclorama serve');
  process.exit(2);
}

const log = (line: string) => console.log(`[engine] ${line}`);
// The flags `cyclorama start` was given, passed on by main (app/main/engine-flags.ts); the same table as serve's.
let flags: ReturnType<typeof parseFlags<typeof NODE_FLAGS>>;
try {
  flags = parseFlags(NODE_FLAGS, process.argv.slice(2));
} catch (error) {
  console.error(`cyclorama engine: ${(error as Error).message}`);
  process.exit(2);
}
const engine = await Engine.start(engineOptionsFromFlags(flags));
const hub = new ClientHub(engine, log);

// Network control (remote consoles, HTTP, OSC) only when a control flag was given: the app's own console needs none.
const wantsControl = Object.keys(CONTROL_FLAGS).some((key) => process.argv.includes(CONTROL_FLAGS[key as keyof typeof CONTROL_FLAGS].flag.split(' ')[0] as string));
const control = wantsControl
  ? await startControl(engine, { ...controlSettingsFromFlags(flags), staticDir: path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../renderer') }, log, hub).catch(
      (error: unknown) => {
        console.error(`cyclorama: ${error instanceof StartupProblem ? error.message : (error as Error).message}`);
        // Main does not restart an engine that cannot start with these flags (app/main/engine-process.ts).
        parentPort.postMessage({ type: 'startup-failed', message: (error as Error).message });
        process.exit(1);
      },
    )
  : (logStartupErrors(engine, log)(), null);
if (control) {
  control.stopLogging();
  console.log(`Cyclorama console: ${control.control.server.url}${control.control.tokens.current ? `?token=${control.control.tokens.current}` : ''}`);
}

// Display outputs for main's full-screen windows (app/main/display-windows.ts), on change only.
let lastDisplays = '';
engine.on('event', (event) => {
  if (event.kind !== 'state') return;
  const outputs = event.state.outputs.filter((o) => o.kind === 'display').map((o) => ({ id: o.id, name: o.name, ...(o.display ? { display: o.display } : {}) }));
  const key = JSON.stringify(outputs);
  if (key !== lastDisplays) {
    lastDisplays = key;
    parentPort.postMessage({ type: 'displays', outputs });
  }
});

/** A deliberate stop (main quits): close cleanly, so the next start begins fresh (no last-session resume). */
async function stopAndExit(): Promise<void> {
  log('stopping (asked by main)');
  await control?.control.close();
  await engine.stop();
  process.exit(0);
}

parentPort.on('message', ({ data, ports }) => {
  if ((data as { type?: unknown })?.type === 'stop') {
    void stopAndExit();
    return;
  }
  // The displays attached to this machine (main's screen API), validated: it crosses a process edge.
  if ((data as { type?: unknown })?.type === 'screens') {
    const displays = attachedDisplaysSchema.safeParse((data as { displays?: unknown }).displays);
    if (displays.success) engine.setAttachedDisplays(displays.data);
    else console.error(`[engine] ignored a malformed display list from main: ${displays.error.issues[0]?.message ?? 'invalid'}`);
    return;
  }
  const port = ports[0];
  if ((data as { type?: unknown })?.type !== 'console-port' || !port) return;
  // A display output window's port: that output's frames only (control/client-hub.ts).
  const outputId = (data as { outputId?: unknown }).outputId;
  const handle = hub.attach({
    ...(typeof outputId === 'string' && outputId.length <= 40 ? { outputId } : {}),
    sendText: (text) => port.postMessage(text),
    // A copy per frame: a MessagePort clones anyway, and the preview ring buffer is reused.
    sendBinary: (frame) => port.postMessage(frame.slice().buffer),
    isBacklogged: () => false,
  });
  port.on('message', (event) => {
    if (typeof event.data === 'string') handle.receiveText(event.data);
  });
  port.on('close', () => handle.detach());
  port.start();
});
