/**
 * The console's view of the engine: connection status, the latest state
 * snapshot and the alerts an operator must see. Frames do not pass through
 * here (they go straight from the connection to the canvas, never via React).
 *
 * A plain external store (subscribe/getSnapshot) so React reads it with
 * useSyncExternalStore and tests or later panels can read it without React.
 */
import type { CommandInput, CommandResult, EngineConnection, EngineError, EngineState } from '../../app/contract/index.js';
import { createThumbnailStore, type ThumbnailStore } from './thumbnail-store.js';

export type ConnectionStatus = 'connecting' | 'open' | 'closed';

export type AlertSeverity = 'error' | 'warning';

export interface Alert {
  /** Stable identity: the same problem seen again updates one alert, not a new row. */
  key: string;
  severity: AlertSeverity;
  code: string;
  message: string;
  /** Where it came from, so an operator knows whom to ask. */
  source: 'engine' | 'console';
  /** Console wall-clock ms (Date.now()) when last seen; for display and dismissal. */
  lastSeenMs: number;
}

export interface ConsoleSnapshot {
  connection: ConnectionStatus;
  /** Has the console ever reached the engine? Distinguishes "starting" from "lost". */
  everConnected: boolean;
  state: EngineState | null;
  /** Newest first; dismissed alerts are left out until they happen again. */
  alerts: readonly Alert[];
  /** Commands sent and not yet answered; drives the busy hint on controls. */
  pendingCommands: number;
  /** The socket is up but the engine's greeting was never understood (different builds). */
  handshakeFailed: boolean;
  /**
   * The figures in `state` are not live: the engine was lost (connection closed after it was
   * reached) or sent no state for STATE_SILENT_MS while connected. `sinceMs` is when the last
   * state arrived (console wall-clock ms): every figure shown is from then. null while live.
   */
  stale: { sinceMs: number; reason: 'lost' | 'silent' } | null;
}

/** Codes that mean "working, but not as asked" rather than "broken". */
const WARNING_CODES = new Set(['provider-fallback']);
/** If no state snapshot arrived for this long while connected, ask for one (ms). */
const STATE_STALE_MS = 1500;
/** Connected, but no state for this long: the figures are not live any more (ms); a getState is asked at STATE_STALE_MS. */
export const STATE_SILENT_MS = 4000;
/** Most alerts kept; older ones fall off (the engine keeps its own history). */
const MAX_ALERTS = 50;
/** Socket up but no valid hello after this long: the engine speaks something else (ms). */
const HELLO_TIMEOUT_MS = 4000;

export interface EngineStoreOptions {
  /** Raw transport status (socket up/down), to tell "no engine" from "engine not understood". */
  onTransportStatus?: (listener: (status: ConnectionStatus) => void) => void;
  /** Wall clock, injectable for tests. */
  now?: () => number;
}

export interface EngineStore {
  subscribe(listener: () => void): () => void;
  getSnapshot(): ConsoleSnapshot;
  /** Sends a command; a rejection or timeout becomes a visible alert, never silence. */
  send(command: CommandInput): Promise<CommandResult>;
  dismissAlert(key: string): void;
  dismissAll(): void;
  /** Cue thumbnails by look key (thumbnail-store.ts), kept from the moment the connection exists. */
  readonly thumbnails: ThumbnailStore;
  dispose(): void;
}

