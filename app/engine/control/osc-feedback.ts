/**
 * OSC feedback: the show's state as OSC values surfaces show (cue names and
 * numbers, panic, fps, prompt), sent when they change to the configured UDP
 * destinations and to every TCP connection, and all at once to a surface that
 * just connected or asked for it.
 */
import type { OscArgInput } from 'osc-min';
import type { EngineState } from '../../contract/state.js';
import { OSC_PREFIX } from './osc-map.js';
import { encodeOscMessage, type OscMessageInput } from './osc-packets.js';

/** A UDP address feedback goes to (CLI: --osc-feedback host:port). */
export interface OscDestination {
  host: string;
  port: number;
}

/** "host:port" -> destination; throws a message for the CLI on anything else. */
export function parseOscDestination(text: string): OscDestination {
  const match = /^(.+):(\d{1,5})$/.exec(text.trim());
  const port = match ? Number(match[2]) : NaN;
  if (!match || !match[1] || port < 1 || port > 65535) throw new Error(`"${text}" is not host:port`);
  return { host: match[1].replace(/^\[(.*)\]$/, '$1'), port };
}

type FeedbackValue = string | number;
/** Feedback sent as OSC floats even when the value is whole. */
const FLOAT_ADDRESSES = new Set([`${OSC_PREFIX}/fps`, `${OSC_PREFIX}/output/fps`]);

/** Where feedback goes: UDP destinations through the UDP socket, and the TCP connections (null = no TCP listener). */
export interface FeedbackRoutes {
  readonly destinations: readonly OscDestination[];
  sendUdp(packet: Uint8Array, to: readonly OscDestination[]): void;
  tcp(): { readonly connectionCount: number; broadcast(packet: Uint8Array): void } | null;
}

export class OscFeedback {
  private readonly lastSent = new Map<string, FeedbackValue>();

  constructor(private readonly routes: FeedbackRoutes) {}

  /**
   * Sends the feedback values that changed since the last send (all of them when
   * `all`) to every UDP destination and TCP connection. `lastSent` is kept current
   * even while nobody listens, so it is always what every listener has last seen.
   */
  send(state: EngineState, all: boolean): void {
    const tcp = this.routes.tcp();
    const listening = this.routes.destinations.length > 0 || (tcp?.connectionCount ?? 0) > 0;
    for (const [address, value] of feedbackValues(state)) {
      if (!all && this.lastSent.get(address) === value) continue;
      this.lastSent.set(address, value);
      if (!listening) continue;
      const packet = encodeOscMessage(feedbackMessage(address, value));
      this.routes.sendUdp(packet, this.routes.destinations);
      tcp?.broadcast(packet);
    }
  }

  /**
   * A connection that just opened (not yet in the broadcast set) gets every value
   * at once, so a surface shows the show's state without waiting for a change:
   * the others are brought up to date first, then it is sent the same values.
   */
  sendAllTo(connection: { send(packet: Uint8Array): void }, state: EngineState): void {
    this.send(state, false);
    for (const [address, value] of this.lastSent) connection.send(encodeOscMessage(feedbackMessage(address, value)));
  }
}

/** One feedback value as an OSC message: strings as `s`, whole numbers as `i`, the rest (and fps) as `f`. */
export function feedbackMessage(address: string, value: FeedbackValue): OscMessageInput {
  const arg: OscArgInput =
    typeof value === 'string' ? { type: 'string', value } : !FLOAT_ADDRESSES.has(address) && Number.isInteger(value) ? { type: 'integer', value } : { type: 'float', value };
  return { address, args: [arg] };
}

/**
 * What surfaces see: cue names and numbers for the standby and current cue, panic
 * state, fps, prompt. Values only change when the show does (fps is rounded to 0.1
 * so it is not sent every half second for noise).
 */
export function feedbackValues(state: EngineState): Map<string, FeedbackValue> {
  const out = new Map<string, FeedbackValue>();
  const cues = state.show?.document.cues ?? [];
  for (const which of ['standby', 'current'] as const) {
    const id = which === 'standby' ? state.show?.standbyCueId : state.show?.currentCueId;
    const cue = id ? cues.find((c) => c.id === id) : undefined;
    out.set(`${OSC_PREFIX}/${which}/id`, cue?.id ?? '');
    out.set(`${OSC_PREFIX}/${which}/number`, cue?.number ?? '');
    out.set(`${OSC_PREFIX}/${which}/name`, cue?.name ?? '');
  }
  out.set(`${OSC_PREFIX}/panic`, state.program.panic);
  out.set(`${OSC_PREFIX}/panic/active`, state.program.panic === 'none' ? 0 : 1);
  out.set(`${OSC_PREFIX}/prompt`, state.program.prompt);
  out.set(`${OSC_PREFIX}/seed`, state.program.seed);
  out.set(`${OSC_PREFIX}/fps`, Math.round(state.stats.modelFps * 10) / 10);
  const preview = state.outputs.find((o) => o.kind === 'preview');
  out.set(`${OSC_PREFIX}/output/fps`, Math.round((preview?.fps ?? 0) * 10) / 10);
  out.set(`${OSC_PREFIX}/timeline/playing`, state.show?.timeline.playing ? 1 : 0);
  out.set(`${OSC_PREFIX}/model`, state.model.name);
  return out;
}
