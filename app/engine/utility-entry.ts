/**
 * Entry point when the engine runs as Electron's utility process. Still plain
 * Node: Electron only adds `process.parentPort`, typed here by hand so this
 * folder never imports electron. Main sends a MessagePort for the console; the
 * engine speaks the same contract on it as on a WebSocket.
 */
import { attachedDisplaysSchema } from '../contract/display.js';
import { ClientHub } from './control/client-hub.js';
import { Engine } from './engine.js';
import { parseEngineArgs } from './engine-args.js';

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

const engine = await Engine.start(parseEngineArgs(process.argv.slice(2)));
const hub = new ClientHub(engine, (line) => console.log(`[engine] ${line}`));

let lastReported = '';
engine.on('event', (event) => {
  if (event.kind !== 'state') return;
  const { prompt, seed } = event.state.program;
  const key = `${seed}\u0000${prompt}`;
  if (key !== lastReported) {
    lastReported = key;
    parentPort.postMessage({ type: 'program', prompt, seed });
  }
});

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

parentPort.on('message', ({ data, ports }) => {
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
