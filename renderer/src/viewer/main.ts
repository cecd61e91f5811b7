/**
 * The client preview page (viewer.html?v=TOKEN): shows the program's JPEG frames from
 * /viewer/ws and, when the operator allows it, the cue's name. It sends nothing (the
 * engine would refuse it anyway: contract/viewer.ts). It reconnects after a dropped
 * connection, and stops for good when the operator revokes the link.
 */
import { VIEWER_REVOKED_CLOSE_CODE, viewerMessageSchema } from '../../../app/contract/viewer.js';
import './viewer-page.css';

/** Reconnect waits, ms: doubling from the first to the longest. */
const RECONNECT_FIRST_MS = 500;
const RECONNECT_MAX_MS = 8000;
/** Without a frame this long, the page says the picture is not arriving (the program sends at least 5 a second), ms. */
const STALL_MS = 3000;

const frame = document.getElementById('viewer-frame') as HTMLImageElement;
const cue = document.getElementById('viewer-cue') as HTMLParagraphElement;
const status = document.getElementById('viewer-status') as HTMLParagraphElement;
const token = new URLSearchParams(location.search).get('v');

let shownUrl: string | null = null;
let lastFrameAtMs = 0;
let everConnected = false;
let stopped = false;

const say = (text: string) => {
  if (status.textContent !== text) status.textContent = text;
};

function show(jpeg: Blob): void {
  const url = URL.createObjectURL(jpeg);
  const previous = shownUrl;
  shownUrl = url;
  frame.src = url;
  // The old picture's memory goes once the new one is drawn.
  if (previous)
    frame.decode().then(
      () => URL.revokeObjectURL(previous),
      () => URL.revokeObjectURL(previous),
    );
  lastFrameAtMs = performance.now();
  say('Live');
}

function connect(delayMs: number): void {
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  const socket = new WebSocket(`${scheme}://${location.host}/viewer/ws?token=${encodeURIComponent(token ?? '')}`);
  socket.binaryType = 'blob';
  socket.onopen = () => {
    everConnected = true;
    delayMs = RECONNECT_FIRST_MS;
    say('Connected: waiting for the picture…');
  };
  socket.onmessage = (event: MessageEvent<Blob | string>) => {
    if (typeof event.data !== 'string') return show(event.data);
    let parsed;
    try {
      parsed = viewerMessageSchema.safeParse(JSON.parse(event.data));
    } catch {
      return;
    }
    if (!parsed.success || parsed.data.kind !== 'viewer') return;
    cue.hidden = parsed.data.cueName === null;
    cue.textContent = parsed.data.cueName ?? '';
  };
  socket.onclose = (event) => {
    if (event.code === VIEWER_REVOKED_CLOSE_CODE) {
      stopped = true;
      say('This preview link was closed by the operator.');
      return;
    }
    // A refused link (revoked before this page opened, or mistyped) never opens: say so, keep trying gently.
    say(everConnected ? 'Connection lost: reconnecting…' : 'Cannot open this preview link: it may have been closed. Retrying…');
    setTimeout(() => connect(Math.min(delayMs * 2, RECONNECT_MAX_MS)), delayMs);
  };
}

if (!token) say('This page needs a preview link from the operator (it ends in ?v=…).');
else connect(RECONNECT_FIRST_MS);

setInterval(() => {
  if (!stopped && lastFrameAtMs > 0 && performance.now() - lastFrameAtMs > STALL_MS && status.textContent === 'Live') say('The picture has stopped arriving…');
}, 1000);
