/**
 * MIDI learn end to end in the real Chromium console, against a real engine built
 * as `serve` runs it, whose MIDI ports are the named stand-in (tests/helpers/
 * midi-stand-in.ts: this machine has no ALSA sequencer, /dev/snd/seq). The operator
 * picks the controller's input and feedback output, presses Learn on GO, the
 * controller sends a note: the mapping is listed; the same note again fires the
 * standby cue. Learn on Panic, remove a mapping. The LED feedback the controller
 * received is checked byte for byte, and control.json holds the mappings.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Command } from '../../app/contract/commands.js';
import { standInMidiPorts } from '../helpers/midi-stand-in.js';
import { expect, openConsole, test } from './fixtures.js';
import { startInProcessEngine } from './in-process-engine.js';

const PAD = 'Stand-in Pad MIDI 1';

test('MIDI learn from the console binds GO and panic, the bound note fires the cue, LED feedback byte for byte (with a stand-in MIDI port)', async ({ page }) => {
  // An engine in this process plus Chromium on a loaded 2-core machine: more than the default 90 s at times.
  test.setTimeout(180_000);
  const midi = standInMidiPorts([PAD], [PAD]);
  const running = await startInProcessEngine({ midiPorts: midi });
  const { engine } = running;
  const leds = () => midi.sent.get(PAD) ?? [];
  const show = () => engine.state().show;
  const send = (command: Command) => engine.dispatch(command);
  try {
    await send({ type: 'addCue', patch: { number: '1', prompt: 'a harbour at dawn' } });
    await send({ type: 'addCue', patch: { number: '2', prompt: 'a forest at night' } });
    const [first, second] = show()!.document.cues;
    await send({ type: 'standby', cueId: first!.id });

    await openConsole(page, running);
    const panel = page.getByTestId('midi-panel');
    await expect(panel).toBeVisible();
    // The stand-in's port is offered; nothing is chosen yet, so learning waits for an input.
    await expect(panel.getByTestId('midi-input').locator('option', { hasText: PAD })).toHaveCount(1, { timeout: 15_000 });
    await expect(panel.getByTestId('midi-learn-go')).toBeDisabled();
    await panel.getByTestId('midi-input').selectOption(PAD);
    await panel.getByTestId('midi-output').selectOption(PAD);
    await panel.getByTestId('midi-ports-apply').click();
    await expect(panel.getByTestId('midi-learn-go')).toBeEnabled({ timeout: 15_000 });
    await expect(panel.getByTestId('midi-problem')).toHaveCount(0);
    expect(midi.openInputs()).toEqual([PAD]);

    // Learn GO: Learn, then the controller's pad (note 60 on channel 1, pressed and released).
    await panel.getByTestId('midi-learn-go').click();
    await expect(panel.getByTestId('midi-learning')).toContainText('Move a control for GO', { timeout: 20_000 });
    midi.inject(PAD, [0x90, 60, 100]);
    midi.inject(PAD, [0x80, 60, 0]);
    const rows = panel.getByTestId('midi-mapping');
    await expect(rows).toHaveCount(1, { timeout: 20_000 });
    await expect(rows.first()).toHaveText(/GO\s*Note 60\s*1\s*Remove/);
    await expect(panel.getByTestId('midi-learning')).toHaveCount(0);
    // Learning moved nothing on the wall.
    expect(show()!.currentCueId).toBeNull();
    // On the learn, every LED once: GO lit, there is a cue on standby.
    await expect.poll(leds, { timeout: 20_000 }).toEqual([[0x90, 60, 127]]);

    // The same pad again: GO fires the standby cue (cue 1); cue 2 comes to standby, GO stays lit (nothing sent).
    midi.inject(PAD, [0x90, 60, 100]);
    midi.inject(PAD, [0x80, 60, 0]);
    await expect.poll(() => show()?.currentCueId, { timeout: 15_000 }).toBe(first!.id);
    await expect.poll(() => show()?.standbyCueId).toBe(second!.id);
    await expect(page.getByTestId('standby-line')).toContainText('2');

    // Learn panic on a pad on channel 2: all LEDs once more (GO lit, panic dark).
    await panel.getByTestId('midi-learn-panic').click();
    await expect(panel.getByTestId('midi-learning')).toContainText('Move a control for Panic', { timeout: 20_000 });
    midi.inject(PAD, [0x91, 61, 127]);
    midi.inject(PAD, [0x81, 61, 0]);
    await expect(rows).toHaveCount(2, { timeout: 20_000 });
    await expect(rows.nth(1)).toHaveText(/Panic\s*Note 61\s*2\s*Remove/);
    await expect.poll(leds, { timeout: 20_000 }).toEqual([
      [0x90, 60, 127],
      [0x90, 60, 127],
      [0x91, 61, 0],
    ]);

    // GO fires cue 2: nothing left on standby, GO goes dark. Then panic: its LED lights.
    midi.inject(PAD, [0x90, 60, 100]);
    await expect.poll(() => show()?.currentCueId, { timeout: 15_000 }).toBe(second!.id);
    await expect.poll(leds, { timeout: 20_000 }).toEqual([
      [0x90, 60, 127],
      [0x90, 60, 127],
      [0x91, 61, 0],
      [0x90, 60, 0],
    ]);
    midi.inject(PAD, [0x91, 61, 127]);
    await expect.poll(() => engine.state().program.panic, { timeout: 15_000 }).toBe('black');
    await expect(page.locator('.console')).toHaveAttribute('data-panic', 'black');
    await expect.poll(leds, { timeout: 20_000 }).toEqual([
      [0x90, 60, 127],
      [0x90, 60, 127],
      [0x91, 61, 0],
      [0x90, 60, 0],
      [0x91, 61, 127],
    ]);

    // The machine's control.json has the ports and both mappings (not the show).
    const saved = JSON.parse(readFileSync(path.join(running.configDir, 'control.json'), 'utf8')) as { midi: unknown };
    expect(saved.midi).toEqual({
      enabled: true,
      input: PAD,
      output: PAD,
      mappings: [
        { kind: 'note', channel: 1, number: 60, action: 'go' },
        { kind: 'note', channel: 2, number: 61, action: 'panic' },
      ],
    });

    // Remove the panic mapping: its LED is turned off, the row goes, the file follows.
    await rows.nth(1).getByTestId('midi-mapping-remove').click();
    await expect(rows).toHaveCount(1);
    await expect.poll(() => leds().at(-1)).toEqual([0x91, 61, 0]);
    const after = JSON.parse(readFileSync(path.join(running.configDir, 'control.json'), 'utf8')) as { midi: { mappings: unknown[] } };
    expect(after.midi.mappings).toEqual([{ kind: 'note', channel: 1, number: 60, action: 'go' }]);
    await page.screenshot({ path: test.info().outputPath('midi-panel.png') });
  } finally {
    await running.stop();
  }
});
