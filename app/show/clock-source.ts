/**
 * The show clock seam. The timeline runs against a *clock mapping*: position =
 * anchorPositionMs + (nowMs - anchorClockMs) * rate while running. The internal
 * transport (play/pause/seek/rate) makes one; an external timecode source (LTC or
 * MTC, engine side) makes another from its latest reading. Pure: `nowMs` and the
 * reading are arguments; nothing here reads a clock or a port.
 *
 * Chase: with an external source selected and `engaged`, the timeline position is
 * the incoming timecode plus `offsetMs` (a show that starts at 10:00:00:00 uses
 * offset -36,000,000). Disengaged (rehearsal), the transport runs free from the
 * internal clock and timecode is ignored; re-engaging jumps back to timecode.
 * When engaged but no timecode arrives (cable pulled), the position holds at the
 * last reading: the wall keeps its look instead of jumping.
 */

import type { ChaseSettings, ClockSourceKind } from '../contract/timecode.js';
import type { TimecodeRate } from './timecode.js';
/** The settings (source, offset, engaged, rate, freewheel) are declared once, in the contract (the show file holds them). */
export type { ChaseSettings, ClockSourceKind };

export const INTERNAL_CLOCK: ChaseSettings = { source: 'internal', offsetMs: 0, engaged: false };

/** The latest timecode an external source decoded, and when (engine clock ms). */
export interface TimecodeReading {
  /** Timecode as ms since 00:00:00:00. */
  timecodeMs: number;
  /** Engine-clock ms at which that timecode was current. */
  atClockMs: number;
  /** Timecode advancing (LTC present and moving) vs. parked. */
  running: boolean;
}

/**
 * What an engine-side timecode reader implements (LTC from an audio input, MTC
 * from a MIDI port). `read` returns the latest reading or null when none has
 * arrived. Implementations read ports; the show logic only ever gets readings.
 */
export interface TimecodeSource {
  readonly kind: Exclude<ClockSourceKind, 'internal'>;
  read(): TimecodeReading | null;
  close(): void;
}

/** A linear map from engine clock to timeline position. */
export interface ClockMapping {
  anchorPositionMs: number;
  anchorClockMs: number;
  /** Timeline ms per clock ms. */
  rate: number;
  playing: boolean;
}

/** The mapping in force: timecode when chasing and engaged with a reading, else the internal transport. */
export function effectiveMapping(transport: ClockMapping, chase: ChaseSettings, reading: TimecodeReading | null): ClockMapping {
  if (chase.source === 'internal' || !chase.engaged || reading === null) return transport;
  return { anchorPositionMs: reading.timecodeMs + chase.offsetMs, anchorClockMs: reading.atClockMs, rate: 1, playing: reading.running };
}

/** Unwrapped position of a mapping at `nowMs` (may be negative or past the end). */
export function rawPosition(mapping: ClockMapping, nowMs: number): number {
  return mapping.playing ? mapping.anchorPositionMs + (nowMs - mapping.anchorClockMs) * mapping.rate : mapping.anchorPositionMs;
}

/**
 * What the engine's chase hands the show each tick: the reading (null before a lock)
 * and the timecode's rate (for cue triggers and the wall log's label; null before any frame).
 */
export interface ChaseInput {
  reading: TimecodeReading | null;
  rate: TimecodeRate | null;
}

export const NO_CHASE_INPUT: ChaseInput = { reading: null, rate: null };

/** True when the show runs on external timecode now: an external source, engaged (not rehearsal), with a reading. */
export function isChasing(chase: ChaseSettings, input: ChaseInput): input is { reading: TimecodeReading; rate: TimecodeRate } {
  return chase.source !== 'internal' && chase.engaged && input.reading !== null && input.rate !== null;
}

/** The incoming timecode (ms since 00:00:00:00, before the offset) a reading says is current at `nowMs`. */
export function readingTimecodeMs(reading: TimecodeReading, nowMs: number): number {
  return reading.running ? reading.timecodeMs + (nowMs - reading.atClockMs) : reading.timecodeMs;
}
