/**
 * The client preview link (contract/viewer.ts): one viewer token at a time, the
 * viewers connected with it, and their picture. The token is separate from the
 * control token (token-store.ts): console-server.ts lets it open /viewer/ws and the
 * viewer page only, and refuses it everywhere else (the control WebSocket, /api/*)
 * with a message saying it is a viewer link. A viewer that sends anything gets a
 * refusal and changes nothing. Revoking (or creating a new link) closes every viewer
 * of the old token at once.
 *
 * The viewers see the program and, when the operator allows it, the name of the cue
 * on air: nothing else of the show or the engine's state is ever sent to them.
 */
import type { WebSocket } from 'ws';
import type { CommandResult } from '../../contract/connection.js';
import { VIEWER_FPS, VIEWER_HEIGHT, VIEWER_REVOKED_CLOSE_CODE, VIEWER_WIDTH, type ViewerMessage, type ViewersStatus } from '../../contract/viewer.js';
import type { EngineEvent } from '../../contract/messages.js';
import type { EngineState } from '../../contract/state.js';
import type { Engine } from '../engine.js';
import { ViewerFrames } from '../stills/viewer-frames.js';
import { tokensEqual } from './access.js';
import { newToken } from './token-store.js';

/** A viewer more than this far behind skips frames (a phone on a weak signal), bytes: about 4 frames. */
const MAX_VIEWER_BUFFERED_BYTES = 256 * 1024;
/** Viewers connected at once, at most: each costs its frames' bytes; a link shared too widely is refused politely. */
export const MAX_VIEWERS = 20;

interface Watcher {
  id: number;
  address: string;
  sinceMs: number;
}

export interface ViewerLinksOptions {
  engine: Engine;
  /** The URL phones open the console server at ("http://10.0.0.5:8080/"), null while it listens on loopback only. */
  publicBase: () => string | null;
  wallMs?: () => number;
  nowMs?: () => number;
  log?: (line: string) => void;
}

export class ViewerLinks {
  private token: string | null = null;
  private showCueName = false;
  private createdAtMs = 0;
  private readonly watchers = new Map<WebSocket, Watcher>();
  private nextId = 1;
  private frames: ViewerFrames | null = null;
  private lastCueName: string | null = null;
  private readonly wallMs: () => number;
  private readonly nowMs: () => number;
  private readonly log: (line: string) => void;
  private readonly onEngineEvent = (event: EngineEvent) => {
    if (event.kind === 'state') this.followCue(event.state);
  };

  constructor(private readonly options: ViewerLinksOptions) {
    this.wallMs = options.wallMs ?? Date.now;
    this.nowMs = options.nowMs ?? (() => performance.now());
    this.log = options.log ?? (() => {});
    options.engine.on('event', this.onEngineEvent);
  }

  /** True when `given` is the live viewer token (constant time). */
  matches(given: string | undefined | null): boolean {
    return this.token !== null && tokensEqual(given, this.token);
  }

  create(showCueName: boolean): CommandResult {
    this.revoke('a new viewer link was created');
    this.token = newToken();
    this.showCueName = showCueName;
    this.createdAtMs = this.wallMs();
    this.lastCueName = this.cueName(this.options.engine.state());
    this.log(`viewer link created${showCueName ? ' (shows the cue name)' : ''}`);
    return { ok: true };
  }

  /** Ends the link: its token stops working and every viewer is disconnected now. */
  revoke(reason = 'the operator closed the viewer link'): CommandResult {
    const had = this.token !== null;
    this.token = null;
    for (const ws of [...this.watchers.keys()]) {
      ws.close(VIEWER_REVOKED_CLOSE_CODE, reason.slice(0, 120));
      // A viewer that does not answer the close handshake is cut off.
      setTimeout(() => ws.terminate(), 1000).unref();
      this.forget(ws);
    }
    if (had) this.log(`viewer link revoked: ${reason}`);
    return { ok: true };
  }

  /** A viewer connected with the live token (console-server.ts checked it). */
  attach(ws: WebSocket, address: string): void {
    if (this.watchers.size >= MAX_VIEWERS) {
      ws.close(1013, `this link has ${MAX_VIEWERS} viewers already`);
      return;
    }
    const watcher = { id: this.nextId++, address, sinceMs: this.wallMs() };
    this.watchers.set(ws, watcher);
    this.log(`viewer ${watcher.id} watching from ${address}`);
    this.sendText(ws, { kind: 'viewer', cueName: this.showCueName ? this.lastCueName : null });
    ws.on('message', (data) => {
      // Whatever it is (a command, a JSON envelope, a binary blob): a viewer link cannot send commands.
      const text = typeof data === 'string' ? data : Buffer.isBuffer(data) ? data.toString('utf8', 0, 200) : '';
      const type = /"type"\s*:\s*"([A-Za-z]{1,40})"/.exec(text)?.[1];
      this.log(`viewer ${watcher.id} (${address}) sent ${type ? `a ${type} command` : 'a message'}: refused`);
      this.sendText(ws, { kind: 'refused', message: `This is a viewer link: it shows the program and cannot send commands${type ? ` (${type} refused)` : ''}.` });
    });
    ws.on('close', () => this.forget(ws));
    if (!this.frames) {
      this.frames = new ViewerFrames((jpeg) => this.broadcast(jpeg), this.nowMs);
      this.options.engine.addTap(this.frames);
    }
  }

  status(): ViewersStatus {
    const path = this.token ? `/viewer.html?v=${this.token}` : null;
    const base = this.options.publicBase();
    return {
      link: path ? { path, url: base ? new URL(path.slice(1), base).href : null, createdAtMs: this.createdAtMs, showCueName: this.showCueName } : null,
      watching: [...this.watchers.values()].map((w) => ({ ...w })),
      bytesPerSecond: this.frames?.bytesPerSecond() ?? 0,
      width: VIEWER_WIDTH,
      height: VIEWER_HEIGHT,
      fps: VIEWER_FPS,
    };
  }

  /** JPEGs encoded for viewers since the stream started (tests). */
  get framesEncoded(): number {
    return this.frames?.encoded ?? 0;
  }

  close(): void {
    this.revoke('the engine is stopping');
    this.options.engine.off('event', this.onEngineEvent);
  }

  private forget(ws: WebSocket): void {
    const watcher = this.watchers.get(ws);
    if (!watcher) return;
    this.watchers.delete(ws);
    this.log(`viewer ${watcher.id} (${watcher.address}) left`);
    // Nobody watching: no frame is copied or encoded.
    if (this.watchers.size === 0 && this.frames) {
      this.options.engine.removeTap(this.frames.id);
      this.frames = null;
    }
  }

  private broadcast(jpeg: Uint8Array): number {
    let bytes = 0;
    for (const ws of this.watchers.keys()) {
      if (ws.readyState !== ws.OPEN || ws.bufferedAmount > MAX_VIEWER_BUFFERED_BYTES) continue;
      ws.send(jpeg, { binary: true });
      bytes += jpeg.byteLength;
    }
    return bytes;
  }

  private cueName(state: EngineState): string | null {
    const show = state.show;
    const cue = show?.document.cues.find((c) => c.id === show.onAirCueId);
    return cue ? cue.name || `Cue ${cue.number}` : null;
  }

  private followCue(state: EngineState): void {
    if (!this.token) return;
    const name = this.cueName(state);
    if (name === this.lastCueName) return;
    this.lastCueName = name;
    if (!this.showCueName) return;
    for (const ws of this.watchers.keys()) this.sendText(ws, { kind: 'viewer', cueName: name });
  }

  private sendText(ws: WebSocket, message: ViewerMessage): void {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message));
  }
}
