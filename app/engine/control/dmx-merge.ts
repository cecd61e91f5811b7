/**
 * Merging DMX from several sources into one universe, as sACN (E1.31) receivers
 * and Art-Net nodes do. Pure: packets and instants are arguments.
 *
 *  - Priority (sACN, 0-200, default 100; Art-Net has none and counts as 100):
 *    only the live sources at the highest priority present take part.
 *  - Among those, each slot merges by its rule: HTP takes the highest level, LTP
 *    the level of the source that changed that slot most recently.
 *  - A source is live until `sourceTimeoutMs` without a packet (E1.31's network
 *    data loss time, 2.5 s), or until it says it terminated (removeSource).
 *  - With no live source the merge holds the last merged levels (loss-of-signal
 *    hold) and says so; nothing jumps to zero.
 */

export interface DmxPacket {
  /** Stable id of the sender: sACN CID, or the Art-Net sender's address. */
  sourceId: string;
  universe: number;
  /** Slot levels; slot 0 is address 1. Up to 512; fewer means the rest are 0. */
  slots: Uint8Array;
  /** sACN priority 0-200; absent = 100. */
  priority?: number;
}

export interface DmxMergeOptions {
  universe: number;
  /** Merge rule per slot (512 entries). */
  rules: readonly ('HTP' | 'LTP')[];
  /** Default 2500 ms (E1.31 network data loss). */
  sourceTimeoutMs?: number;
}

export type DmxReceiveResult = { accepted: true } | { accepted: false; reason: string };

interface Source {
  slots: Uint8Array;
  changedAt: Float64Array;
  priority: number;
  lastSeenMs: number;
  /** Join order, to break LTP ties deterministically (the later joiner wins a tie). */
  seq: number;
}

export const DEFAULT_PRIORITY = 100;

export class DmxMerger {
  private readonly universe: number;
  private readonly rules: readonly ('HTP' | 'LTP')[];
  private readonly timeoutMs: number;
  private readonly sources = new Map<string, Source>();
  private held = new Uint8Array(512);
  private seq = 0;
  private everLive = false;

  constructor(options: DmxMergeOptions) {
    if (options.rules.length !== 512) throw new RangeError(`DMX merge needs 512 slot rules, got ${options.rules.length}`);
    this.universe = options.universe;
    this.rules = options.rules;
    this.timeoutMs = options.sourceTimeoutMs ?? 2500;
  }

  receive(packet: DmxPacket, nowMs: number): DmxReceiveResult {
    if (packet.universe !== this.universe) return { accepted: false, reason: `universe ${packet.universe}, listening on ${this.universe}` };
    if (!(packet.slots instanceof Uint8Array) || packet.slots.length > 512) {
      return { accepted: false, reason: `DMX packet with ${packet.slots?.length ?? 'no'} slots (at most 512)` };
    }
    const priority = packet.priority ?? DEFAULT_PRIORITY;
    if (!Number.isInteger(priority) || priority < 0 || priority > 200) return { accepted: false, reason: `sACN priority ${priority} is out of range 0-200` };
    let s = this.sources.get(packet.sourceId);
    const slots = new Uint8Array(512);
    slots.set(packet.slots);
    if (!s) {
      s = { slots, changedAt: new Float64Array(512).fill(nowMs), priority, lastSeenMs: nowMs, seq: ++this.seq };
      this.sources.set(packet.sourceId, s);
    } else {
      for (let i = 0; i < 512; i++) if (slots[i] !== s.slots[i]) s.changedAt[i] = nowMs;
      s.slots = slots;
      s.priority = priority;
      s.lastSeenMs = nowMs;
    }
    this.everLive = true;
    return { accepted: true };
  }

  /** A source that said it stopped (sACN stream-terminated option) leaves at once. */
  removeSource(sourceId: string): void {
    this.sources.delete(sourceId);
  }

  /** Live source ids at `nowMs` (timed-out ones are dropped). */
  liveSources(nowMs: number): string[] {
    for (const [id, s] of this.sources) if (nowMs - s.lastSeenMs > this.timeoutMs) this.sources.delete(id);
    return [...this.sources.keys()];
  }

  /** The merged universe at `nowMs`; `live` false = no source, the levels are the held last merge. */
  merged(nowMs: number): { slots: Uint8Array; live: boolean; everLive: boolean } {
    this.liveSources(nowMs);
    if (this.sources.size === 0) return { slots: this.held.slice(), live: false, everLive: this.everLive };
    let top = -1;
    for (const s of this.sources.values()) top = Math.max(top, s.priority);
    const contenders = [...this.sources.values()].filter((s) => s.priority === top);
    const out = new Uint8Array(512);
    for (let i = 0; i < 512; i++) {
      if (this.rules[i] === 'HTP') {
        let v = 0;
        for (const s of contenders) v = Math.max(v, s.slots[i] as number);
        out[i] = v;
      } else {
        let best = contenders[0] as Source;
        for (const s of contenders) {
          const t = s.changedAt[i] as number;
          const bt = best.changedAt[i] as number;
          if (t > bt || (t === bt && s.seq > best.seq)) best = s;
        }
        out[i] = best.slots[i] as number;
      }
    }
    this.held = out;
    return { slots: out.slice(), live: true, everLive: true };
  }
}
