import { describe, expect, it } from 'vitest';
import { encoderArgs } from '../../../../app/engine/recording/encoder-args.js';
import { codecsIn } from '../../../../app/engine/recording/ffmpeg-binary.js';
import { clockText, fileNamePart, freeName, recordingFileName } from '../../../../app/engine/recording/recording-names.js';
import { copyAtLevel } from '../../../../app/engine/recording/recording-sink.js';

const base = { width: 1920, height: 1080, rate: { num: 30000, den: 1001 }, startTimecode: '10:00:00:00', file: '/takes/a.mp4' } as const;
const after = (args: string[], flag: string) => args[args.indexOf(flag) + 1];

describe('FFmpeg command line for a recording', () => {
  it('H.264: raw RGBA on stdin at the exact rate, fragmented MP4 with a keyframe (fragment) a second, the start timecode', () => {
    const args = encoderArgs({ ...base, codec: 'h264-mp4' });
    expect(after(args, '-f')).toBe('rawvideo');
    expect(after(args, '-pix_fmt')).toBe('rgba');
    expect(after(args, '-s')).toBe('1920x1080');
    expect(after(args, '-framerate')).toBe('30000/1001');
    expect(after(args, '-i')).toBe('pipe:0');
    expect(after(args, '-c:v')).toBe('libx264');
    expect(after(args, '-g')).toBe('30');
    expect(after(args, '-movflags')).toBe('+frag_keyframe+empty_moov+default_base_moof');
    expect(after(args, '-timecode')).toBe('10:00:00:00');
    expect(args.at(-1)).toBe('/takes/a.mp4');
    expect(args).not.toContain('-frag_duration');
  });

  it('ProRes: 422 HQ, 10-bit 4:2:2, fragmented MOV cut by duration (every frame is a keyframe)', () => {
    const args = encoderArgs({ ...base, codec: 'prores-mov', file: '/takes/a.mov' });
    expect(after(args, '-c:v')).toBe('prores_ks');
    expect(after(args, '-profile:v')).toBe('3');
    expect(args.slice(args.indexOf('-c:v')).includes('yuv422p10le')).toBe(true);
    expect(after(args, '-frag_duration')).toBe('1000000');
    expect(after(args, '-f')).toBe('rawvideo');
    expect(args[args.lastIndexOf('-f') + 1]).toBe('mov');
  });

  it("an output's crop and size are applied by FFmpeg (in its own process), sizes made even", () => {
    const args = encoderArgs({ ...base, codec: 'h264-mp4', crop: { x: 960, y: 0, width: 960, height: 1080 }, outWidth: 641, outHeight: 721 });
    expect(after(args, '-vf')).toBe('crop=960:1080:960:0,scale=640:720:flags=bilinear');
  });

  it('reads the codecs an `ffmpeg -encoders` listing offers', () => {
    const listing = ' V..... libx264              libx264 H.264\n VFS... prores_ks            Apple ProRes (iCodec Pro)\n V..... mpeg4 MPEG-4';
    expect(codecsIn(listing)).toEqual(['h264-mp4', 'prores-mov']);
    expect(codecsIn(' V..... mpeg4 MPEG-4\n')).toEqual([]);
  });
});

describe('recording file names', () => {
  it('show, cue and start timecode, safe on every file system', () => {
    expect(recordingFileName({ show: 'Gala 2026', cueNumber: '12.5', timecode: '10:00:05:00', extension: 'mp4' })).toBe('Gala-2026_cue-12.5_10-00-05-00.mp4');
    expect(recordingFileName({ show: '../../etc/passwd', cueNumber: null, timecode: '01:02:03;04', extension: 'mov' })).toBe('etc-passwd_01-02-03-04.mov');
    expect(fileNamePart('')).toBe('untitled');
    expect(fileNamePart('x'.repeat(100))).toHaveLength(60);
  });

  it('never replaces a file: name-2, name-3, ...', () => {
    const taken = new Set(['a.mp4', 'a-2.mp4']);
    expect(freeName('a.mp4', (n) => taken.has(n))).toBe('a-3.mp4');
    expect(freeName('b.mp4', (n) => taken.has(n))).toBe('b.mp4');
  });

  it('durations as HH:MM:SS for messages', () => {
    expect(clockText(83_900)).toBe('00:01:23');
    expect(clockText(3_600_000 * 25)).toBe('25:00:00');
  });
});

describe('copyAtLevel (the recording sink copies a frame at the output level)', () => {
  it('copies at 1, scales colour in between, opaque black at 0', () => {
    const from = new Uint8Array([200, 100, 50, 255, 10, 20, 30, 255]);
    const to = new Uint8Array(8);
    copyAtLevel(from, to, 1);
    expect([...to]).toEqual([...from]);
    copyAtLevel(from, to, 0.5);
    expect([...to]).toEqual([100, 50, 25, 255, 5, 10, 15, 255]);
    copyAtLevel(from, to, 0);
    expect([...to]).toEqual([0, 0, 0, 255, 0, 0, 0, 255]);
  });
});
