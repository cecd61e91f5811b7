/**
 * Debian's ffprobe/ffmpeg (scripts/setup-test-machine.sh): the independent tools the
 * recording tests read files with, never the FFmpeg that wrote them.
 */
import { execFileSync } from 'node:child_process';

export interface ProbedVideo {
  codec: string;
  width: number;
  height: number;
  /** "30/1", "30000/1001". */
  rate: string;
  /** Frames decoded by ffprobe (-count_frames). */
  frames: number;
  /** The file's start timecode (tmcd track or tags), or null. */
  timecode: string | null;
  durationS: number;
}

export function ffprobe(file: string): ProbedVideo {
  const out = execFileSync('/usr/bin/ffprobe', ['-v', 'error', '-count_frames', '-show_streams', '-show_format', '-of', 'json', file], {
    encoding: 'utf8',
    maxBuffer: 16 * 1024 * 1024,
  });
  const json = JSON.parse(out) as {
    streams: { codec_type: string; codec_name?: string; width?: number; height?: number; r_frame_rate?: string; nb_read_frames?: string; tags?: Record<string, string> }[];
    format: { duration?: string; tags?: Record<string, string> };
  };
  const video = json.streams.find((s) => s.codec_type === 'video');
  if (!video) throw new Error(`ffprobe found no video stream in ${file}`);
  const timecode = video.tags?.timecode ?? json.streams.find((s) => s.tags?.timecode)?.tags?.timecode ?? json.format.tags?.timecode ?? null;
  return {
    codec: video.codec_name ?? '',
    width: video.width ?? 0,
    height: video.height ?? 0,
    rate: video.r_frame_rate ?? '',
    frames: Number(video.nb_read_frames ?? 0),
    timecode,
    durationS: Number(json.format.duration ?? 0),
  };
}

/** Decodes every frame (Debian's ffmpeg, to raw RGB) and returns each frame's mean [r, g, b]. */
export function decodedFrameMeans(file: string, width: number, height: number): [number, number, number][] {
  const raw = execFileSync('/usr/bin/ffmpeg', ['-v', 'error', '-i', file, '-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1'], { maxBuffer: 1024 * 1024 * 1024 });
  const frameBytes = width * height * 3;
  const means: [number, number, number][] = [];
  for (let offset = 0; offset + frameBytes <= raw.length; offset += frameBytes) means.push(meanRgb(raw.subarray(offset, offset + frameBytes), 3));
  return means;
}

/** Mean [r, g, b] of packed pixels with `stride` bytes each (3 = RGB, 4 = RGBA). */
export function meanRgb(pixels: Uint8Array, stride: number): [number, number, number] {
  let r = 0;
  let g = 0;
  let b = 0;
  const n = Math.floor(pixels.length / stride);
  for (let i = 0; i < n * stride; i += stride) {
    r += pixels[i] as number;
    g += pixels[i + 1] as number;
    b += pixels[i + 2] as number;
  }
  return [r / n, g / n, b / n];
}