export function createEngineStore(connection: EngineConnection, options: EngineStoreOptions = {}): EngineStore {
  const now = options.now ?? Date.now;
  let snapshot: ConsoleSnapshot = {
    connection: 'connecting',
    everConnected: false,
    state: null,
    alerts: [],
    pendingCommands: 0,
    handshakeFailed: false,
    stale: null,
  };
  const listeners = new Set<() => void>();
  /** All alerts by key, including dismissed ones (so a dismissal sticks). */
  const alerts = new Map<string, Alert>();
  const dismissedAt = new Map<string, number>();
  /** `key@atMs` of engine recentErrors already counted, so a resent snapshot is not "new". */
  const seenRecent = new Set<string>();
  let lastStateAtMs = 0;

  const thumbnails = createThumbnailStore(connection);

  const update = (patch: Partial<ConsoleSnapshot>) => {
    snapshot = { ...snapshot, ...patch };
    for (const l of listeners) l();
  };

  const visibleAlerts = (): Alert[] =>
    [...alerts.values()]
      .filter((a) => a.lastSeenMs > (dismissedAt.get(a.key) ?? -Infinity))
      .sort((a, b) => b.lastSeenMs - a.lastSeenMs)
      .slice(0, MAX_ALERTS);

  const raise = (error: EngineError, source: Alert['source'], atMs: number = now()): void => {
    const key = `${source}:${error.code}:${error.message}`;
    const previous = alerts.get(key);
    alerts.set(key, {
      key,
      severity: WARNING_CODES.has(error.code) ? 'warning' : 'error',
      code: error.code,
      message: error.message,
      source,
      lastSeenMs: Math.max(atMs, previous?.lastSeenMs ?? -Infinity),
    });
    if (alerts.size > MAX_ALERTS * 2) {
      const oldest = [...alerts.values()].sort((a, b) => a.lastSeenMs - b.lastSeenMs)[0];
      if (oldest) alerts.delete(oldest.key);
    }
  };

  const absorbState = (state: EngineState) => {
    lastStateAtMs = now();
    // Keep the memory of seen entries bounded over a long show: the engine's list
    // is bounded, so what is not in it now can never be resent.
    if (seenRecent.size > 500) seenRecent.clear();
    for (const e of state.recentErrors) {
      const key = `engine:${e.code}:${e.message}`;
      const seenKey = `${key}@${e.atMs}`;
      if (seenRecent.has(seenKey)) continue;
      seenRecent.add(seenKey);
      // atMs is wall-clock ms if it looks like one (engine and console share a
      // machine or NTP); otherwise it is engine-relative and "now" is the best we know.
      raise(e, 'engine', e.atMs > 1e12 ? Math.min(e.atMs, now()) : now());
    }
    // A provider fallback is a standing condition, shown as long as it holds,
    // unless the engine already reported it as an error of its own.
    const fallbackKey = 'engine:provider-fallback:state';
    const engineReportedFallback = state.recentErrors.some((e) => e.code === 'provider-fallback');
    if (state.model.fallbacks.length > 0 && state.model.provider !== null && !engineReportedFallback) {
      const passed = state.model.fallbacks.map((f) => `${f.provider} (${f.reason})`).join('; ');
      if (!alerts.has(fallbackKey)) {
        alerts.set(fallbackKey, {
          key: fallbackKey,
          severity: 'warning',
          code: 'provider-fallback',
          message: `Model runs on ${state.model.provider.toUpperCase()}, not the preferred provider. Passed over: ${passed}.`,
          source: 'engine',
          lastSeenMs: now(),
        });
      }
    } else {
      alerts.delete(fallbackKey);
    }
    update({ state, alerts: visibleAlerts(), stale: null });
  };

  // The contract client drops messages that fail its schema, so an engine of
  // another build looks like an endless "Connecting…". Say what it is instead.
  let helloTimer: ReturnType<typeof setTimeout> | undefined;
  const clearHelloTimer = () => {
    if (helloTimer !== undefined) clearTimeout(helloTimer);
    helloTimer = undefined;
  };
  options.onTransportStatus?.((status) => {
    clearHelloTimer();
    if (snapshot.handshakeFailed) update({ handshakeFailed: false });
    if (status !== 'open') return;
    helloTimer = setTimeout(() => {
      helloTimer = undefined;
      if (snapshot.connection === 'open') return;
      raise(
        {
          code: 'version-mismatch',
          message: `Reached the engine, but it sent no greeting this console understands within ${HELLO_TIMEOUT_MS / 1000} s. The console and engine are probably from different builds: rebuild and restart both (npm run build).`,
        },
        'console',
      );
      update({ alerts: visibleAlerts(), handshakeFailed: true });
    }, HELLO_TIMEOUT_MS);
  });

  const unsubscribers = [
    connection.onConnectionChange((status) => {
      if (status === 'open') clearHelloTimer();
      // Lost after it was reached: what the console shows is from the last state, and says so.
      const lost = status !== 'open' && snapshot.everConnected && snapshot.state !== null;
      update({
        connection: status,
        everConnected: snapshot.everConnected || status === 'open',
        handshakeFailed: status === 'open' ? false : snapshot.handshakeFailed,
        stale: lost ? (snapshot.stale?.reason === 'lost' ? snapshot.stale : { sinceMs: lastStateAtMs, reason: 'lost' }) : snapshot.stale,
      });
    }),
    connection.onEvent((event) => {
      switch (event.kind) {
        case 'hello':
        case 'state':
          absorbState(event.state);
          break;
        case 'error':
          raise(event.error, 'engine');
          update({ alerts: visibleAlerts() });
          break;
        case 'lookOnAir':
          // Fold the measured TTFF into the stats now, before the next snapshot.
          if (snapshot.state) {
            update({
              state: { ...snapshot.state, stats: { ...snapshot.state.stats, lastTtffMs: event.ttffMs } },
            });
          }
          break;
      }
    }),
  ];

  // Stats (fps, dropped) change continuously; if the engine only sends snapshots
  // on change, ask for one so the strip never shows figures that are seconds old.
  let lastAskedAtMs = 0;
  const poll = setInterval(() => {
    const t = now();
    if (snapshot.connection !== 'open') return;
    if (snapshot.state !== null && snapshot.stale === null && t - lastStateAtMs > STATE_SILENT_MS) update({ stale: { sinceMs: lastStateAtMs, reason: 'silent' } });
    if (t - Math.max(lastStateAtMs, lastAskedAtMs) > STATE_STALE_MS) {
      lastAskedAtMs = t; // one request per interval, not a burst
      void connection.send({ type: 'getState' });
    }
  }, STATE_STALE_MS / 3);

  return {
    subscribe(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    getSnapshot: () => snapshot,
    async send(command) {
      if (snapshot.connection !== 'open') {
        const error = {
          code: 'internal' as const,
          message: `Not connected to the engine: "${command.type}" was not sent. Wait for the connection light to turn green, then try again.`,
        };
        raise(error, 'console');
        update({ alerts: visibleAlerts() });
        return { ok: false, error };
      }
      update({ pendingCommands: snapshot.pendingCommands + 1 });
      const result = await connection.send(command);
      // A failure the engine also reported as an error event (a model that did not load) is one alert, not two.
      if (!result.ok && !alerts.has(`engine:${result.error.code}:${result.error.message}`))
        raise({ ...result.error, message: `${command.type}: ${result.error.message}` }, 'console');
      update({ pendingCommands: snapshot.pendingCommands - 1, alerts: visibleAlerts() });
      return result;
    },
    dismissAlert(key) {
      dismissedAt.set(key, now());
      update({ alerts: visibleAlerts() });
    },
    dismissAll() {
      for (const key of alerts.keys()) dismissedAt.set(key, now());
      update({ alerts: visibleAlerts() });
    },
    thumbnails,
    dispose() {
      thumbnails.dispose();
      clearInterval(poll);
      clearHelloTimer();
      for (const u of unsubscribers) u();
    },
  };
}
