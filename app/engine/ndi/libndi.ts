/**
 * The binding to the NDI(R) SDK's C API (libndi), through koffi (an FFI with
 * prebuilt binaries in its npm package: nothing to compile for NDI to work, and
 * the same code binds libndi.so / libndi.dylib / Processing.NDI.Lib.x64.dll).
 * Only the calls Cyclorama uses are declared: send (video, tally, connections),
 * find and receive (the loopback tests and diagnostics use libndi's own receiver).
 *
 * Struct layouts follow Processing.NDI.structs.h / .Find.h / .Send.h / .Recv.h of
 * SDK 5.x (unchanged in 6.x). Loading and choosing the runtime is runtime.ts's job.
 *
 * Buffer lifetimes: `send_video_async_v2` keeps the pointer it is given until the
 * next send call on that sender (or a NULL flush), so `p_data` must be memory with
 * a stable address that nobody writes meanwhile: NdiFrameSink uses koffi.alloc'd
 * buffers, double-buffered. Never pass a JS typed array there (koffi may hand C a
 * temporary copy that dies when the call returns).
 */
import koffi, { type LibraryHandle, type TypeObject } from 'koffi';

type TypeSpec = string | TypeObject | ReturnType<typeof koffi.out>;

/** 'UYVY' as a little-endian FourCC. */
export const FOURCC_UYVY = 0x59565955;
export const FOURCC_BGRA = 0x41524742;
export const FOURCC_RGBA = 0x41424752;
export const FRAME_FORMAT_PROGRESSIVE = 1;
export const FRAME_TYPE_NONE = 0;
export const FRAME_TYPE_VIDEO = 1;
export const FRAME_TYPE_ERROR = 4;
export const FRAME_TYPE_STATUS_CHANGE = 100;
export const RECV_COLOR_UYVY_BGRA = 1;
export const RECV_COLOR_RGBX_RGBA = 2;
export const RECV_BANDWIDTH_HIGHEST = 100;
/** NDIlib_send_timecode_synthesize: let the SDK make up the timecode. */
export const TIMECODE_SYNTHESIZE = 0x7fffffffffffffffn;

/** An opaque native pointer (koffi External); null for NULL. */
export type NativePointer = object;

export interface NdiSource {
  name: string;
  url: string | null;
}

/** NDIlib_video_frame_v2_t as koffi reads/writes it. int64 fields as bigint. */
export interface VideoFrameV2 {
  xres: number;
  yres: number;
  FourCC: number;
  frame_rate_N: number;
  frame_rate_D: number;
  picture_aspect_ratio: number;
  frame_format_type: number;
  timecode: bigint | number;
  p_data: NativePointer | null;
  line_stride_in_bytes: number;
  p_metadata: NativePointer | null;
  timestamp: bigint | number;
}

let types: ReturnType<typeof declareTypes> | null = null;

function declareTypes() {
  const source = koffi.struct('NDIlib_source_t', {
    p_ndi_name: 'const char *',
    p_url_address: 'const char *',
  });
  const videoFrame = koffi.struct('NDIlib_video_frame_v2_t', {
    xres: 'int',
    yres: 'int',
    FourCC: 'uint32_t',
    frame_rate_N: 'int',
    frame_rate_D: 'int',
    picture_aspect_ratio: 'float',
    frame_format_type: 'int',
    timecode: 'int64_t',
    // void*, not uint8_t*: koffi then passes and returns the raw pointer as is.
    p_data: 'void *',
    line_stride_in_bytes: 'int',
    p_metadata: 'void *',
    timestamp: 'int64_t',
  });
  const tally = koffi.struct('NDIlib_tally_t', { on_program: 'bool', on_preview: 'bool' });
  const findCreate = koffi.struct('NDIlib_find_create_t', {
    show_local_sources: 'bool',
    p_groups: 'const char *',
    p_extra_ips: 'const char *',
  });
  const sendCreate = koffi.struct('NDIlib_send_create_t', {
    p_ndi_name: 'const char *',
    p_groups: 'const char *',
    clock_video: 'bool',
    clock_audio: 'bool',
  });
  const recvCreate = koffi.struct('NDIlib_recv_create_v3_t', {
    source_to_connect_to: source,
    color_format: 'int',
    bandwidth: 'int',
    allow_video_fields: 'bool',
    p_ndi_recv_name: 'const char *',
  });
  const recvPerformance = koffi.struct('NDIlib_recv_performance_t', {
    video_frames: 'int64_t',
    audio_frames: 'int64_t',
    metadata_frames: 'int64_t',
  });
  return { source, videoFrame, tally, findCreate, sendCreate, recvCreate, recvPerformance };
}

