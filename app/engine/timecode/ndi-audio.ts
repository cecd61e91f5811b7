/**
 * NDI audio, for LTC carried in an NDI source's audio: the three libndi calls the
 * video binding (ndi/libndi.ts) does not declare, bound here through koffi against
 * the same loaded runtime (koffi.load of the path libndi was loaded from returns
 * the library already in the process; nothing is loaded twice).
 *
 *  - NDIlib_recv_capture_v3 with only an audio frame (video and metadata NULL):
 *    NDI audio arrives as 32-bit float, planar (FourCC 'FLTp'), one plane of
 *    `no_samples` per channel, `channel_stride_in_bytes` apart.
 *  - NDIlib_recv_free_audio_v3: every captured frame goes back to libndi.
 *  - NDIlib_send_send_audio_v3: synchronous (the data is copied before it returns),
 *    for senders (the loopback tests' LTC source).
 *
 * Struct layout: NDIlib_audio_frame_v3_t of Processing.NDI.structs.h, SDK 5.x/6.x.
 */
import koffi, { type TypeObject } from 'koffi';
import type { LibNdi, NativePointer } from '../ndi/libndi.js';

/** NDIlib_FourCC_audio_type_FLTP: 'F','L','T','p' little-endian. */
export const FOURCC_AUDIO_FLTP = 0x70544c46;
export const FRAME_TYPE_AUDIO = 2;
/** NDIlib_recv_bandwidth_audio_only: metadata and audio, no video (an LTC receiver needs no pictures). */
export const RECV_BANDWIDTH_AUDIO_ONLY = 10;
const TIMECODE_SYNTHESIZE = 0x7fffffffffffffffn;

export interface AudioFrameV3 {
  sample_rate: number;
  no_channels: number;
  no_samples: number;
  timecode: bigint | number;
  FourCC: number;
  p_data: NativePointer | null;
  channel_stride_in_bytes: number;
  p_metadata: NativePointer | null;
  /** 100 ns units, the instant the sender submitted it (receive only). */
  timestamp: bigint | number;
}

/** One channel of a received audio frame, copied out of libndi's memory. */
export interface ReceivedAudio {
  sampleRate: number;
  channels: number;
  samples: Float32Array;
}

export interface NdiAudio {
  /** The next queued audio frame's `channel` (copied; the frame freed), or null when none is waiting. Throws on a non-float frame. */
  captureChannel(receiver: NativePointer, channel: number, timeoutMs: number): ReceivedAudio | null;
  /** Sends planar float audio: `planes[c]` is channel c, all the same length. */
  send(sender: NativePointer, sampleRate: number, planes: Float32Array[]): void;
}

let frameType: TypeObject | null = null;
const bound = new Map<string, NdiAudio>();

/** The audio calls of the runtime `lib` was loaded from. Throws if the runtime lacks them (NDI before 5). */
export function ndiAudioFor(lib: LibNdi): NdiAudio {
  const existing = bound.get(lib.path);
  if (existing) return existing;
  // Anonymous struct: a name could clash with another binding's declaration of it.
  frameType ??= koffi.struct({
    sample_rate: 'int',
    no_channels: 'int',
    no_samples: 'int',
    timecode: 'int64_t',
    FourCC: 'uint32_t',
    p_data: 'void *',
    channel_stride_in_bytes: 'int',
    p_metadata: 'void *',
    timestamp: 'int64_t',
  });
  const t = frameType;
  const handle = koffi.load(lib.path);
  const capture = handle.func('NDIlib_recv_capture_v3', 'int', ['void *', 'void *', koffi.out(koffi.pointer(t)), 'void *', 'uint32_t']);
  const free = handle.func('NDIlib_recv_free_audio_v3', 'void', ['void *', koffi.pointer(t)]);
  const send = handle.func('NDIlib_send_send_audio_v3', 'void', ['void *', koffi.pointer(t)]);
  const audio: NdiAudio = {
    captureChannel(receiver, channel, timeoutMs) {
      const frame: Partial<AudioFrameV3> = {};
      const type = capture(receiver, null, frame, null, timeoutMs) as number;
      if (type !== FRAME_TYPE_AUDIO) return null;
      const f = frame as AudioFrameV3;
      try {
        if (f.FourCC !== FOURCC_AUDIO_FLTP) throw new Error(`NDI audio arrived as FourCC 0x${f.FourCC.toString(16)}, not planar float`);
        if (!f.p_data || f.no_samples <= 0 || f.no_channels <= 0) return { sampleRate: f.sample_rate, channels: f.no_channels, samples: new Float32Array(0) };
        if (channel >= f.no_channels) throw new Error(`NDI audio has ${f.no_channels} channel(s); LTC was set on channel ${channel + 1}`);
        const stride = f.channel_stride_in_bytes > 0 ? f.channel_stride_in_bytes : f.no_samples * 4;
        const bytes = koffi.view(f.p_data, stride * f.no_channels) as ArrayBuffer;
        return { sampleRate: f.sample_rate, channels: f.no_channels, samples: new Float32Array(bytes, channel * stride, f.no_samples).slice() };
      } finally {
        free(receiver, f);
      }
    },
    send(sender, sampleRate, planes) {
      const n = planes[0]?.length ?? 0;
      const data = new Float32Array(n * planes.length);
      planes.forEach((plane, c) => data.set(plane, c * n));
      send(sender, {
        sample_rate: sampleRate,
        no_channels: planes.length,
        no_samples: n,
        timecode: TIMECODE_SYNTHESIZE,
        FourCC: FOURCC_AUDIO_FLTP,
        p_data: data,
        channel_stride_in_bytes: n * 4,
        p_metadata: null,
        timestamp: 0,
      });
    },
  };
  bound.set(lib.path, audio);
  return audio;
}
