/**
 * The cue thumbnail policy without a model: the cache by look key (what is rendered,
 * what is never rendered again, what is dropped) and the still queue (the standby
 * still first, thumbnails newest-batch first and paced).
 */
import { describe, expect, it } from 'vitest';
import type { LookInput } from '../../../../app/contract/inputs.js';
import { thumbnailKey } from '../../../../app/contract/thumbnails.js';
import { StillQueue, THUMBNAIL_DUTY, type ThumbnailJob } from '../../../../app/engine/preview/still-queue.js';
import { ThumbnailCache, type CueLook } from '../../../../app/engine/preview/thumbnail-cache.js';

const cue = (id: string, prompt: string, seed = 1, params: Record<string, number> = {}): CueLook => ({ id, look: { prompt, seed, params } });
const MODEL = 'cyclorama-builtin';
const key = (c: CueLook, model = MODEL) => thumbnailKey(c.look, model);
const picture = new Uint8Array(4);
const job = (k: string): ThumbnailJob => ({ key: k, look: { prompt: k, seed: 1 }, showTimeMs: 0 });

describe('look keys', () => {
  it('depend on what makes the picture, and on nothing else', () => {
    const base = cue('c1', 'neon city', 3, { guidance: 1, strength: 0.5 });
    expect(key(base)).toMatch(/^[0-9a-f]{16}$/);
    // Another cue with the same look, params in another order, an empty negative prompt: same picture.
    expect(key(cue('c9', 'neon city', 3, { strength: 0.5, guidance: 1 }))).toBe(key(base));
    expect(thumbnailKey({ ...base.look, negativePrompt: '' }, MODEL)).toBe(key(base));
    // Prompt, seed, params, negative prompt or model: another picture.
    const others = [
      key(cue('c1', 'neon city!', 3, base.look.params)),
      key(cue('c1', 'neon city', 4, base.look.params)),
      key(cue('c1', 'neon city', 3, { guidance: 1.5, strength: 0.5 })),
      thumbnailKey({ ...base.look, negativePrompt: 'blur' }, MODEL),
      key(base, 'other-model'),
    ];
    expect(new Set([key(base), ...others]).size).toBe(others.length + 1);
  });
});

describe('look keys with inputs', () => {
  const withInput = (c: CueLook, input: LookInput): CueLook => ({ ...c, look: { ...c.look, input } });
  const image = (path: string, fit: LookInput['fit'] = 'fill'): LookInput => ({ source: { kind: 'image', path }, fit });
  it('a cue with another input (source or fit) is another picture; the same input is the same one; text-only keys are unchanged', () => {
    const base = cue('c1', 'neon city', 3, { strength: 0.6 });
    const keys = [
      key(base),
      key(withInput(base, image('plates/a.png'))),
      key(withInput(base, image('plates/b.png'))),
      key(withInput(base, image('plates/a.png', 'crop'))),
      key(withInput(base, { source: { kind: 'ndi', name: 'CAM (1)' }, fit: 'fill' })),
      key(withInput(base, { source: { kind: 'program' }, fit: 'fill' })),
    ];
    expect(new Set(keys).size).toBe(keys.length);
    expect(key(withInput(cue('c2', 'neon city', 3, { strength: 0.6 }), image('plates/a.png')))).toBe(keys[1]);
    // The key of a text-only look is the one it had before inputs existed (thumbnails kept by consoles stay valid).
    // (b4bd0fe2450551cf: this look's key as computed before looks had inputs.)
    expect(keys[0]).toBe('b4bd0fe2450551cf');
  });

  it('the cache renders a cue again when only its input changed, and hands the renderer the resolved image path', () => {
    const cache = new ThumbnailCache((target) =>
      target.input?.source.kind === 'image' ? { ...target, input: { ...target.input, source: { kind: 'image', path: `/show/${target.input.source.path}` } } } : target,
    );
    const a = withInput(cue('c1', 'moss', 1, { strength: 0.6 }), image('a.png'));
    expect(cache.sync([a], MODEL).render.map((j) => j.look.input?.source)).toEqual([{ kind: 'image', path: '/show/a.png' }]);
    cache.store(key(a), picture);
    const b = withInput(cue('c1', 'moss', 1, { strength: 0.6 }), image('b.png'));
    const plan = cache.sync([b], MODEL);
    expect(plan.render.map((j) => j.key)).toEqual([key(b)]);
    expect(cache.messages()).toEqual([]);
  });

  it('a picture made before its input had a frame is provisional: shown, then replaced by the one with the input, never the other way', () => {
    const cache = new ThumbnailCache();
    const c = withInput(cue('c1', 'moss'), image('a.png'));
    cache.sync([c], MODEL);
    const textOnly = new Uint8Array([1]);
    const withPicture = new Uint8Array([2]);
    expect(cache.store(key(c), textOnly, true)).toBe(true);
    expect(cache.messages()).toEqual([textOnly]);
    expect(cache.wants(key(c))).toBe(true);
    expect(cache.store(key(c), withPicture)).toBe(true);
    expect(cache.wants(key(c))).toBe(false);
    // A late text-only render never replaces the picture made with the input.
    expect(cache.store(key(c), textOnly, true)).toBe(false);
    expect(cache.messages()).toEqual([withPicture]);
  });
});

