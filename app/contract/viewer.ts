/**
 * The client preview link: a read-only page (viewer.html) that shows the program
 * live to a client's phone or laptop, with its own viewer token. A viewer token
 * opens the viewer page's frame stream (/viewer/ws) and nothing else: any command
 * it sends, over the WebSocket or HTTP, is refused. The operator creates the link,
 * sees who is watching and revokes it (everyone watching is disconnected at once).
 * Created by the control plane (engine/control/viewer-links.ts); absent where there
 * is no console server (the app's own console without network control).
 */
import { z } from 'zod';

/** Viewer frames: JPEG at this size and rate, a picture a phone on venue Wi-Fi can take (measured ~10 KB a frame of the built-in model: ~0.4 Mbit/s). */
export const VIEWER_WIDTH = 640;
export const VIEWER_HEIGHT = 360;
export const VIEWER_FPS = 5;
/** JPEG quality (jpeg-js, 1-100): 60 keeps a 640x360 frame at about 10 KB (built-in model; detailed pictures more). */
export const VIEWER_JPEG_QUALITY = 60;
/** WebSocket close code for viewers dropped because the operator revoked the link. */
export const VIEWER_REVOKED_CLOSE_CODE = 4003;

export const viewerCommandSchemas = [
  /**
   * Issue a viewer link (a new viewer token; any earlier link is revoked and its
   * viewers disconnected). `showCueName`: the page shows the name of the cue on air
   * (nothing else of the show is ever sent to it).
   */
  z.object({ type: z.literal('createViewerLink'), showCueName: z.boolean().default(false) }),
  /** Revoke the viewer link: its token stops working and everyone watching is disconnected. */
  z.object({ type: z.literal('revokeViewerLink') }),
] as const;

export const viewerWatcherSchema = z.object({
  /** Connection id, stable while it is connected. */
  id: z.number().int(),
  /** The viewer's address as the server sees it (IP). */
  address: z.string(),
  /** When it connected, engine wall-clock ms (Date.now()). */
  sinceMs: z.number(),
});

export const viewersStatusSchema = z.object({
  /** The active link; null when there is none. */
  link: z
    .object({
      /** The page's path with the viewer token ("/viewer.html?v=..."), on this server. */
      path: z.string(),
      /** The full URL a phone on the venue network opens; null while the server listens on loopback only (nobody else can reach it). */
      url: z.string().nullable(),
      createdAtMs: z.number(),
      showCueName: z.boolean(),
    })
    .nullable(),
  watching: z.array(viewerWatcherSchema),
  /** Bytes sent to viewers per second, all of them together, over the last second. */
  bytesPerSecond: z.number(),
  /** The viewer stream's picture: size and frames per second. */
  width: z.number().int(),
  height: z.number().int(),
  fps: z.number(),
});
export type ViewersStatus = z.infer<typeof viewersStatusSchema>;
export type ViewerWatcher = z.infer<typeof viewerWatcherSchema>;

/** Text messages the viewer page receives (frames are binary JPEG messages). */
export const viewerMessageSchema = z.discriminatedUnion('kind', [
  /** On connect and whenever it changes: the cue on air's name, or null (not allowed by the operator, or none). */
  z.object({ kind: z.literal('viewer'), cueName: z.string().nullable() }),
  /** A refusal: a viewer link cannot send commands. */
  z.object({ kind: z.literal('refused'), message: z.string() }),
]);
export type ViewerMessage = z.infer<typeof viewerMessageSchema>;
