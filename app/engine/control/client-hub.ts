/**
 * The receiving edge for every transport (WebSocket, Electron port): parses and
 * validates each text message against the contract, dispatches it, replies.
 * Anything malformed is rejected with a named problem and changes nothing.
 * Preview frames fan out to every client that is keeping up (latest wins).
 *
 * A client that stops reading costs bounded memory: while it is behind, state
 * snapshots are not queued for it but kept as one pending snapshot (the newest),
 * sent when it catches up; a client behind for SLOW_CLIENT_DROP_MS, or with more
 * than MAX_CLIENT_BUFFER_BYTES queued, is dropped with a reason.
 */
import { commandSchema, type Command } from '../../contract/commands.js';
import type { CommandResult } from '../../contract/connection.js';
import type { ControlStatus } from '../../contract/control.js';
import { engineError } from '../../contract/errors.js';
import { isMidiCommand, type MidiCommand } from '../../contract/midi.js';
import type { EngineState } from '../../contract/state.js';
import type { ViewersStatus } from '../../contract/viewer.js';
import { clientMessageSchema, CONTRACT_VERSION, MAX_TEXT_MESSAGE_BYTES, type EngineEvent, type ReplyMessage } from '../../contract/messages.js';
import { engineNowMs } from '../clock.js';
import type { Engine } from '../engine.js';

/** A client behind (backlogged) this long is dropped, ms. */
export const SLOW_CLIENT_DROP_MS = 10_000;
/** A client with more than this queued is dropped at once, bytes (a few state snapshots of a large show). */
export const MAX_CLIENT_BUFFER_BYTES = 16 * 1024 * 1024;
/** How often pending snapshots are retried and slow clients looked at, ms. */
const SLOW_CLIENT_CHECK_MS = 250;

/** What a transport offers the hub for one connected client. */
export interface ClientPort {
  sendText(text: string): void;
  sendBinary(data: Uint8Array): void;
  /** True while earlier messages are still queued; preview frames and state snapshots are held back then. */
  isBacklogged(): boolean;
  /** Bytes queued for this client (absent: the transport does not queue, e.g. Electron's port). */
  bufferedBytes?(): number;
  /** Closes this client with a reason it can show (absent: the transport cannot be dropped). */
  drop?(reason: string): void;
  /**
   * A display output page (/output.html?output=ID): it gets that output's frames
   * only (no console previews), and counts as one of its clients. Absent = a console.
   */
  outputId?: string;
}

export interface ClientHandle {
  receiveText(text: string): void;
  detach(): void;
}

/**
 * The control plane behind the listeners (headless.ts builds it): its status goes
 * into every state snapshot the hub sends, and it answers `rotateToken`.
 */
export interface ControlPlane {
  status(): ControlStatus;
  /** `requester`: the connection that asked (it stays connected), null for HTTP/OSC. */
  rotateToken(requester: ClientPort | null): CommandResult;
  /** MIDI learn (contract/midi.ts): the node's control sources answer; absent where it runs none. */
  midi?(command: MidiCommand): CommandResult;
  /** The client preview link (control/viewer-links.ts); absent = none here. */
  viewers?: {
    status(): ViewersStatus;
    create(showCueName: boolean): CommandResult;
    revoke(): CommandResult;
  };
}

/** Per client: the newest state snapshot held back while it is behind, and since when it is behind. */
interface Backlog {
  pendingState: string | null;
  behindSinceMs: number | null;
}

export class ClientHub {
  private control: ControlPlane | null = null;
  private readonly clients = new Map<ClientPort, Backlog>();
  private readonly slowClientTimer: NodeJS.Timeout;
  /** Preview frames skipped because a client was behind. */
  skippedPreviews = 0;
  /** State snapshots replaced by a newer one before a slow client could take them. */
  skippedStates = 0;
  /** Clients dropped for not reading. */
  droppedClients = 0;

  private readonly dropAfterMs: number;
  private readonly maxBufferedBytes: number;

