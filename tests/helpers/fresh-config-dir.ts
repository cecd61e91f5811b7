/**
 * Vitest setup file, run before each test file: engines started without an
 * explicit configDir keep recent shows and saved outputs in a fresh folder, never
 * the user's, so a saved rig cannot leak from one test file into another (or from
 * a test into the app on this machine).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';

const dir = mkdtempSync(path.join(os.tmpdir(), 'cyclorama-test-config-'));
process.env.CYCLORAMA_CONFIG_DIR = dir;
afterAll(() => rmSync(dir, { recursive: true, force: true }));