/** The libndi calls Cyclorama uses, typed. Instances are opaque pointers. */
export interface LibNdi {
  readonly path: string;
  initialize(): boolean;
  version(): string;
  isSupportedCpu(): boolean;
  sendCreate(settings: { p_ndi_name: string; p_groups: string | null; clock_video: boolean; clock_audio: boolean }): NativePointer | null;
  sendDestroy(sender: NativePointer): void;
  /** Async: libndi keeps `p_data` until the next send call on this sender. `null` flushes. */
  sendVideoAsync(sender: NativePointer, frame: VideoFrameV2 | null): void;
  /**
   * The same call made on a libuv worker thread (koffi async): libndi's send blocks
   * while the previous frame is still being encoded (backpressure, up to ~100 ms on a
   * busy machine), and that must not stall the output clocks. Arguments are
   * marshalled before it returns; `done` runs on the JS thread when the call returned.
   */
  sendVideoAsyncOffThread(sender: NativePointer, frame: VideoFrameV2, done: (error: unknown) => void): void;
  sendVideo(sender: NativePointer, frame: VideoFrameV2): void;
  sendGetNoConnections(sender: NativePointer, timeoutMs: number): number;
  sendGetTally(sender: NativePointer, tally: { on_program: boolean; on_preview: boolean }, timeoutMs: number): boolean;
  sendGetSourceName(sender: NativePointer): NdiSource | null;
  findCreate(settings: { show_local_sources: boolean; p_groups: string | null; p_extra_ips: string | null }): NativePointer | null;
  findDestroy(finder: NativePointer): void;
  findWaitForSources(finder: NativePointer, timeoutMs: number): boolean;
  findGetCurrentSources(finder: NativePointer): NdiSource[];
  recvCreate(settings: {
    source_to_connect_to: { p_ndi_name: string | null; p_url_address: string | null };
    color_format: number;
    bandwidth: number;
    allow_video_fields: boolean;
    p_ndi_recv_name: string | null;
  }): NativePointer | null;
  recvDestroy(receiver: NativePointer): void;
  /** Fills `video` when a video frame arrives; returns the frame type. */
  recvCaptureVideo(receiver: NativePointer, video: Partial<VideoFrameV2>, timeoutMs: number): number;
  recvFreeVideo(receiver: NativePointer, video: VideoFrameV2): void;
  recvGetNoConnections(receiver: NativePointer): number;
  recvSetTally(receiver: NativePointer, tally: { on_program: boolean; on_preview: boolean }): boolean;
  /** Frames received and frames dropped (by libndi, network or queue) since the receiver was made. */
  recvGetPerformance(receiver: NativePointer): { totalVideo: number; droppedVideo: number };
  /** Copies `length` bytes from native memory into a new JS buffer. */
  copyOut(pointer: NativePointer, length: number): Uint8Array;
  /** A view on native memory, no copy: valid only while that memory lives (e.g. until recvFreeVideo). */
  view(pointer: NativePointer, length: number): Uint8Array;
  /** A NUL-terminated string in native memory (a frame's p_metadata), copied. */
  readString(pointer: NativePointer): string;
}

