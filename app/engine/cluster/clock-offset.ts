/**
 * A node's clock offset from clockProbe round trips (contract/cluster.ts): the
 * director reads its realtime clock before (t0) and after (t1) each probe, the node
 * answers with its realtime clock when it read the probe. Assuming the reply took
 * as long as the request, the node read its clock at (t0 + t1) / 2 on the
 * director's clock, so offset = node realtime - (t0 + t1) / 2, with an error of at
 * most half the round trip. The sample with the smallest round trip has the least
 * queueing in it, so it is the one used (the NTP rule). A check of what PTP/NTP
 * say, never a replacement for them.
 */

/** One probe: director realtime ms before sending and after the reply, and the node's realtime ms in its reply. */
export interface ClockSample {
  t0: number;
  t1: number;
  nodeRealtimeMs: number;
}

export interface ClockEstimate {
  /** node realtime - director realtime, ms. */
  offsetMs: number;
  /** The round trip of the sample used, ms. */
  rttMs: number;
  /** Half that round trip: the one-way link latency, and the bound on the offset's error, ms. */
  latencyMs: number;
}

/** The minimum-round-trip sample's offset; null without samples. */
export function estimateClock(samples: readonly ClockSample[]): ClockEstimate | null {
  let best: ClockSample | null = null;
  for (const sample of samples) if (!best || sample.t1 - sample.t0 < best.t1 - best.t0) best = sample;
  if (!best) return null;
  const rttMs = Math.max(0, best.t1 - best.t0);
  return { offsetMs: best.nodeRealtimeMs - (best.t0 + best.t1) / 2, rttMs, latencyMs: rttMs / 2 };
}

/**
 * Whether a node's clock would move a cue by a frame: its offset is beyond half the frame
 * period even after allowing for the estimate's own error (half the round trip), so a
 * loaded link's asymmetry alone never flags a node.
 */
export function beyondHalfFrame(estimate: ClockEstimate, framePeriodMs: number): boolean {
  return Math.abs(estimate.offsetMs) - estimate.latencyMs > framePeriodMs / 2;
}

/** Fewest frame periods an action is scheduled ahead, whatever the links. */
export const MIN_LEAD_PERIODS = 3;
/** Margin on top of the slowest link's round trip for the engine's own turn on each side, ms. */
export const LEAD_MARGIN_MS = 20;

/**
 * How far ahead an action is scheduled, ms: a whole number of frame periods, at least
 * MIN_LEAD_PERIODS, and more than the slowest link's round trip (a resend may need one) plus margin,
 * so every node has the action before its instant.
 */
export function scheduleLeadMs(framePeriodMs: number, linkRttsMs: readonly number[]): number {
  const slowest = linkRttsMs.reduce((max, rtt) => Math.max(max, rtt), 0);
  const periods = Math.max(MIN_LEAD_PERIODS, Math.ceil((slowest + LEAD_MARGIN_MS) / framePeriodMs) + 1);
  return periods * framePeriodMs;
}
