/**
 * The look-ahead pictures use a cue's input as the wall will (real engine, built-in ONNX
 * model, real PNG files): a cue whose look names a still image with a bright bar gets a
 * cue thumbnail and a standby still whose column profile follows that bar, not a bar
 * elsewhere; two cues that differ only by their input have different thumbnail keys and
 * different pictures, each following its own bar.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commandSchema, type CommandInput } from '../../app/contract/commands.js';
import { readFrame, readThumbnail, type ThumbnailMessage } from '../../app/contract/frame-wire.js';
import type { Cue } from '../../app/contract/show.js';
import { THUMBNAIL_HEIGHT, THUMBNAIL_WIDTH, thumbnailKey } from '../../app/contract/thumbnails.js';
import { Engine } from '../../app/engine/engine.js';
import { barPattern, barProfile, correlation, rgbaColumnProfile } from '../helpers/ndi-test-sender.js';
import { waitUntil, type Probe } from '../helpers/wait.js';

const WIDTH = 320;
const HEIGHT = 180;
const BAR_W = 48;
const BINS = 40;
/** Bar places in the PNGs (px of WIDTH): one on the left, one on the right. */
const LEFT = 40;
const RIGHT = 232;
/** How much better the true place must match than the other place. */
const MARGIN = 0.4;

const dir = mkdtempSync(path.join(tmpdir(), 'cyclorama-preview-inputs-'));
let engine: Engine;
const standbyStills: Uint8Array[] = [];

const send = (command: CommandInput) => engine.dispatch(commandSchema.parse(command));
const until = <T>(probe: Probe<T>, timeoutMs = 30_000) => waitUntil(probe, { timeoutMs, intervalMs: 50 });
const cues = (): Cue[] => engine.state().show!.document.cues;
const keyOf = (cue: Cue) => thumbnailKey(cue.look, engine.state().model.id);
const thumbnailOf = (cue: Cue): ThumbnailMessage | undefined =>
  engine
    .cueThumbnails()
    .map((m) => readThumbnail(m)!)
    .find((t) => t.key === keyOf(cue));

function writeBarPng(name: string, barX: number): string {
  const png = new PNG({ width: WIDTH, height: HEIGHT });
  png.data.set(barPattern(WIDTH, HEIGHT, barX, BAR_W));
  const file = path.join(dir, name);
  writeFileSync(file, PNG.sync.write(png));
  return file;
}

/** How well a picture's columns follow a bar at `barX` (px of the PNG's WIDTH; the input is stretched to fill). */
function matchOf(rgba: Uint8Array, width: number, height: number, barX: number): number {
  return correlation(rgbaColumnProfile(rgba, width, height, BINS), barProfile(WIDTH, barX, BAR_W, BINS));
}

/** The picture follows the bar at `at`, clearly better than one at `other`. */
const follows = (rgba: Uint8Array, width: number, height: number, at: number, other: number) => {
  const here = matchOf(rgba, width, height, at);
  const there = matchOf(rgba, width, height, other);
  return here > 0.6 && here - there > MARGIN ? { here, there } : undefined;
};

const look = (file: string) => ({
  prompt: 'deep green forest moss',
  seed: 7,
  params: { strength: 0.6 },
  input: { source: { kind: 'image' as const, path: file } },
  transition: { durationMs: 0, curve: 'linear' as const },
});

beforeAll(async () => {
  engine = await Engine.start({ configDir: null, width: WIDTH, height: HEIGHT });
  engine.on('standby', (still) => standbyStills.push(still.slice()));
  await until(() => engine.state().stats.modelFps > 0 || undefined);
});

afterAll(async () => {
  await engine?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('cue previews with a still image input', () => {
  it('a cue thumbnail and the standby still follow the bar of the cue input, two inputs give two keys and two pictures', async () => {
    const leftFile = writeBarPng('left-bar.png', LEFT);
    const rightFile = writeBarPng('right-bar.png', RIGHT);
    expect((await send({ type: 'addCue', patch: look(leftFile) })).ok).toBe(true);
    expect((await send({ type: 'addCue', patch: look(rightFile) })).ok).toBe(true);
    const [left, right] = cues() as [Cue, Cue];
    // Same prompt, seed, params: only the input differs, and so does the key.
    expect(keyOf(left)).not.toBe(keyOf(right));

    const leftMatch = await until(() => {
      const t = thumbnailOf(left);
      return t ? follows(t.pixels, THUMBNAIL_WIDTH, THUMBNAIL_HEIGHT, LEFT, RIGHT) : undefined;
    });
    expect(leftMatch.here).toBeGreaterThan(0.6);
    const rightMatch = await until(() => {
      const t = thumbnailOf(right);
      return t ? follows(t.pixels, THUMBNAIL_WIDTH, THUMBNAIL_HEIGHT, RIGHT, LEFT) : undefined;
    });
    expect(rightMatch.here).toBeGreaterThan(0.6);

    // The first cue is on standby: its still (what GO will put on the wall) follows its bar.
    expect(engine.state().show!.standbyCueId).toBe(left.id);
    const standby = await until(() => {
      const message = engine.standbyStill();
      const frame = message ? readFrame(message) : null;
      return frame ? follows(frame.pixels, frame.header.width, frame.header.height, LEFT, RIGHT) : undefined;
    });
    expect(standby.here).toBeGreaterThan(0.6);
    expect(standbyStills.length).toBeGreaterThan(0);
  }, 60_000);
});