/** Binds an already-loaded library. Throws if a symbol is missing (not an NDI 5/6 runtime). */
export function bindLibNdi(path: string, lib: LibraryHandle): LibNdi {
  types ??= declareTypes();
  const t = types;
  const f = (name: string, result: TypeSpec, args: TypeSpec[]) => lib.func(name, result, args);
  const initialize = f('NDIlib_initialize', 'bool', []);
  const version = f('NDIlib_version', 'const char *', []);
  const isSupportedCpu = f('NDIlib_is_supported_CPU', 'bool', []);
  const sendCreate = f('NDIlib_send_create', 'void *', [koffi.pointer(t.sendCreate)]);
  const sendDestroy = f('NDIlib_send_destroy', 'void', ['void *']);
  const sendVideoAsync = f('NDIlib_send_send_video_async_v2', 'void', ['void *', koffi.pointer(t.videoFrame)]);
  const sendVideo = f('NDIlib_send_send_video_v2', 'void', ['void *', koffi.pointer(t.videoFrame)]);
  const sendGetNoConnections = f('NDIlib_send_get_no_connections', 'int', ['void *', 'uint32_t']);
  const sendGetTally = f('NDIlib_send_get_tally', 'bool', ['void *', koffi.out(koffi.pointer(t.tally)), 'uint32_t']);
  const sendGetSourceName = f('NDIlib_send_get_source_name', koffi.pointer(t.source), ['void *']);
  const findCreate = f('NDIlib_find_create_v2', 'void *', [koffi.pointer(t.findCreate)]);
  const findDestroy = f('NDIlib_find_destroy', 'void', ['void *']);
  const findWait = f('NDIlib_find_wait_for_sources', 'bool', ['void *', 'uint32_t']);
  const findGetCurrent = f('NDIlib_find_get_current_sources', 'void *', ['void *', koffi.out(koffi.pointer('uint32_t'))]);
  const recvCreate = f('NDIlib_recv_create_v3', 'void *', [koffi.pointer(t.recvCreate)]);
  const recvDestroy = f('NDIlib_recv_destroy', 'void', ['void *']);
  const recvCapture = f('NDIlib_recv_capture_v2', 'int', ['void *', koffi.out(koffi.pointer(t.videoFrame)), 'void *', 'void *', 'uint32_t']);
  const recvFreeVideo = f('NDIlib_recv_free_video_v2', 'void', ['void *', koffi.pointer(t.videoFrame)]);
  const recvGetNoConnections = f('NDIlib_recv_get_no_connections', 'int', ['void *']);
  const recvSetTally = f('NDIlib_recv_set_tally', 'bool', ['void *', koffi.pointer(t.tally)]);
  const recvGetPerformance = f('NDIlib_recv_get_performance', 'void', ['void *', koffi.out(koffi.pointer(t.recvPerformance)), koffi.out(koffi.pointer(t.recvPerformance))]);

  const decodeSource = (pointer: NativePointer, index = 0): NdiSource => {
    const raw = koffi.decode(pointer, index * t.source.size, t.source) as { p_ndi_name: string | null; p_url_address: string | null };
    return { name: raw.p_ndi_name ?? '', url: raw.p_url_address };
  };

  return {
    path,
    initialize: () => initialize() as boolean,
    version: () => (version() as string | null) ?? 'unknown',
    isSupportedCpu: () => isSupportedCpu() as boolean,
    sendCreate: (settings) => sendCreate(settings) as NativePointer | null,
    sendDestroy: (sender) => sendDestroy(sender),
    sendVideoAsync: (sender, frame) => sendVideoAsync(sender, frame),
    sendVideoAsyncOffThread: (sender, frame, done) => sendVideoAsync.async(sender, frame, (error: unknown) => done(error)),
    sendVideo: (sender, frame) => sendVideo(sender, frame),
    sendGetNoConnections: (sender, timeoutMs) => sendGetNoConnections(sender, timeoutMs) as number,
    sendGetTally: (sender, tally, timeoutMs) => sendGetTally(sender, tally, timeoutMs) as boolean,
    sendGetSourceName: (sender) => {
      const pointer = sendGetSourceName(sender) as NativePointer | null;
      return pointer ? decodeSource(pointer) : null;
    },
    findCreate: (settings) => findCreate(settings) as NativePointer | null,
    findDestroy: (finder) => findDestroy(finder),
    findWaitForSources: (finder, timeoutMs) => findWait(finder, timeoutMs) as boolean,
    findGetCurrentSources: (finder) => {
      const count = [0];
      const pointer = findGetCurrent(finder, count) as NativePointer | null;
      const n = count[0] ?? 0;
      if (!pointer || n === 0) return [];
      return Array.from({ length: n }, (_, i) => decodeSource(pointer, i));
    },
    recvCreate: (settings) => recvCreate(settings) as NativePointer | null,
    recvDestroy: (receiver) => recvDestroy(receiver),
    recvCaptureVideo: (receiver, video, timeoutMs) => recvCapture(receiver, video, null, null, timeoutMs) as number,
    recvFreeVideo: (receiver, video) => recvFreeVideo(receiver, video),
    recvGetNoConnections: (receiver) => recvGetNoConnections(receiver) as number,
    recvSetTally: (receiver, tally) => recvSetTally(receiver, tally) as boolean,
    recvGetPerformance: (receiver) => {
      const total: Record<string, bigint | number> = {};
      const dropped: Record<string, bigint | number> = {};
      recvGetPerformance(receiver, total, dropped);
      return { totalVideo: Number(total.video_frames ?? 0), droppedVideo: Number(dropped.video_frames ?? 0) };
    },
    view: (pointer, length) => new Uint8Array(koffi.view(pointer, length)),
    readString: (pointer) => koffi.decode(pointer, 'char', -1) as string,
    copyOut: (pointer, length) => new Uint8Array(koffi.decode(pointer, koffi.array('uint8_t', length, 'Typed')) as Uint8Array),
  };
}
