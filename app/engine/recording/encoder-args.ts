/**
 * FFmpeg's command line for one recording: raw RGBA frames on stdin at the source's
 * rate and size, out to a fragmented file that plays up to its last fragment if the
 * engine or the encoder is killed. Pure: the encoder process (ffmpeg-encoder.ts) runs it.
 */
import type { RecordingCodec } from '../../contract/recording.js';

export interface EncoderInput {
  /** The frames' size on stdin (the source's picture, RGBA8). */
  width: number;
  height: number;
  rate: { num: number; den: number };
  /** Cut from the input first (an output's crop), in input pixels. */
  crop?: { x: number; y: number; width: number; height: number };
  /** The file's size when it differs from the input's (an output's size): FFmpeg scales, in its own process. */
  outWidth?: number;
  outHeight?: number;
  codec: RecordingCodec;
  /** "HH:MM:SS:FF" (";" before the frames for drop-frame): the file's start timecode (a tmcd track). */
  startTimecode: string;
  file: string;
}

/** The file name extension each codec's container uses. */
export const CODEC_EXTENSION: Record<RecordingCodec, string> = { 'h264-mp4': 'mp4', 'prores-mov': 'mov' };

/** The FFmpeg encoder each codec needs (checked against `ffmpeg -encoders`). */
export const CODEC_ENCODER: Record<RecordingCodec, string> = { 'h264-mp4': 'libx264', 'prores-mov': 'prores_ks' };

/** Even sizes: 4:2:0 and 4:2:2 chroma need them (FFmpeg refuses odd widths for yuv420p). */
const even = (n: number) => Math.max(2, Math.floor(n / 2) * 2);

export function encoderArgs(input: EncoderInput): string[] {
  const rate = `${input.rate.num}/${input.rate.den}`;
  const fps = input.rate.num / input.rate.den;
  const filters: string[] = [];
  if (input.crop) filters.push(`crop=${Math.round(input.crop.width)}:${Math.round(input.crop.height)}:${Math.round(input.crop.x)}:${Math.round(input.crop.y)}`);
  const outWidth = even(input.outWidth ?? input.crop?.width ?? input.width);
  const outHeight = even(input.outHeight ?? input.crop?.height ?? input.height);
  filters.push(`scale=${outWidth}:${outHeight}:flags=bilinear`);
  const common = [
    '-hide_banner',
    '-nostdin',
    '-loglevel',
    'error',
    '-f',
    'rawvideo',
    '-pix_fmt',
    'rgba',
    '-s',
    `${input.width}x${input.height}`,
    '-framerate',
    rate,
    '-i',
    'pipe:0',
  ];
  const codec =
    input.codec === 'h264-mp4'
      ? [
          // veryfast keeps a 1080p30 encode within two cores' reach; a keyframe every second is a fragment every second.
          '-c:v',
          'libx264',
          '-preset',
          'veryfast',
          '-crf',
          '18',
          '-pix_fmt',
          'yuv420p',
          '-g',
          String(Math.max(1, Math.round(fps))),
          '-movflags',
          '+frag_keyframe+empty_moov+default_base_moof',
          '-f',
          'mp4',
        ]
      : [
          // ProRes 422 HQ (profile 3); every frame is a keyframe, so fragments are cut by duration (1 s), not per frame.
          '-c:v',
          'prores_ks',
          '-profile:v',
          '3',
          '-pix_fmt',
          'yuv422p10le',
          '-vendor',
          'apl0',
          '-movflags',
          '+empty_moov+default_base_moof',
          '-frag_duration',
          '1000000',
          '-f',
          'mov',
        ];
  return [...common, '-vf', filters.join(','), '-r', rate, ...codec, '-timecode', input.startTimecode, '-y', input.file];
}
