/**
 * Stills and the client preview link on one real engine (built-in ONNX model) behind
 * the real console server on loopback, with a control token (issue 20):
 * - saveStill over the WebSocket, HTTP and the folder checks: the PNG decodes (pngjs)
 *   at the program's full size, looks like the program, and its iTXt chunks (read by
 *   the chunk walker below, which checks every CRC itself) carry prompt, seed, cue and
 *   the wall log's timecode; a missing folder, a file given as the folder and a
 *   relative path are refused with a message naming them;
 * - the viewer link: JPEG frames at the viewer size over /viewer/ws (bytes/s printed),
 *   the watcher listed with its address, the cue name only when allowed; the viewer
 *   token refused as a command sender over its own socket, the control WebSocket and
 *   HTTP (and nothing changes); revoke disconnects at once and the old token is dead.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { crc32 } from 'node:zlib';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { StillReply } from '../../app/contract/stills.js';
import { VIEWER_HEIGHT, VIEWER_REVOKED_CLOSE_CODE, VIEWER_WIDTH, type ViewerMessage } from '../../app/contract/viewer.js';
import { ClientHub } from '../../app/engine/control/client-hub.js';
import { startNetworkControl, type NetworkControl } from '../../app/engine/control/network-control.js';
import { Engine } from '../../app/engine/engine.js';
import { connectTestClient, meanRgb, rgbDistance, type TestClient } from '../helpers/engine-client.js';
import { waitUntil } from '../helpers/wait.js';

const TOKEN = 'control-token-stills-viewer';
const PROMPT = 'deep green forest moss, crème brûlée light';
const WIDTH = 640;
const HEIGHT = 360;

let engine: Engine;
let control: NetworkControl;
let client: TestClient;
let base: string;
const logged: string[] = [];

/** Every text chunk of a PNG: walks the chunks, checks each CRC; tEXt and uncompressed iTXt. */
function readTextChunks(file: Buffer): Map<string, string> {
  expect(file.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  const text = new Map<string, string>();
  let at = 8;
  const types: string[] = [];
  while (at < file.length) {
    const length = file.readUInt32BE(at);
    const type = file.toString('latin1', at + 4, at + 8);
    const data = file.subarray(at + 8, at + 8 + length);
    expect(file.readUInt32BE(at + 8 + length), `CRC of ${type}`).toBe(crc32(file.subarray(at + 4, at + 8 + length)));
    types.push(type);
    if (type === 'tEXt') {
      const nul = data.indexOf(0);
      text.set(data.toString('latin1', 0, nul), data.toString('latin1', nul + 1));
    } else if (type === 'iTXt') {
      const nul = data.indexOf(0);
      expect(data[nul + 1], 'iTXt compression flag').toBe(0);
      const lang = data.indexOf(0, nul + 3);
      const translated = data.indexOf(0, lang + 1);
      text.set(data.toString('latin1', 0, nul), data.toString('utf8', translated + 1));
    }
    at += 12 + length;
  }
  expect(types[0]).toBe('IHDR');
  expect(types.at(-1)).toBe('IEND');
  // Metadata before the picture, where readers look first.
  expect(types.indexOf('iTXt')).toBeLessThan(types.indexOf('IDAT'));
  return text;
}

const http = (pathname: string, init: RequestInit & { token?: string } = {}) =>
  fetch(`${base}${pathname}`, {
    ...init,
    headers: { ...(init.token ? { authorization: `Bearer ${init.token}` } : {}), 'content-type': 'application/json', ...(init.headers ?? {}) },
  });

beforeAll(async () => {
  engine = await Engine.start({ initialPrompt: PROMPT, initialSeed: 77, configDir: null, width: WIDTH, height: HEIGHT });
  control = await startNetworkControl({ engine, hub: new ClientHub(engine), staticDir: 'dist/renderer', port: 0, token: TOKEN, log: (line) => logged.push(line) });
  base = `http://127.0.0.1:${control.server.port}`;
  client = await connectTestClient(`ws://127.0.0.1:${control.server.port}/ws?token=${TOKEN}`);
  await client.waitFor(() => engine.state().stats.modelFps > 0 && client.frames.length > 0, 60_000);
});

afterAll(async () => {
  client?.close();
  await control?.close();
  await engine?.stop();
});

describe('stills', () => {
  it('saveStill writes the program at full size with prompt, seed, cue and timecode in its iTXt chunks', async () => {
    const folder = mkdtempSync(path.join(tmpdir(), 'cyclorama-stills-'));
    expect((await client.connection.send({ type: 'addCue', patch: { name: 'Forêt', prompt: PROMPT, seed: 77, transition: { durationMs: 0, curve: 'linear' } } })).ok).toBe(true);
    expect((await client.connection.send({ type: 'go' })).ok).toBe(true);
    await client.waitFor(() => engine.state().show?.onAirCueId);
    const missedBefore = engine.state().outputs.find((o) => o.kind === 'preview')!.missedTicks;
    const reply = await client.connection.send({ type: 'saveStill', folder });
    expect(reply.ok, JSON.stringify(reply)).toBe(true);
    const still = (reply as { data: { still: StillReply } }).data.still;
    console.log(
      `stills: ${still.width}x${still.height} PNG of ${still.bytes} bytes; preview clock missed ticks during the still: ${engine.state().outputs.find((o) => o.kind === 'preview')!.missedTicks - missedBefore}`,
    );
    expect(path.dirname(still.path)).toBe(folder);
    expect(path.basename(still.path)).toMatch(/^Untitled.* - cue 1 - \d\d-\d\d-\d\d-\d\d\.png$|^.+ - cue 1 - \d\d-\d\d-\d\d-\d\d\.png$/);
    const file = readFileSync(still.path);
    expect(still.bytes).toBe(file.length);
    const png = PNG.sync.read(file);
    expect([png.width, png.height, still.width, still.height]).toEqual([WIDTH, HEIGHT, WIDTH, HEIGHT]);
    // The still is the program: its colour is the preview monitor's within a little.
    const preview = client.frames.at(-1)!.rgba;
    expect(rgbDistance(meanRgb(png.data), meanRgb(preview))).toBeLessThan(25);
    const text = readTextChunks(file);
    expect(text.get('Prompt')).toBe(PROMPT);
    expect(text.get('Seed')).toBe('77');
    expect(text.get('Cue')).toBe('1 Forêt');
    expect(text.get('Timecode')).toMatch(/^\d\d:\d\d:\d\d[:;]\d\d$/);
    expect(text.get('Software')).toMatch(/^Cyclorama /);
    expect(new Date(text.get('Creation Time')!).getTime()).toBeGreaterThan(Date.now() - 60_000);
    // The same still over HTTP: a second file, never the first one replaced.
    const viaHttp = await http('/api/still', { method: 'POST', token: TOKEN, body: JSON.stringify({ folder }) });
    const body = (await viaHttp.json()) as { ok: boolean; still: StillReply };
    expect(viaHttp.status).toBe(200);
    expect(body.still.path).not.toBe(still.path);
    expect(readFileSync(still.path).equals(file)).toBe(true);
  });

  it('refuses a missing folder, a file given as the folder and a relative path, naming them', async () => {
    const missing = path.join(tmpdir(), 'cyclorama-no-such-folder-stills');
    const refused = await client.connection.send({ type: 'saveStill', folder: missing });
    expect(refused.ok).toBe(false);
    expect(!refused.ok && refused.error.message).toContain(`${missing} does not exist`);
    const aFile = path.join(mkdtempSync(path.join(tmpdir(), 'cyclorama-stills-file-')), 'not-a-folder.txt');
    writeFileSync(aFile, 'x');
    const notFolder = await client.connection.send({ type: 'saveStill', folder: aFile });
    expect(!notFolder.ok && notFolder.error.message).toContain(`${aFile} is not a folder`);
    const relative = await http('/api/still', { method: 'POST', token: TOKEN, body: JSON.stringify({ folder: 'stills' }) });
    expect(relative.status).toBe(400);
    expect(((await relative.json()) as { message: string }).message).toContain('full path');
    // The outputs ran on.
    expect(engine.state().outputs.find((o) => o.kind === 'preview')?.status).toBe('running');
  });
});

describe('client preview link', () => {
  it('streams JPEG frames to a viewer, lists it, refuses its commands everywhere and disconnects it on revoke', async () => {
    expect((await client.connection.send({ type: 'createViewerLink', showCueName: true })).ok).toBe(true);
    const link = await client.waitFor(() => client.latestState().viewers?.link);
    expect(link.path).toMatch(/^\/viewer\.html\?v=[0-9a-f]{32}$/);
    // Loopback only: no phone can reach it, so no public URL.
    expect(link.url).toBeNull();
    const viewerToken = new URLSearchParams(link.path.split('?')[1]).get('v')!;

    // The viewer page itself is served (Host checks as for the console's files).
    expect((await fetch(`${base}/viewer.html`)).status).toBe(200);

    const viewer = new WebSocket(`ws://127.0.0.1:${control.server.port}/viewer/ws?token=${viewerToken}`, { origin: base });
    viewer.binaryType = 'nodebuffer';
    const texts: ViewerMessage[] = [];
    const jpegs: Array<{ bytes: Buffer; atMs: number }> = [];
    viewer.on('message', (data, isBinary) => {
      if (isBinary) jpegs.push({ bytes: data as Buffer, atMs: performance.now() });
      else texts.push(JSON.parse(data.toString()) as ViewerMessage);
    });
    const closed = new Promise<{ code: number; atMs: number }>((resolve) => viewer.on('close', (code) => resolve({ code, atMs: performance.now() })));
    await new Promise((resolve, reject) => viewer.once('open', resolve).once('error', reject));
    await waitUntil(() => jpegs.length >= 8, { timeoutMs: 30_000, what: 'eight viewer frames' });
    const first = jpeg.decode(jpegs.at(-1)!.bytes, { useTArray: true });
    expect([first.width, first.height]).toEqual([VIEWER_WIDTH, VIEWER_HEIGHT]);
    expect(rgbDistance(meanRgb(first.data), meanRgb(client.frames.at(-1)!.rgba))).toBeLessThan(30);
    const span = (jpegs.at(-1)!.atMs - jpegs[0]!.atMs) / 1000;
    const total = jpegs.slice(1).reduce((sum, j) => sum + j.bytes.length, 0);
    console.log(
      `viewer: ${jpegs.length} frames, ${((jpegs.length - 1) / span).toFixed(1)} fps, ${Math.round(total / span / 1024)} KiB/s (${((total * 8) / span / 1e6).toFixed(2)} Mbit/s) at ${VIEWER_WIDTH}x${VIEWER_HEIGHT}`,
    );
    // Only the cue name: the first message names the cue on air, nothing else of the show.
    expect(texts[0]).toEqual({ kind: 'viewer', cueName: 'Forêt' });

    const watching = await client.waitFor(() => client.latestState().viewers?.watching.length === 1 && client.latestState().viewers!.watching);
    expect(watching[0]!.address).toMatch(/127\.0\.0\.1/);
    expect(watching[0]!.sinceMs).toBeGreaterThan(Date.now() - 60_000);
    await client.waitFor(() => (client.latestState().viewers?.bytesPerSecond ?? 0) > 0);

    // A command over the viewer's own socket: refused, nothing changes.
    const standbyBefore = engine.state().show?.standbyCueId;
    const lookBefore = engine.state().program.lookId;
    viewer.send(JSON.stringify({ kind: 'command', id: 1, command: { type: 'setPrompt', prompt: 'hacked' } }));
    const refusal = await waitUntil(() => texts.find((t) => t.kind === 'refused'), { timeoutMs: 10_000 });
    expect(refusal).toEqual({ kind: 'refused', message: expect.stringContaining('cannot send commands (setPrompt refused)') });
    expect(engine.state().program.prompt).toBe(PROMPT);
    expect(engine.state().program.lookId).toBe(lookBefore);
    expect(engine.state().show?.standbyCueId).toBe(standbyBefore);

    // The viewer token on HTTP: refused as a viewer link, for commands and for reading the state.
    for (const [pathname, method] of [
      ['/api/go', 'POST'],
      ['/api/command', 'POST'],
      ['/api/state', 'GET'],
    ] as const) {
      const response = await http(pathname, { method, token: viewerToken, ...(method === 'POST' ? { body: JSON.stringify({ type: 'setPrompt', prompt: 'hacked' }) } : {}) });
      expect(response.status, pathname).toBe(403);
      expect(((await response.json()) as { message: string }).message).toContain('client preview link');
    }
    // ... and on the control WebSocket: the upgrade is refused.
    const status = await new Promise<number>((resolve) => {
      const socket = new WebSocket(`ws://127.0.0.1:${control.server.port}/ws?token=${viewerToken}`, 'cyclorama');
      socket.on('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0));
      socket.on('open', () => resolve(101));
    });
    expect(status).toBe(403);
    expect(engine.state().program.prompt).toBe(PROMPT);

    // Revoke: the viewer is disconnected at once, the state says nobody watches, the token is dead.
    const revokedAt = performance.now();
    expect((await client.connection.send({ type: 'revokeViewerLink' })).ok).toBe(true);
    const end = await closed;
    expect(end.code).toBe(VIEWER_REVOKED_CLOSE_CODE);
    console.log(`viewer: disconnected ${Math.round(end.atMs - revokedAt)} ms after revoke`);
    await client.waitFor(() => client.latestState().viewers?.link === null && client.latestState().viewers?.watching.length === 0);
    const again = await new Promise<number>((resolve) => {
      const socket = new WebSocket(`ws://127.0.0.1:${control.server.port}/viewer/ws?token=${viewerToken}`);
      socket.on('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0));
      socket.on('open', () => resolve(101));
    });
    expect(again).toBe(401);
    // With nobody watching no viewer frames are made.
    expect(engine.state().outputs.map((o) => o.id)).not.toContain('viewer-link');
    // Nothing of the show or the engine's state ever reached the viewer: only its own two kinds of message.
    expect(texts.map((t) => t.kind).every((kind) => kind === 'viewer' || kind === 'refused')).toBe(true);

    // A new link without the cue name: the viewer is told no name.
    expect((await client.connection.send({ type: 'createViewerLink' })).ok).toBe(true);
    const second = await client.waitFor(() => client.latestState().viewers?.link);
    expect(second.showCueName).toBe(false);
    const secondToken = new URLSearchParams(second.path.split('?')[1]).get('v')!;
    expect(secondToken).not.toBe(viewerToken);
    const quiet = new WebSocket(`ws://127.0.0.1:${control.server.port}/viewer/ws?token=${secondToken}`);
    const hello = await new Promise<ViewerMessage>((resolve, reject) => {
      quiet.once('message', (data) => resolve(JSON.parse(data.toString()) as ViewerMessage));
      quiet.once('error', reject);
    });
    expect(hello).toEqual({ kind: 'viewer', cueName: null });
    quiet.close();
    expect((await client.connection.send({ type: 'revokeViewerLink' })).ok).toBe(true);
  });
});
