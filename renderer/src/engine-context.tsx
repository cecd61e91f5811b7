/**
 * Hands the one engine connection and its store to every component, so no
 * component builds its own or knows the transport.
 */
import { createContext, useContext, useSyncExternalStore, type ReactNode } from 'react';
import type { EngineConnection } from '../../app/contract/index.js';
import type { ConsoleSnapshot, EngineStore } from './engine-store.js';

export interface EngineHandle {
  connection: EngineConnection;
  store: EngineStore;
  /** Human description of the transport, e.g. "ws://127.0.0.1:5173/ws" or "Electron IPC". */
  transport: string;
}

const EngineContext = createContext<EngineHandle | null>(null);

export function EngineProvider({ handle, children }: { handle: EngineHandle; children: ReactNode }) {
  return <EngineContext.Provider value={handle}>{children}</EngineContext.Provider>;
}

export function useEngine(): EngineHandle {
  const handle = useContext(EngineContext);
  if (!handle) throw new Error('useEngine outside <EngineProvider>');
  return handle;
}

/** The current console snapshot; re-renders on every change (it is small and changes ~1/s). */
export function useConsoleSnapshot(): ConsoleSnapshot {
  const { store } = useEngine();
  return useSyncExternalStore(store.subscribe, store.getSnapshot);
}
