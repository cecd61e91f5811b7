/**
 * Is there a GPU the WebGPU provider could use? On Linux, WebGPU runs over
 * Vulkan, and with no GPU device node it can only find a software rasteriser
 * (Mesa's lavapipe), which is slower than onnxruntime's own CPU provider: the
 * provider list then skips WebGPU, with that reason shown to the operator.
 * Elsewhere (D3D12, Metal) we let onnxruntime try. `--provider webgpu` overrides.
 */
import { existsSync, readdirSync } from 'node:fs';

export function gpuDevicePresent(platform: NodeJS.Platform = process.platform): boolean {
  if (platform !== 'linux') return true;
  if (existsSync('/dev/nvidia0')) return true;
  try {
    return readdirSync('/dev/dri').some((name) => name.startsWith('renderD'));
  } catch {
    return false;
  }
}
