/**
 * The DMX personality as a GDTF fixture description (DIN SPEC 15800, GDTF 1.1
 * description.xml), generated from CHANNELS so the desk file cannot drift from the
 * code. docs/gdtf/description.xml is this function's output, checked by a test;
 * zip that folder (description.xml at the root) as Cyclorama@12ch.gdtf to import it.
 * Pure: returns a string.
 *
 * Attributes: the master is GDTF's Dimmer; everything else is a generic control
 * attribute (Control1..N) with the function's name as the channel function name,
 * since GDTF has no media-server attributes for cues or prompts.
 */
import { CHANNELS, PERSONALITY_NAME, PERSONALITY_VERSION, type DmxChannelDef } from './dmx-personality.js';

/** Fixed, so the file is reproducible (a GDTF fixture type keeps its id across revisions). */
export const GDTF_FIXTURE_TYPE_ID = '5D2E8C1A-7B3F-4E6A-9C1D-3F0B7A2E6C41';

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

interface GdtfChannel {
  offsets: number[];
  attribute: string;
  name: string;
  defs: DmxChannelDef[];
}

/** Coarse/fine pairs become one 16-bit GDTF channel (Offset="3,4"). */
function gdtfChannels(): GdtfChannel[] {
  const out: GdtfChannel[] = [];
  let control = 0;
  for (const c of CHANNELS) {
    if (c.fn === 'cueSelect16Fine' || c.fn === 'seedFine') {
      const prev = out[out.length - 1] as GdtfChannel;
      prev.offsets.push(c.channel);
      prev.defs.push(c);
      continue;
    }
    const attribute = c.fn === 'master' ? 'Dimmer' : `Control${++control}`;
    const name = c.label.replace(/ \(coarse\)$/, '');
    out.push({ offsets: [c.channel], attribute, name, defs: [c] });
  }
  return out;
}

export function gdtfDescription(): string {
  const channels = gdtfChannels();
  const attrs = channels
    .map((ch) =>
      ch.attribute === 'Dimmer'
        ? `        <Attribute Name="Dimmer" Pretty="Dim" Feature="Dimmer.Dimmer" PhysicalUnit="LuminousIntensity"/>`
        : `        <Attribute Name="${ch.attribute}" Pretty="${esc(ch.name)}" Feature="Control.Control" PhysicalUnit="None"/>`,
    )
    .join('\n');
  const dmx = channels
    .map((ch) => {
      const bytes = ch.offsets.length;
      const max = bytes === 2 ? 65535 : 255;
      const zero = `0/${bytes}`;
      const fnName = `${esc(ch.name)} 1`;
      return [
        `          <DMXChannel DMXBreak="1" Offset="${ch.offsets.join(',')}" Highlight="None" Geometry="Body" InitialFunction="Body_${ch.attribute}.${ch.attribute}.${fnName}">`,
        `            <LogicalChannel Attribute="${ch.attribute}" Snap="No" Master="${ch.attribute === 'Dimmer' ? 'Grand' : 'None'}" MibFade="0" DMXChangeTimeLimit="0">`,
        `              <ChannelFunction Name="${fnName}" Attribute="${ch.attribute}" OriginalAttribute="" DMXFrom="${zero}" Default="${zero}" PhysicalFrom="0" PhysicalTo="${max}" RealFade="0" RealAcceleration="0">`,
        `                <ChannelSet Name="${esc(ch.defs.map((d) => `${d.label}: ${d.values}`).join(' / '))}" DMXFrom="${zero}" WheelSlotIndex="0"/>`,
        `              </ChannelFunction>`,
        `            </LogicalChannel>`,
        `          </DMXChannel>`,
      ].join('\n');
    })
    .join('\n');
  return `<?xml version="1.0" encoding="UTF-8" standalone="no" ?>
<GDTF DataVersion="1.1">
  <FixtureType Name="Cyclorama" ShortName="Cyclorama" LongName="${esc(PERSONALITY_NAME)}" Manufacturer="Cyclorama" Description="Generative LED-wall backdrop server, DMX control personality version ${PERSONALITY_VERSION}" FixtureTypeID="${GDTF_FIXTURE_TYPE_ID}" Thumbnail="" RefFT="" CanHaveChildren="No">
    <AttributeDefinitions>
      <ActivationGroups/>
      <FeatureGroups>
        <FeatureGroup Name="Dimmer" Pretty="Dimmer">
          <Feature Name="Dimmer"/>
        </FeatureGroup>
        <FeatureGroup Name="Control" Pretty="Control">
          <Feature Name="Control"/>
        </FeatureGroup>
      </FeatureGroups>
      <Attributes>
${attrs}
      </Attributes>
    </AttributeDefinitions>
    <Wheels/>
    <PhysicalDescriptions/>
    <Models>
      <Model Name="Body" Length="0.1" Width="0.1" Height="0.1" PrimitiveType="Cube"/>
    </Models>
    <Geometries>
      <Geometry Name="Body" Model="Body" Position="{1,0,0,0}{0,1,0,0}{0,0,1,0}{0,0,0,1}"/>
    </Geometries>
    <DMXModes>
      <DMXMode Name="${CHANNELS.length}ch" Geometry="Body">
        <DMXChannels>
${dmx}
        </DMXChannels>
        <Relations/>
        <FTMacros/>
      </DMXMode>
    </DMXModes>
    <Revisions>
      <Revision Text="Personality version ${PERSONALITY_VERSION}" Date="2026-12-01T00:00:00" UserID="0"/>
    </Revisions>
    <FTPresets/>
    <Protocols/>
  </FixtureType>
</GDTF>
`;
}