describe('thumbnail cache', () => {
  it('plans every look of a loaded show once, in list order; cues with the same look share one', () => {
    const cache = new ThumbnailCache();
    const show = [cue('c1', 'a'), cue('c2', 'b'), cue('c3', 'a'), cue('c4', 'c')];
    const plan = cache.sync(show, MODEL);
    expect(plan.render.map((j) => j.key)).toEqual([key(show[0]!), key(show[1]!), key(show[3]!)]);
    expect(plan.render[1]!.look).toEqual({ prompt: 'b', seed: 1, params: {} });
    expect(plan.cancel).toEqual([]);
    // The same cue list again (every state publish): nothing.
    expect(cache.sync(show, MODEL)).toEqual({ render: [], cancel: [] });
    // A new array with the same looks (undo to an equal document): nothing either.
    expect(
      cache.sync(
        show.map((c) => ({ ...c })),
        MODEL,
      ),
    ).toEqual({ render: [], cancel: [] });
  });

  it('an unchanged cue is never re-rendered; an edited cue is, and its old look is cancelled or dropped', () => {
    const cache = new ThumbnailCache();
    const show = [cue('c1', 'a'), cue('c2', 'b'), cue('c3', 'c')];
    cache.sync(show, MODEL);
    expect(cache.store(key(show[0]!), picture)).toBe(true);
    expect(cache.store(key(show[1]!), picture)).toBe(true);
    // c3 is still rendering when c2 and c3 are edited.
    const edited = [show[0]!, cue('c2', 'b2'), cue('c3', 'c2')];
    const plan = cache.sync(edited, MODEL);
    expect(plan.render.map((j) => j.key)).toEqual([key(edited[1]!), key(edited[2]!)]);
    expect(plan.cancel).toEqual([key(show[2]!)]); // not rendered yet: cancel it
    expect(cache.messages()).toHaveLength(1); // c2's old picture is dropped
    // c3's old look finishes anyway (it was in flight): not kept.
    expect(cache.wants(key(show[2]!))).toBe(false);
    expect(cache.store(key(show[2]!), picture)).toBe(false);
    expect(cache.missing().map((j) => j.key)).toEqual([key(edited[1]!), key(edited[2]!)]);
  });

  it('deleting a cue drops its picture unless another cue has the same look', () => {
    const cache = new ThumbnailCache();
    const show = [cue('c1', 'a'), cue('c2', 'b'), cue('c3', 'b')];
    cache.sync(show, MODEL);
    cache.store(key(show[0]!), picture);
    cache.store(key(show[1]!), picture);
    expect(cache.sync([show[0]!, show[2]!], MODEL)).toEqual({ render: [], cancel: [] });
    expect(cache.size).toBe(2); // c3 still shows 'b'
    cache.sync([show[0]!], MODEL);
    expect(cache.size).toBe(1);
    // Undo brings 'b' back: rendered again (the cache holds only the current list's pictures).
    expect(cache.sync(show, MODEL).render.map((j) => j.key)).toEqual([key(show[1]!)]);
  });

  it('a model switch renders everything again', () => {
    const cache = new ThumbnailCache();
    const show = [cue('c1', 'a'), cue('c2', 'b')];
    cache.sync(show, MODEL);
    for (const c of show) cache.store(key(c), picture);
    const plan = cache.sync(show, 'turbo');
    expect(plan.render.map((j) => j.key)).toEqual(show.map((c) => key(c, 'turbo')));
    expect(cache.size).toBe(0);
  });
});

describe('still queue', () => {
  it('the standby still always goes first, latest wins', () => {
    const queue = new StillQueue<string>();
    queue.addThumbnails([job('t1'), job('t2')]);
    queue.setStandby('standby A');
    queue.setStandby('standby B');
    expect(queue.next(0)).toEqual({ kind: 'standby', request: 'standby B' });
    expect(queue.next(0)).toEqual({ kind: 'thumbnail', job: job('t1') });
    queue.thumbnailDone(10, 10);
    // A standby request during the thumbnails' pause is not paced.
    queue.setStandby('standby C');
    expect(queue.next(11)).toEqual({ kind: 'standby', request: 'standby C' });
    queue.setStandby('withdrawn');
    queue.setStandby(null);
    expect(queue.next(11)).toEqual({ kind: 'wait', untilMs: 10 + 10 * (1 / THUMBNAIL_DUTY - 1) });
  });

  it('thumbnails are paced to the duty cycle', () => {
    const queue = new StillQueue<string>();
    queue.addThumbnails([job('t1'), job('t2'), job('t3')]);
    expect(queue.next(0)).toMatchObject({ kind: 'thumbnail' });
    queue.thumbnailDone(8, 8);
    const pause = 8 * (1 / THUMBNAIL_DUTY - 1);
    expect(queue.next(8)).toEqual({ kind: 'wait', untilMs: 8 + pause });
    expect(queue.next(8 + pause)).toEqual({ kind: 'thumbnail', job: job('t2') });
    expect(queue.waitingThumbnails).toBe(1);
  });

  it('a newer batch goes first (the cue just edited before the rest of a show load); a key is queued once; cancelled keys are skipped', () => {
    const queue = new StillQueue<string>();
    queue.addThumbnails([job('a'), job('b'), job('c'), job('d')]);
    queue.addThumbnails([job('e'), job('c')]);
    queue.cancelThumbnails(['b']);
    const order: string[] = [];
    for (let next = queue.next(0); next.kind === 'thumbnail'; next = queue.next(0)) order.push(next.job.key);
    expect(order).toEqual(['e', 'c', 'a', 'd']);
    expect(queue.next(0)).toEqual({ kind: 'idle' });
  });
});
