/**
 * A second process on the shared frame ring (tests/integration/shared-frame-ring.test.ts):
 * attaches the ring from fd 4 and answers { read: slot } with the slot's byte sum and
 * first bytes, and { write: slot, value } by filling the slot with the value. Its ring
 * access (mapped or copied) follows CYCLORAMA_SHM, as the inference process's does.
 */
import { SharedFrameRing } from '../../app/engine/generate/shared-frame-ring.js';

const [frameBytes, slotStride, slotCount] = process.argv.slice(2).map(Number) as [number, number, number];
const ring = SharedFrameRing.attach(4, frameBytes, slotStride, slotCount);
process.on('message', (message: { read?: number; write?: number; value?: number }) => {
  if (message.write !== undefined) {
    new Uint8Array(ring.slot(message.write)).fill(message.value ?? 0);
    ring.publish(message.write);
    process.send?.({ wrote: message.write });
  } else if (message.read !== undefined) {
    ring.fetch(message.read);
    const bytes = new Uint8Array(ring.slot(message.read));
    let sum = 0;
    for (const b of bytes) sum += b;
    process.send?.({ slot: message.read, sum, head: [...bytes.subarray(0, 4)] });
  }
});
process.on('disconnect', () => process.exit(0));
process.send?.({ ready: true, access: ring.access });
