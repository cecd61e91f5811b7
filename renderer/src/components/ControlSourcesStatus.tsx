/**
 * DMX in and MIDI Show Control in the Remote control panel: what is listening,
 * the signal, the values in force and the counters, from the control status
 * (contract/control-sources.ts). Both are set in the machine's control.json.
 */
import type { ControlSourcesStatus as Status } from '../../../app/contract/control-sources.js';
import type { ControlCounters } from '../../../app/contract/control.js';

const counters = (c: ControlCounters) => `${c.dispatched} commands sent, ${c.rejected} refused, ${c.rateLimited} rate limited`;
const percent = (v: number) => `${Math.round(v * 100)} %`;

export function ControlSourcesStatus({ sources }: { sources: Status | undefined }) {
  const dmx = sources?.dmx ?? null;
  const msc = sources?.msc ?? null;
  return (
    <>
      <span className="model-picker-label">DMX in</span>
      <p className="model-picker-hint" data-testid="dmx-status">
        {dmx
          ? `${dmx.protocol === 'sacn' ? 'sACN' : 'Art-Net'} universe ${dmx.universe}, start address ${dmx.startAddress}, port ${dmx.port}${dmx.iface ? ` on ${dmx.iface}` : ''}: signal ${dmx.signal}${
              dmx.signal === 'lost' ? ' (holding the last values)' : ''
            }. ${dmx.packets.received} packets, ${dmx.packets.corrupt} malformed, ${dmx.packets.wrongUniverse} other universe${dmx.packets.refusedSources ? `, ${dmx.packets.refusedSources} from sources not allowed` : ''}; ${counters(dmx.counters)}.${
              dmx.values
                ? ` Master ${percent(dmx.values.master)}, strength ${percent(dmx.values.strength)}, crossfade ${(dmx.values.crossfadeMs / 1000).toFixed(1)} s, cue select ${dmx.values.cuePosition || 'none'}.`
                : ''
            }`
          : 'Off (enable "dmx" in control.json in the config folder).'}
      </p>
      <span className="model-picker-label">MIDI Show Control</span>
      <p className="model-picker-hint" data-testid="msc-status">
        {msc
          ? msc.open
            ? `MIDI input ${msc.input}, device ${msc.deviceId}: ${msc.messages.received} messages, ${msc.messages.filtered} for other devices, ${msc.messages.malformed} malformed; ${counters(msc.counters)}.`
            : `Not listening: ${msc.problem ?? 'the MIDI input did not open'}`
          : 'Off (enable "msc" in control.json in the config folder).'}
      </p>
    </>
  );
}