  constructor(
    private readonly engine: Engine,
    private readonly log: (line: string) => void = () => {},
    /** When a client that stopped reading is dropped (defaults SLOW_CLIENT_DROP_MS, MAX_CLIENT_BUFFER_BYTES). */
    slowClients: { dropAfterMs?: number; maxBufferedBytes?: number } = {},
  ) {
    this.dropAfterMs = slowClients.dropAfterMs ?? SLOW_CLIENT_DROP_MS;
    this.maxBufferedBytes = slowClients.maxBufferedBytes ?? MAX_CLIENT_BUFFER_BYTES;
    engine.on('event', (event) => this.broadcastEvent(event));
    engine.on('preview', (frame) => this.broadcastFrame(frame));
    // The standby still (Preview monitor): rare and small, same latest-wins rule.
    engine.on('standby', (frame) => this.broadcastFrame(frame));
    // The live input's thumbnail (a few a second at most): the same rule.
    engine.on('input', (frame) => this.broadcastFrame(frame));
    // Cue thumbnails: each is a different picture, so none is skipped for a client that is behind.
    engine.on('thumbnail', (message) => this.sendToConsoles(message));
    engine.on('display', (id, frame) => this.sendDisplayFrame(id, frame));
    this.slowClientTimer = setInterval(() => this.serviceBacklogs(), SLOW_CLIENT_CHECK_MS);
    this.slowClientTimer.unref();
  }

  /** Stops the hub's own timer (the engine's events stop with the engine). */
  close(): void {
    clearInterval(this.slowClientTimer);
  }

  attach(port: ClientPort): ClientHandle {
    this.clients.set(port, { pendingState: null, behindSinceMs: null });
    port.sendText(JSON.stringify({ kind: 'hello', contractVersion: CONTRACT_VERSION, state: this.state() } satisfies EngineEvent));
    const standby = port.outputId === undefined ? this.engine.standbyStill() : null;
    if (standby) port.sendBinary(standby);
    const input = port.outputId === undefined ? this.engine.inputThumbnail() : null;
    if (input) port.sendBinary(input);
    if (port.outputId === undefined) for (const thumbnail of this.engine.cueThumbnails()) port.sendBinary(thumbnail);
    const outputId = port.outputId;
    let watching = outputId !== undefined && this.engine.displays.subscribe(outputId, 1);
    return {
      receiveText: (text) => void this.receive(port, text),
      detach: () => {
        // Also after a drop (the client left the map then): its display subscription ends here, once.
        this.clients.delete(port);
        if (watching && outputId !== undefined) this.engine.displays.subscribe(outputId, -1);
        watching = false;
      },
    };
  }

  /** Installs the control plane (status in snapshots, token rotation). */
  setControlPlane(control: ControlPlane | null): void {
    this.control = control;
  }

  /** The engine's state with the control status added: what every transport sends. */
  state(): EngineState {
    return this.withControl(this.engine.state());
  }

