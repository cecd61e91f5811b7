/**
 * The Record panel against the real headless engine (the built-in model at its native
 * 1080p, the shipped FFmpeg): choose a folder, record, watch the duration grow live,
 * stop, and find the file on disk, read back by Debian's ffprobe. A folder that does
 * not exist is refused in the engine's words.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { connectTestClient } from '../helpers/engine-client.js';
import { ffprobe } from '../helpers/ffprobe.js';
import { expect, openConsole, test } from './fixtures.js';

test('the Record panel starts a recording, shows its duration growing, stops it, and the file plays', async ({ page, engine }) => {
  const folder = mkdtempSync(path.join(tmpdir(), 'cyclorama-e2e-record-'));
  await openConsole(page, engine);
  const client = await connectTestClient(`${engine.url.replace(/^http/, 'ws')}ws`);
  try {
    const panel = page.getByTestId('record-panel');
    // The hello comes first, then the state with the encoder found (a child process run at start).
    await client.waitFor(() => client.events.some((e) => (e.kind === 'state' || e.kind === 'hello') && e.state.recording?.encoder.available), 30_000);
    await expect(panel.getByTestId('record-start')).toBeEnabled();

    await panel.getByTestId('record-folder').fill(path.join(folder, 'missing'));
    await panel.getByTestId('record-start').click();
    await expect(panel.getByTestId('record-error')).toContainText('does not exist: create it or choose another');

    await panel.getByTestId('record-folder').fill(folder);
    await panel.getByTestId('record-codec').selectOption('h264-mp4');
    await panel.getByTestId('record-start').click();
    await expect(panel.getByTestId('record-live')).toBeVisible({ timeout: 20_000 });
    await expect(panel.getByTestId('record-disk')).not.toHaveText('Disk free: –');
    // The duration grows live (the state's counters, published twice a second).
    await expect(panel.getByTestId('record-duration')).not.toHaveText('00:00:00', { timeout: 30_000 });
    await expect(panel.getByTestId('record-duration')).not.toHaveText(/^00:00:0[01]$/, { timeout: 30_000 });
    await expect(panel.getByTestId('record-size')).not.toHaveText('0 kB');

    await panel.getByTestId('record-stop').click();
    await expect(panel.getByTestId('record-last')).toContainText('Recorded "', { timeout: 30_000 });
    const last = client.latestState().recording?.last;
    expect(last?.reason).toBe('stopped');
    expect(path.dirname(last!.file)).toBe(folder);
    expect(existsSync(last!.file)).toBe(true);
    const probed = ffprobe(last!.file);
    expect(probed.codec).toBe('h264');
    expect([probed.width, probed.height]).toEqual([last!.width, last!.height]);
    expect(probed.frames).toBe(last!.frames);
    expect(probed.frames).toBeGreaterThanOrEqual(2 * 29);
    expect(probed.timecode).toBe(last!.startTimecode);
  } finally {
    client.close();
    rmSync(folder, { recursive: true, force: true });
  }
});
