/**
 * The inference loop's live inputs (app/engine/generate/live-inputs.ts) with the real
 * InputSet: a text-only look never creates the set; a look whose input is the program
 * gets the frame just made back as its picture; a transition resolves from/to at the
 * frame's instant; status rows and a thumbnail go out; a picture in shared memory reaches
 * the pipeline as a plain buffer (onnxruntime refuses SharedArrayBuffer tensors).
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { InputStatus } from '../../../../app/contract/inputs.js';
import type { InputFeed, InputPicture } from '../../../../app/engine/inputs/input-picture.js';
import { LiveInputs } from '../../../../app/engine/generate/live-inputs.js';
import type { FromWorker, WorkerLook } from '../../../../app/engine/generate/worker-protocol.js';

const W = 16;
const H = 8;
type Report = Extract<FromWorker, { type: 'inputs' }>;
const opened: LiveInputs[] = [];
afterEach(() => {
  for (const inputs of opened.splice(0)) inputs.close();
});

function liveInputs(feed?: InputFeed): { inputs: LiveInputs; reports: Report[] } {
  const reports: Report[] = [];
  const inputs = new LiveInputs({ settings: { ndi: {} }, post: (m) => reports.push(m), ...(feed ? { feed } : {}) });
  opened.push(inputs);
  return { inputs, reports };
}

const look = (patch: Partial<WorkerLook> = {}): WorkerLook => ({
  lookId: 1,
  from: null,
  to: { prompt: 'p', seed: 1, input: { source: { kind: 'program' }, fit: 'fill' } },
  transition: { durationMs: 0, curve: 'linear' },
  startedAtMs: 0,
  ...patch,
});

describe('live inputs in the inference loop', () => {
  it('a text-only look gives no picture and opens nothing', () => {
    const { inputs, reports } = liveInputs();
    expect(inputs.pictureFor(look({ to: { prompt: 'p', seed: 1 } }), 0, W, H)).toBeNull();
    inputs.report();
    expect(reports).toEqual([]);
  });

  it('the program as input: the frame just made comes back as the next picture, and a thumbnail reports it', () => {
    const { inputs, reports } = liveInputs();
    const programLook = look();
    expect(inputs.pictureFor(programLook, 0, W, H)).toBeNull(); // no program frame yet: text only
    const frame = new Uint8Array(W * H * 4).fill(90);
    inputs.afterFrame(programLook, frame, W, H);
    const picture = inputs.pictureFor(programLook, 40, W, H);
    expect(picture).not.toBeNull();
    expect([picture!.width, picture!.height]).toEqual([W, H]);
    expect(picture!.rgba[0]).toBe(90);
    expect(picture!.rgba.buffer instanceof SharedArrayBuffer).toBe(false);
    inputs.report();
    expect(reports.at(-1)?.rows.map((r: InputStatus) => [r.key, r.state])).toEqual([['program', 'connected']]);
    expect(reports.at(-1)?.thumbnail?.width).toBe(160);
    inputs.report();
    expect(reports.at(-1)?.thumbnail).toBeNull(); // unchanged picture: no new thumbnail
  });

  it('resolves the transition at the frame instant: from and to inputs with the mix', () => {
    const calls: [string | undefined, string | undefined, number][] = [];
    const feed: InputFeed = {
      pictureFor: (from, to, mix) => (calls.push([from?.source.kind, to?.source.kind, mix]), null),
      noteProgramFrame: () => {},
      status: () => [],
      close: () => {},
    };
    const { inputs } = liveInputs(feed);
    const transition = look({
      from: { prompt: 'a', seed: 1, input: { source: { kind: 'image', path: '/a.png' }, fit: 'fill' } },
      to: { prompt: 'b', seed: 1, input: { source: { kind: 'program' }, fit: 'fill' } },
      transition: { durationMs: 1000, curve: 'linear' },
      startedAtMs: 1000,
    });
    inputs.pictureFor(transition, 1250, W, H);
    inputs.pictureFor(transition, 2500, W, H);
    expect(calls).toEqual([
      ['image', 'program', 0.25],
      [undefined, 'program', 1],
    ]);
  });

  it('a picture in shared memory is handed on as a plain copy, made once per version', () => {
    const shared = new Uint8Array(new SharedArrayBuffer(W * H * 4)).fill(7);
    let version = 1;
    const feed: InputFeed = {
      pictureFor: (): InputPicture => ({ rgba: shared, width: W, height: H, version, receivedAtMs: 0 }),
      noteProgramFrame: () => {},
      status: () => [],
      close: () => {},
    };
    const { inputs } = liveInputs(feed);
    const first = inputs.pictureFor(look(), 0, W, H)!;
    expect(first.rgba.buffer instanceof SharedArrayBuffer).toBe(false);
    expect(first.rgba[5]).toBe(7);
    shared.fill(9); // same version: the copy is not remade
    expect(inputs.pictureFor(look(), 0, W, H)!.rgba[5]).toBe(7);
    version = 2;
    expect(inputs.pictureFor(look(), 0, W, H)!.rgba[5]).toBe(9);
  });
});