  /**
   * The receiving edge for sources without the JSON envelope (HTTP endpoints, OSC):
   * validates `raw` against the same command schema and applies it the same way.
   * `source` names the sender in log lines ("osc 10.0.0.5:9000", "http 127.0.0.1").
   */
  async submit(raw: unknown, source: string, receivedAtMs = engineNowMs()): Promise<CommandResult> {
    const parsed = commandSchema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const field = issue?.path.join('.') || '(command)';
      const unknownType = issue?.code === 'invalid_union' && field === 'type';
      this.log(`${source}: rejected command: ${field}: ${issue?.message}`);
      return {
        ok: false,
        error: engineError(unknownType ? 'unknown-command' : 'invalid-message', `Invalid command: field "${field}": ${issue?.message ?? 'invalid'}.`, { field }),
      };
    }
    return this.apply(parsed.data, receivedAtMs, null);
  }

  get clientCount(): number {
    return this.clients.size;
  }

  private async receive(port: ClientPort, text: string): Promise<void> {
    const receivedAtMs = engineNowMs();
    const reply = (message: ReplyMessage) => port.sendText(JSON.stringify(message));
    if (text.length > MAX_TEXT_MESSAGE_BYTES) {
      this.log(`rejected a ${text.length}-byte message (limit ${MAX_TEXT_MESSAGE_BYTES})`);
      reply({ kind: 'reply', id: null, ok: false, error: engineError('invalid-message', `Message too large (${text.length} bytes, limit ${MAX_TEXT_MESSAGE_BYTES}).`) });
      return;
    }
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch {
      this.log('rejected a message that is not JSON');
      reply({ kind: 'reply', id: null, ok: false, error: engineError('invalid-message', 'Message is not valid JSON.') });
      return;
    }
    const parsed = clientMessageSchema.safeParse(raw);
    if (!parsed.success) {
      const id = typeof (raw as { id?: unknown })?.id === 'number' ? (raw as { id: number }).id : null;
      const issue = parsed.error.issues[0];
      const field = issue?.path.join('.') || '(message)';
      const unknownType = issue?.code === 'invalid_union' && field === 'command.type';
      const problem = unknownType ? 'unknown-command' : 'invalid-message';
      this.log(`rejected command: ${field}: ${issue?.message}`);
      reply({
        kind: 'reply',
        id: Number.isInteger(id) && (id as number) >= 0 ? id : null,
        ok: false,
        error: engineError(problem, `Invalid command: field "${field}": ${issue?.message ?? 'invalid'}.`, { field }),
      });
      return;
    }
    const result = await this.apply(parsed.data.command, receivedAtMs, port);
    reply(
      result.ok
        ? { kind: 'reply', id: parsed.data.id, ok: true, ...(result.data ? { data: result.data } : {}) }
        : { kind: 'reply', id: parsed.data.id, ok: false, error: result.error },
    );
  }

  /** Applies a validated command: control-plane commands here, the rest in the engine. Never throws. */
  private async apply(command: Command, receivedAtMs: number, port: ClientPort | null): Promise<CommandResult> {
    try {
      if (command.type === 'rotateToken') {
        if (!this.control) return { ok: false, error: engineError('show-edit', 'Network control is not available here: there is no token to rotate.') };
        return this.control.rotateToken(port);
      }
      if (isMidiCommand(command) && this.control?.midi) return this.control.midi(command);
      if ((command.type === 'createViewerLink' || command.type === 'revokeViewerLink') && this.control?.viewers) {
        const result = command.type === 'createViewerLink' ? this.control.viewers.create(command.showCueName) : this.control.viewers.revoke();
        // Every console sees the link (or its end) now, not at the next periodic snapshot.
        void this.engine.dispatch({ type: 'getState' });
        return result;
      }
      return await this.engine.dispatch(command, receivedAtMs); // loadModel replies when the model is live or failed
    } catch (error) {
      // Unexpected: recorded and answered, never allowed to take the engine down.
      this.log(`command ${command.type} failed: ${(error as Error).stack ?? error}`);
      return { ok: false, error: engineError('internal', `The engine could not apply ${command.type}: ${(error as Error).message}`) };
    }
  }

  private withControl(state: EngineState): EngineState {
    if (!this.control) return state;
    return { ...state, control: this.control.status(), ...(this.control.viewers ? { viewers: this.control.viewers.status() } : {}) };
  }

  private broadcastEvent(event: EngineEvent): void {
    const text = JSON.stringify(event.kind === 'state' ? { ...event, state: this.withControl(event.state) } : event);
    for (const [client, backlog] of this.clients) {
      if (event.kind !== 'state') {
        client.sendText(text); // errors and lookOnAir are small and each one matters
        continue;
      }
      if (client.isBacklogged()) {
        if (backlog.pendingState !== null) this.skippedStates++;
        backlog.pendingState = text; // latest wins
        backlog.behindSinceMs ??= engineNowMs();
      } else {
        backlog.pendingState = null;
        backlog.behindSinceMs = null;
        client.sendText(text);
      }
    }
  }

  /** Sends held-back snapshots to clients that caught up; drops clients too far or too long behind. */
  private serviceBacklogs(): void {
    const now = engineNowMs();
    for (const [client, backlog] of this.clients) {
      const queued = client.bufferedBytes?.() ?? 0;
      const behindMs = backlog.behindSinceMs === null ? 0 : now - backlog.behindSinceMs;
      if (client.drop && (queued > this.maxBufferedBytes || behindMs > this.dropAfterMs)) {
        this.droppedClients++;
        this.clients.delete(client);
        client.drop(`not reading: ${Math.round(queued / 1024)} KiB queued, behind for ${Math.round(behindMs)} ms`);
        continue;
      }
      if (backlog.pendingState !== null && !client.isBacklogged()) {
        client.sendText(backlog.pendingState);
        backlog.pendingState = null;
        backlog.behindSinceMs = null;
      }
    }
  }

  /** A display output's frame, to the pages showing that output (latest wins, like previews). */
  private sendDisplayFrame(id: string, frame: Uint8Array): void {
    for (const client of this.clients.keys()) {
      if (client.outputId !== id) continue;
      if (client.isBacklogged()) this.skippedPreviews++;
      else client.sendBinary(frame);
    }
  }

  private sendToConsoles(message: Uint8Array): void {
    for (const client of this.clients.keys()) if (client.outputId === undefined) client.sendBinary(message);
  }

  private broadcastFrame(frame: Uint8Array): void {
    for (const client of this.clients.keys()) {
      if (client.outputId !== undefined) continue; // display pages get their output's frames only
      if (client.isBacklogged()) this.skippedPreviews++;
      else client.sendBinary(frame);
    }
  }
}
