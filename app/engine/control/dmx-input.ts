/**
 * DMX in over the network: sACN (E1.31, the `sacn` library) or Art-Net (the
 * `dmxnet` library) on UDP, into the pure DmxInterpreter. Off unless opened; the
 * engine opens one per enabled protocol and sends the commands it reports through
 * its usual command validation.
 *
 * sACN: multicast membership for the patch universe on `iface` (or the default
 * interface), plus unicast to `port`. Preview packets (options bit 7) are ignored;
 * a stream-terminated packet (bit 6) removes that source at once.
 * Art-Net: dmxnet listens on all interfaces at `port` (it has no bind address); the
 * patch universe is the 15-bit port address (net << 8 | subnet << 4 | universe).
 * The sender's address is taken from the socket, so two Art-Net desks merge HTP/LTP.
 */
import { Receiver as SacnReceiver } from 'sacn';
import { dmxnet as Dmxnet } from 'dmxnet';
import type { RemoteInfo } from 'node:dgram';
import { performance } from 'node:perf_hooks';
import { DmxInterpreter, type DmxStep } from './dmx-interpreter.js';
import type { DmxPatch } from './dmx-personality.js';

export type DmxProtocol = 'sacn' | 'artnet';

export interface DmxInputOptions {
  protocol: DmxProtocol;
  patch: DmxPatch;
  /** UDP port; default 5568 (sACN) / 6454 (Art-Net). */
  port?: number;
  /** sACN: local address of the interface to join multicast on. */
  iface?: string;
  /** Art-Net: source IPs taken; empty or absent = any. */
  allow?: readonly string[];
  cueNumberAt: (position: number) => string | null;
  /** Called when a packet or a tick produced something: commands, changed controls, problems or a signal change. */
  onStep: (step: DmxStep) => void;
  sourceTimeoutMs?: number;
  /** How often loss of signal is checked, ms; default 250. */
  tickMs?: number;
  /** Engine clock, ms; default performance.now. */
  now?: () => number;
}

export interface DmxInputStats {
  /** Packets handed to the interpreter. */
  packets: number;
  /** Packets the library or this module refused (corrupt, wrong start code, out of order, preview). */
  corrupt: number;
  /** Packets for another universe (Art-Net; the sACN library drops them before us). */
  wrongUniverse: number;
  /** Socket errors reported (the input keeps running). */
  socketErrors: number;
  /** Art-Net packets from a source outside the allow list. */
  refusedSources: number;
}

export interface DmxInput {
  readonly protocol: DmxProtocol;
  readonly interpreter: DmxInterpreter;
  readonly stats: Readonly<DmxInputStats>;
  close(): Promise<void>;
}

const isEmpty = (s: DmxStep) => s.commands.length === 0 && s.problems.length === 0 && Object.keys(s.controls).length === 0;

export async function openDmxInput(options: DmxInputOptions): Promise<DmxInput> {
  const now = options.now ?? (() => performance.now());
  const interpreter = new DmxInterpreter({
    patch: options.patch,
    cueNumberAt: options.cueNumberAt,
    ...(options.sourceTimeoutMs !== undefined ? { sourceTimeoutMs: options.sourceTimeoutMs } : {}),
  });
  const stats: DmxInputStats = { packets: 0, corrupt: 0, wrongUniverse: 0, socketErrors: 0, refusedSources: 0 };
  let lastSignal = interpreter.signalState;
  const report = (step: DmxStep) => {
    const signalChanged = step.signal !== lastSignal;
    lastSignal = step.signal;
    if (!isEmpty(step) || signalChanged) options.onStep(step);
  };
  const problem = (text: string) => report({ commands: [], controls: {}, problems: [text], signal: interpreter.signalState });

  const closeSocket =
    options.protocol === 'sacn' ? await openSacn(options, interpreter, stats, report, problem, now) : await openArtNet(options, interpreter, stats, report, problem, now);
  const timer = setInterval(() => report(interpreter.tick(now())), options.tickMs ?? 250);
  timer.unref();
  return {
    protocol: options.protocol,
    interpreter,
    stats,
    close: async () => {
      clearInterval(timer);
      await closeSocket();
    },
  };
}

type Report = (step: DmxStep) => void;

async function openSacn(o: DmxInputOptions, interpreter: DmxInterpreter, stats: DmxInputStats, report: Report, problem: (t: string) => void, now: () => number) {
  const universe = o.patch.universe;
  if (universe < 1 || universe > 63999) throw new RangeError(`sACN universe ${universe} is out of range 1-63999`);
  const receiver = new SacnReceiver({ universes: [universe], port: o.port ?? 5568, reuseAddr: true, ...(o.iface ? { iface: o.iface } : {}) });
  receiver.on('packet', (packet) => {
    const slots = packet.payloadAsBuffer;
    // E1.31 options: bit 7 preview data (not for live output), bit 6 stream terminated.
    if (packet.options & 0x80 || slots === null) {
      stats.corrupt++;
      return;
    }
    const sourceId = packet.cid.toString('hex');
    if (packet.options & 0x40) {
      report(interpreter.removeSource(sourceId, now()));
      return;
    }
    stats.packets++;
    report(interpreter.receive({ sourceId, universe: packet.universe, slots: new Uint8Array(slots), priority: packet.priority }, now()));
  });
  const corrupt = (err: Error) => {
    stats.corrupt++;
    problem(`sACN packet refused: ${err.message.split('\n')[0]}`);
  };
  receiver.on('PacketCorruption', corrupt);
  receiver.on('PacketOutOfOrder', corrupt);
  receiver.on('error', (err) => {
    stats.socketErrors++;
    problem(`sACN socket: ${err.message}`);
  });
  // The library binds asynchronously; wait for it so a caller can send at once.
  const socket = (receiver as unknown as { socket: import('node:dgram').Socket }).socket;
  await new Promise<void>((resolve, reject) => {
    socket.once('listening', () => resolve());
    socket.once('error', reject);
  });
  return () => new Promise<void>((resolve) => receiver.close(() => resolve()));
}

