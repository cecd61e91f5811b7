/**
 * Preload for the console window (sandboxed: CommonJS, only 'electron' may be
 * required). It exposes exactly one object, a MessageBridge (see
 * contract/connection.ts), over the MessagePort that main sends. The renderer
 * gets named functions, never ipcRenderer or the port itself.
 */
import { contextBridge, ipcRenderer } from 'electron';
import type { MessageBridge } from '../contract/connection.js';

/** The transport status the bridge reports (the contract's MessageBridge). */
type Status = Parameters<Parameters<MessageBridge['onStatus']>[0]>[0];

let port: MessagePort | null = null;
const textListeners: ((text: string) => void)[] = [];
const binaryListeners: ((data: ArrayBuffer) => void)[] = [];
const statusListeners: ((status: Status) => void)[] = [];

function setStatus(status: Status): void {
  for (const listener of statusListeners) listener(status);
}

ipcRenderer.on('engine-port', (event) => {
  // Only main can post to this window's ipcRenderer; still, accept exactly one port and nothing else.
  if (event.ports.length !== 1) return;
  port?.close();
  port = event.ports[0] ?? null;
  if (!port) return;
  port.onmessage = (message: MessageEvent) => {
    if (typeof message.data === 'string') for (const l of textListeners) l(message.data);
    else if (message.data instanceof ArrayBuffer) for (const l of binaryListeners) l(message.data);
  };
  port.start();
  setStatus('open');
});

// The renderer reads this as the contract's MessageBridge (renderer/src/transport.ts); `satisfies` keeps the two the same shape.
contextBridge.exposeInMainWorld('cycloramaBridge', {
  postText(text: unknown): void {
    if (typeof text !== 'string' || text.length > 64 * 1024) return; // the engine validates the content
    // No queue while the engine is (re)starting: a GO or Black replayed late is worse
    // than one refused now; the console's call times out and says so.
    port?.postMessage(text);
  },
  onText(listener: (text: string) => void): void {
    if (typeof listener === 'function') textListeners.push(listener);
  },
  onBinary(listener: (data: ArrayBuffer) => void): void {
    if (typeof listener === 'function') binaryListeners.push(listener);
  },
  onStatus(listener: (status: Status) => void): void {
    if (typeof listener === 'function') statusListeners.push(listener);
  },
  close(): void {
    port?.close();
    port = null;
    setStatus('closed');
  },
} satisfies MessageBridge);
