/**
 * What the console holds: a connection to an engine. The console never knows
 * whether it rides on Electron IPC or a WebSocket; both transports implement this.
 */
import type { CommandInput } from './commands.js';
import type { EngineError } from './errors.js';
import type { EngineEvent, ReplyData } from './messages.js';
import type { FrameHeader, ThumbnailMessage } from './frame-wire.js';

/** `data`: what the caller alone gets back (messages.ts ReplyData), e.g. the token a rotateToken issued. */
export type CommandResult = { ok: true; data?: ReplyData } | { ok: false; error: EngineError };

export interface EngineConnection {
  /** Sends a command; resolves when the engine has applied or rejected it. */
  send(command: CommandInput): Promise<CommandResult>;
  /** Subscribes to events; returns an unsubscribe function. */
  onEvent(listener: (event: EngineEvent) => void): () => void;
  /** Subscribes to program preview frames (the wall's picture, small); the pixel view is only valid during the call. */
  onFrame(listener: (header: FrameHeader, rgba: Uint8Array) => void): () => void;
  /** Subscribes to standby preview stills (what GO will put on the wall); same rules as onFrame. */
  onStandbyFrame(listener: (header: FrameHeader, rgba: Uint8Array) => void): () => void;
  /** Subscribes to display-output frames (only a connection opened for one output gets them). */
  onOutputFrame(listener: (header: FrameHeader, rgba: Uint8Array) => void): () => void;
  /** Subscribes to the live input's thumbnail (the picture the model restyles); same rules as onFrame. */
  onInputFrame(listener: (header: FrameHeader, rgba: Uint8Array) => void): () => void;
  /** Subscribes to cue thumbnails (contract/thumbnails.ts), addressed by look key; the pixel view is only valid during the call. */
  onThumbnail(listener: (thumbnail: ThumbnailMessage) => void): () => void;
  /** 'open' once the hello arrived; 'closed' while reconnecting. */
  onConnectionChange(listener: (status: 'connecting' | 'open' | 'closed') => void): () => void;
  close(): void;
}

/**
 * The raw duplex a transport offers: text (JSON) and binary messages both ways.
 * Electron's preload exposes exactly this as `window.cycloramaBridge`.
 */
export interface MessageBridge {
  postText(text: string): void;
  onText(listener: (text: string) => void): void;
  onBinary(listener: (data: ArrayBuffer) => void): void;
  /** Transport-level status; the connection reports 'open' only once the engine's hello arrives. */
  onStatus(listener: (status: 'connecting' | 'open' | 'closed') => void): void;
  close(): void;
}
