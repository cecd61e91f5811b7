/**
 * bench/ndi.ts's comparison sender, in a child process of its own (grandiose loads its
 * own copy of libndi, which must not share a process with ours): the same 1080p59.94
 * frames, converted by the same RGBA -> UYVY converter into one of three Buffers, sent
 * with grandiose (grandiose-mac, a dev-only dependency; see bench/README.md), paced at
 * the output rate. Prints one line `RESULT {"msPerFrame":..}` (whole-process CPU per
 * frame), or `UNAVAILABLE <why>` when grandiose cannot be loaded here.
 * argv: <frames>
 */
import { rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { uyvyConverter } from '../app/engine/ndi/pixels.js';
import { H, RATE, sourceFrames, W } from './ndi-frames.js';

interface GrandioseSender {
  video(frame: Record<string, unknown>): Promise<void>;
  destroy?(): Promise<void> | void;
}
interface Grandiose {
  /** Resolves with the sender (the typings say it returns one; the addon returns a promise). */
  send(params: { name: string; clockVideo?: boolean; clockAudio?: boolean }): Promise<GrandioseSender> | GrandioseSender;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function main(): Promise<void> {
  const frames = Number(process.argv[2] ?? 600);
  let grandiose: Grandiose;
  try {
    grandiose = createRequire(import.meta.url)('grandiose-mac') as Grandiose;
  } catch (error) {
    console.log(`UNAVAILABLE grandiose-mac cannot be loaded here (${(error as Error).message.split('\n')[0]}); install the dev dependencies (npm ci) to compare`);
    return;
  }
  const { converter } = uyvyConverter();
  const sources = sourceFrames();
  const buffers = [0, 1, 2].map(() => Buffer.alloc(W * H * 2));
  const name = `Cyclorama Bench grandiose ${process.pid}`;
  const sender = await grandiose.send({ name, clockVideo: false, clockAudio: false });
  const periodMs = (RATE.den * 1000) / RATE.num;
  const sendFrame = async (n: number) => {
    const dst = buffers[n % 3] as Buffer;
    converter.convert({ src: sources[n % sources.length] as Uint8Array, srcWidth: W, srcHeight: H, dst, width: W, height: H, stride: W * 2, level: 1, filter: 'bilinear' });
    await sender.video({
      type: 'video',
      xres: W,
      yres: H,
      frameRateN: RATE.num,
      frameRateD: RATE.den,
      fourCC: 1498831189, // UYVY
      pictureAspectRatio: W / H,
      frameFormatType: 1, // progressive
      lineStrideBytes: W * 2,
      data: dst,
    });
  };
  for (let n = 0; n < 30; n++) await sendFrame(n); // warm
  await sleep(200);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  for (let n = 0; n < frames; n++) {
    await sendFrame(n + 30);
    const wait = t0 + (n + 1) * periodMs - performance.now();
    if (wait > 0) await sleep(wait);
  }
  const cpu = process.cpuUsage(cpu0);
  const wallS = (performance.now() - t0) / 1000;
  await sender.destroy?.();
  rmSync(`/tmp/NTK_SEND_${name}`, { force: true }); // libndi's marker of this sender
  console.log(`RESULT ${JSON.stringify({ msPerFrame: (cpu.user + cpu.system) / 1000 / frames, fps: frames / wallS })}`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.log(`UNAVAILABLE grandiose-mac failed here: ${(error as Error).message}`);
    process.exit(0);
  },
);
