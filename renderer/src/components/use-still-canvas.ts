/**
 * A canvas that paints each still of a frame stream as it arrives (the standby
 * still, the input thumbnail): a few a second at most, so each is painted at once,
 * outside React. Returns the canvas ref and the sequence of the still shown (null
 * before the first), to tell "showing" from "waiting".
 */
import { useEffect, useRef, useState } from 'react';
import type { FrameHeader } from '../../../app/contract/index.js';

type FrameListener = (header: FrameHeader, rgba: Uint8Array) => void;

export function useStillCanvas(subscribe: (listener: FrameListener) => () => void) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const [shown, setShown] = useState<number | null>(null);

  useEffect(() => {
    const canvas = canvasRef.current;
    const ctx = canvas?.getContext('2d', { alpha: false });
    if (!canvas || !ctx) return;
    return subscribe((header, rgba) => {
      if (canvas.width !== header.width || canvas.height !== header.height) {
        canvas.width = header.width;
        canvas.height = header.height;
      }
      const image = new ImageData(header.width, header.height);
      image.data.set(rgba);
      ctx.putImageData(image, 0, 0);
      setShown(header.sequence);
    });
  }, [subscribe]);

  return { canvasRef, shown };
}