async function openArtNet(o: DmxInputOptions, interpreter: DmxInterpreter, stats: DmxInputStats, report: Report, problem: (t: string) => void, now: () => number) {
  const address = o.patch.universe;
  if (address > 0x7fff) throw new RangeError(`Art-Net port address ${address} is out of range 0-32767`);
  // dmxnet starts a controller-poll setInterval in its constructor and keeps no handle
  // (it has no close()); catch that handle so close() can clear it and the process can exit.
  const libTimers: ReturnType<typeof setInterval>[] = [];
  const realSetInterval = globalThis.setInterval;
  globalThis.setInterval = ((...args: Parameters<typeof setInterval>) => {
    const handle = realSetInterval(...args);
    libTimers.push(handle);
    return handle;
  }) as typeof setInterval;
  let lib: Dmxnet;
  try {
    lib = new Dmxnet({ listen: o.port ?? 6454, log: { level: 'error' }, sName: 'Cyclorama', lName: 'Cyclorama DMX input' });
  } finally {
    globalThis.setInterval = realSetInterval;
  }
  // dmxnet throws from its socket error handler (an uncaught exception); report instead, keep running.
  lib.listener4.removeAllListeners('error');
  lib.listener4.on('error', (err: Error) => {
    stats.socketErrors++;
    problem(`Art-Net socket: ${err.message}`);
  });
  // The receiver's 'data' event has no sender address; note it from the socket first (same tick).
  let source: RemoteInfo | null = null;
  let refuseNext = false;
  /** Slots the last ArtDmx said it carries (dmxnet hands over everything after the header). */
  let slotCount = 512;
  lib.listener4.prependListener('message', (msg: Buffer, rinfo: RemoteInfo) => {
    source = rinfo;
    refuseNext = false;
    const refuse = (why: string) => {
      stats.corrupt++;
      refuseNext = true;
      problem(`Art-Net packet refused from ${rinfo.address}: ${why}`);
    };
    if (o.allow && o.allow.length > 0 && !o.allow.includes(rinfo.address)) {
      stats.refusedSources++;
      refuseNext = true;
      return;
    }
    if (msg.length < 10 || msg.toString('latin1', 0, 8) !== 'Art-Net\0') return refuse(`not an Art-Net packet (${msg.length} bytes)`);
    if (msg.readUInt16LE(8) !== 0x5000) return; // ArtPoll and others: dmxnet's business
    if (msg.length < 18) return refuse(`ArtDmx header cut short (${msg.length} bytes)`);
    if (msg.readUInt16LE(14) !== address) {
      stats.wrongUniverse++;
      return;
    }
    // dmxnet does not check these: protocol version 14+, data length 2-512 and even, and all of it present.
    const length = msg.readUInt16BE(16);
    if (msg.readUInt16BE(10) < 14) return refuse(`protocol version ${msg.readUInt16BE(10)} (Art-Net needs 14 or later)`);
    if (length < 2 || length > 512 || length % 2 !== 0) return refuse(`ArtDmx length ${length} (must be an even number 2-512)`);
    if (msg.length < 18 + length) return refuse(`ArtDmx says ${length} slots but carries ${msg.length - 18}`);
    slotCount = length;
  });
  const receiver = lib.newReceiver({ net: (address >> 8) & 0x7f, subnet: (address >> 4) & 0x0f, universe: address & 0x0f });
  receiver.on('data', (data: number[]) => {
    if (refuseNext) return;
    const from = source ? `${source.address}:${source.port}` : 'unknown';
    stats.packets++;
    report(interpreter.receive({ sourceId: from, universe: address, slots: Uint8Array.from(data.slice(0, slotCount)) }, now()));
  });
  await new Promise<void>((resolve) => {
    const ready = () => resolve();
    const bound = (() => {
      try {
        return lib.listener4.address() !== null;
      } catch {
        return false;
      }
    })();
    if (bound) ready();
    else lib.listener4.once('listening', ready);
  });
  return async () => {
    // dmxnet has no close(): its timer and sockets are closed here.
    for (const t of libTimers) clearInterval(t);
    await Promise.all([new Promise<void>((r) => lib.listener4.close(() => r())), new Promise<void>((r) => lib.socket.close(() => r()))]);
  };
}
