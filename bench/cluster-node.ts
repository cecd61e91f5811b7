/**
 * One render node for bench/cluster-phase.ts, in a process of its own: a real engine
 * (the built-in model at 960x540, outputs at 29.97) with one NDI output, and the
 * director link replaced by Node's IPC channel (a stand-in for the WebSocket link: the
 * bench is about the node side's timing, the link only delivers `scheduled` commands).
 * Messages in: { id, command } (a contract command); out: { ready } and { id, reply, lookId }.
 * Args: NDI source name, number of cues to add. Env: CYCLORAMA_TEST_CLOCK_OFFSET_MS as ever.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { commandSchema } from '../app/contract/commands.js';
import { Engine } from '../app/engine/engine.js';

const [name = 'Cyclorama bench node', cueCount = '0'] = process.argv.slice(2);
const dirs = [mkdtempSync(path.join(tmpdir(), 'cyclorama-bench-node-')), mkdtempSync(path.join(tmpdir(), 'cyclorama-bench-node-ndi-'))];
const engine = await Engine.start({
  configDir: dirs[0] as string,
  savedOutputs: false,
  width: 960,
  height: 540,
  rate: { num: 30000, den: 1001 },
  generatorMaxFps: Number(process.env.BENCH_CLUSTER_GENERATOR_FPS ?? 6),
  initialPrompt: 'grey fog over still water',
  ndi: { extraIps: '127.0.0.1', configDir: dirs[1] as string, outputs: [{ name }] },
});
engine.on('log', (line) => console.error(`[${name}] ${line}`));
engine.on('event', (event) => {
  if (event.kind === 'error') console.error(`[${name}] ${event.error.message}`);
});
for (let i = 0; i < Number(cueCount); i++) {
  await engine.dispatch(
    commandSchema.parse({
      type: 'addCue',
      patch: { number: String(i + 1), prompt: i % 2 ? 'deep red dusk over dunes' : 'cold blue glacier at noon', transition: { durationMs: 0, curve: 'linear' } },
    }),
  );
}
process.on('message', (message: { id: number; command: unknown }) => {
  void engine
    .dispatch(commandSchema.parse(message.command))
    .then((reply) => process.send?.({ id: message.id, reply, lookId: engine.state().program.lookId, frameLock: engine.state().frameLock }));
});
process.on('disconnect', () => {
  void engine.stop().then(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
    process.exit(0);
  });
});
process.send?.({ ready: true });
