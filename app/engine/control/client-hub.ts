/**
 * The receiving edge for every transport (WebSocket, Electron port): parses and
 * validates each text message against the contract, dispatches it, replies.
 * Anything malformed is rejected with a named problem and changes nothing.
 * Preview frames fan out to every client that is keeping up (latest wins).
 */
import { engineError } from '../../contract/errors.js';
import { clientMessageSchema, CONTRACT_VERSION, MAX_TEXT_MESSAGE_BYTES, type EngineEvent, type ReplyMessage } from '../../contract/messages.js';
import { engineNowMs } from '../clock.js';
import type { Engine } from '../engine.js';

/** What a transport offers the hub for one connected client. */
export interface ClientPort {
  sendText(text: string): void;
  sendBinary(data: Uint8Array): void;
  /** True while earlier messages are still queued; preview frames are skipped then. */
  isBacklogged(): boolean;
}

export interface ClientHandle {
  receiveText(text: string): void;
  detach(): void;
}

export class ClientHub {
  private readonly clients = new Set<ClientPort>();
  /** Preview frames skipped because a client was behind. */
  skippedPreviews = 0;

  constructor(
    private readonly engine: Engine,
    private readonly log: (line: string) => void = () => {},
  ) {
    engine.on('event', (event) => this.broadcastEvent(event));
    engine.on('preview', (frame) => this.broadcastFrame(frame));
  }

  attach(port: ClientPort): ClientHandle {
    this.clients.add(port);
    port.sendText(JSON.stringify({ kind: 'hello', contractVersion: CONTRACT_VERSION, state: this.engine.state() } satisfies EngineEvent));
    return {
      receiveText: (text) => this.receive(port, text),
      detach: () => void this.clients.delete(port),
    };
  }

  get clientCount(): number {
    return this.clients.size;
  }

  private receive(port: ClientPort, text: string): void {
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
      const id = typeof (raw as { id?: unknown })?.id === 'number' ? ((raw as { id: number }).id) : null;
      const issue = parsed.error.issues[0];
      const field = issue?.path.join('.') || '(message)';
      const unknownType = issue?.code === 'invalid_union' && field === 'command.type';
      const problem = unknownType ? 'unknown-command' : 'invalid-message';
      this.log(`rejected command: ${field}: ${issue?.message}`);
      reply({ kind: 'reply', id: Number.isInteger(id) && (id as number) >= 0 ? id : null, ok: false, error: engineError(problem, `Invalid command: field "${field}": ${issue?.message ?? 'invalid'}.`, { field }) });
      return;
    }
    let result;
    try {
      result = this.engine.dispatch(parsed.data.command, receivedAtMs);
    } catch (error) {
      // Unexpected: recorded and answered, never allowed to take the engine down.
      this.log(`command ${parsed.data.command.type} failed: ${(error as Error).stack ?? error}`);
      result = { ok: false as const, error: engineError('internal', `The engine could not apply ${parsed.data.command.type}: ${(error as Error).message}`) };
    }
    reply(result.ok ? { kind: 'reply', id: parsed.data.id, ok: true } : { kind: 'reply', id: parsed.data.id, ok: false, error: result.error });
  }

  private broadcastEvent(event: EngineEvent): void {
    const text = JSON.stringify(event);
    for (const client of this.clients) client.sendText(text);
  }

  private broadcastFrame(frame: Uint8Array): void {
    for (const client of this.clients) {
      if (client.isBacklogged()) this.skippedPreviews++;
      else client.sendBinary(frame);
    }
  }
}
