/**
 * The Timecode panel against the real headless engine: choosing the source, this
 * machine's LTC port (an NDI source that is not there: the panel says it is looking),
 * engaged vs rehearsal, the offset as "timeline 0 at", the rate, and the standby cue's
 * trigger timecode, each checked in the engine's own state over a second connection.
 * (A live signal through the console is covered by tests/integration/timecode-ltc-ndi.test.ts.)
 */
import { connectTestClient } from '../helpers/engine-client.js';
import { expect, openConsole, test } from './fixtures.js';

test('the Timecode panel sets the chase, the LTC port and a cue trigger; the state follows', async ({ page, engine }) => {
  await openConsole(page, engine);
  const client = await connectTestClient(`${engine.url.replace(/^http/, 'ws')}ws`);
  try {
    const panel = page.getByTestId('timecode-panel');
    await expect(panel.getByTestId('timecode-display')).toHaveText('Internal clock');
    // Named once: the facts line does not repeat the display (the select's option is not shown text).
    await expect(panel.getByTestId('timecode-source')).toHaveCount(0);

    await panel.getByTestId('timecode-source-select').selectOption('ltc');
    await expect(panel.getByTestId('timecode-display')).toHaveText('--:--:--:--');
    await expect(panel.getByTestId('timecode-source')).toHaveText('LTC');
    await expect(panel.getByTestId('timecode-lock')).toHaveText('No timecode');
    await expect(panel.getByTestId('timecode-mode')).toHaveText('Rehearsal: timecode ignored');

    const source = `nowhere-ltc-${Date.now()}`;
    await panel.getByTestId('timecode-ltc-source').fill(source);
    await panel.getByTestId('timecode-ltc-source').press('Enter');
    await expect(panel).toContainText(`Looking for NDI source "${source}"`);
    await expect(panel.getByTestId('timecode-counters')).toContainText(`${source} (waiting)`);
    await client.waitFor(() => client.latestState().timecode?.inputs.ltc?.from === 'ndi');

    await panel.getByTestId('timecode-engage').click();
    await expect(panel.getByTestId('timecode-engage')).toHaveAttribute('aria-pressed', 'true');
    await expect(panel.getByTestId('timecode-mode')).toHaveText('Engaged, waiting for lock');

    await panel.getByTestId('timecode-offset').fill('10:00:00:00');
    await panel.getByTestId('timecode-offset').press('Enter');
    await expect(panel).toContainText('-36000000 ms');
    await panel.getByTestId('timecode-rate-select').selectOption('29.97nd');
    await client.waitFor(() => {
      const settings = client.latestState().show?.document.settings.timecode;
      return settings?.source === 'ltc' && settings.engaged && settings.offsetMs === -36_000_000 && settings.rate === '29.97nd';
    });

    // A cue on standby: its trigger timecode is set from the panel; a malformed one is refused in words.
    // (+ Cue adds the cue at once, from an empty prompt; nothing goes live.)
    await page.getByTestId('cue-add').click();
    await client.waitFor(() => (client.latestState().show?.document.cues.length ?? 0) === 1);
    const trigger = panel.getByTestId('timecode-trigger');
    await trigger.fill('10:00:5');
    await trigger.press('Enter');
    await expect(panel).toContainText('is not a timecode');
    await trigger.fill('10:00:05:00');
    await trigger.press('Enter');
    await client.waitFor(() => client.latestState().show?.document.cues[0]?.triggerTimecode === '10:00:05:00');
    await expect(panel).not.toContainText('is not a timecode');
  } finally {
    client.close();
  }
});
