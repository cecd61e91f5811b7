/**
 * The encoder process's stdin side (app/engine/recording/ffmpeg-encoder.ts) with `cat`
 * standing in for FFmpeg (a real child process that takes every byte, counted here):
 * a picture is written once per tick it covers, an extended picture needs no copy,
 * and a stop writes what is queued before it closes stdin.
 */
import { describe, expect, it } from 'vitest';
import { FfmpegEncoder } from '../../../../app/engine/recording/ffmpeg-encoder.js';

const FRAME = 64 * 1024;
/** A stand-in for FFmpeg that prints how many bytes it read on stdin. */
const countingCat = () => new FfmpegEncoder({ ffmpegPath: '/bin/sh', args: ['-c', 'wc -c >&2'], frameBytes: FRAME, queueFrames: 2, maxTicksPerFrame: 30 });

describe('FfmpegEncoder stdin (with a stand-in for FFmpeg: sh + wc)', () => {
  it('writes each picture once per tick it covers; extend() adds ticks without a copy; stop() flushes the queue', async () => {
    const encoder = countingCat();
    let copies = 0;
    encoder.offer((into) => (copies++, into.fill(1)));
    expect(encoder.extend(2)).toBe(true);
    encoder.offer((into) => (copies++, into.fill(2)), 3);
    const exit = await encoder.stop();
    expect(exit.clean).toBe(true);
    expect(copies).toBe(2);
    expect(encoder.framesWritten).toBe(6);
    expect(encoder.repeatedFrames).toBe(4);
    expect(Number(exit.stderr.trim())).toBe(6 * FRAME);
  });

  it('extend() beyond the most ticks one picture may cover asks for a copy instead', async () => {
    const encoder = countingCat();
    expect(encoder.extend(1)).toBe(false); // nothing offered yet
    encoder.offer((into) => into.fill(1), 29);
    expect(encoder.extend(5)).toBe(false);
    await encoder.stop();
    expect(encoder.framesWritten).toBe(29);
  });
});
