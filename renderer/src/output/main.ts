/**
 * A display output page: /output.html?output=<id> (headless: any browser on the
 * processor's machine; Electron: a borderless full-screen window with the same
 * preload bridge). It subscribes to one display output and draws each frame, as it
 * arrives at the output's own clock, scaled to the window on the GPU (WebGL linear
 * filtering; a 2D canvas where WebGL is unavailable). No console chrome, cursor
 * hidden, click for full screen. When frames stop (engine restarting), the last one
 * stays up: a wall never goes black because the link hiccuped.
 */
import { createEngineConnection, type FrameHeader, type MessageBridge } from '../../../app/contract/index.js';
import { createWebSocketBridge, engineWebSocketUrl } from '../transport.js';
import './output.css';

const params = new URLSearchParams(window.location.search);
const outputId = params.get('output') ?? '';
const canvas = document.getElementById('output') as HTMLCanvasElement;
const notice = document.getElementById('output-notice') as HTMLDivElement;

function chooseBridge(): MessageBridge | null {
  if (window.cycloramaBridge) return window.cycloramaBridge;
  const base = engineWebSocketUrl(window.location);
  if (!base) return null;
  return createWebSocketBridge(`${base}${base.includes('?') ? '&' : '?'}output=${encodeURIComponent(outputId)}`);
}

interface Painter {
  /** Uploads a frame (the view is only valid during the call). */
  upload(header: FrameHeader, rgba: Uint8Array): void;
  draw(): void;
  readonly kind: string;
}

function webglPainter(): Painter | null {
  // preserveDrawingBuffer: the picture stays for screenshots and pixel checks between frames.
  const gl = canvas.getContext('webgl2', { alpha: false, antialias: false, preserveDrawingBuffer: true });
  if (!gl) return null;
  const compile = (type: number, source: string) => {
    const shader = gl.createShader(type)!;
    gl.shaderSource(shader, source);
    gl.compileShader(shader);
    return shader;
  };
  const program = gl.createProgram()!;
  gl.attachShader(
    program,
    compile(
      gl.VERTEX_SHADER,
      `#version 300 es
    in vec2 p; out vec2 uv;
    void main() { uv = vec2(p.x * 0.5 + 0.5, 0.5 - p.y * 0.5); gl_Position = vec4(p, 0.0, 1.0); }`,
    ),
  );
  gl.attachShader(
    program,
    compile(
      gl.FRAGMENT_SHADER,
      `#version 300 es
    precision mediump float; in vec2 uv; uniform sampler2D t; out vec4 color;
    void main() { color = texture(t, uv); }`,
    ),
  );
  gl.linkProgram(program);
  if (!gl.getProgramParameter(program, gl.LINK_STATUS)) return null;
  gl.useProgram(program);
  const buffer = gl.createBuffer();
  gl.bindBuffer(gl.ARRAY_BUFFER, buffer);
  gl.bufferData(gl.ARRAY_BUFFER, new Float32Array([-1, -1, 1, -1, -1, 1, 1, 1]), gl.STATIC_DRAW);
  const location = gl.getAttribLocation(program, 'p');
  gl.enableVertexAttribArray(location);
  gl.vertexAttribPointer(location, 2, gl.FLOAT, false, 0, 0);
  const texture = gl.createTexture();
  gl.bindTexture(gl.TEXTURE_2D, texture);
  gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_MIN_FILTER, gl.LINEAR);
  gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_MAG_FILTER, gl.LINEAR);
  gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_WRAP_S, gl.CLAMP_TO_EDGE);
  gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_WRAP_T, gl.CLAMP_TO_EDGE);
  let size = { width: 0, height: 0 };
  return {
    kind: 'webgl2',
    upload(header, rgba) {
      if (header.width !== size.width || header.height !== size.height) {
        gl.texImage2D(gl.TEXTURE_2D, 0, gl.RGBA8, header.width, header.height, 0, gl.RGBA, gl.UNSIGNED_BYTE, rgba);
        size = { width: header.width, height: header.height };
      } else {
        gl.texSubImage2D(gl.TEXTURE_2D, 0, 0, 0, header.width, header.height, gl.RGBA, gl.UNSIGNED_BYTE, rgba);
      }
    },
    draw() {
      gl.viewport(0, 0, canvas.width, canvas.height);
      gl.drawArrays(gl.TRIANGLE_STRIP, 0, 4);
    },
  };
}

function canvas2dPainter(): Painter {
  const ctx = canvas.getContext('2d', { alpha: false })!;
  const staging = document.createElement('canvas');
  const stagingCtx = staging.getContext('2d', { alpha: false })!;
  let image: ImageData | null = null;
  return {
    kind: '2d',
    upload(header, rgba) {
      if (!image || image.width !== header.width || image.height !== header.height) {
        image = new ImageData(header.width, header.height);
        staging.width = header.width;
        staging.height = header.height;
      }
      image.data.set(rgba);
      stagingCtx.putImageData(image, 0, 0);
    },
    draw() {
      ctx.imageSmoothingEnabled = true;
      ctx.imageSmoothingQuality = 'high';
      ctx.drawImage(staging, 0, 0, canvas.width, canvas.height);
    },
  };
}

/** The backing store follows the window in device pixels, so the GPU scales to the display's own resolution. */
function fitCanvas(): void {
  const ratio = window.devicePixelRatio || 1;
  const width = Math.round(window.innerWidth * ratio);
  const height = Math.round(window.innerHeight * ratio);
  if (canvas.width !== width || canvas.height !== height) {
    canvas.width = width;
    canvas.height = height;
  }
}

fitCanvas();
const painter = webglPainter() ?? canvas2dPainter();
document.body.dataset.painter = painter.kind;
let frames = 0;
/** Frames painted (one per animation frame at most, newest wins): what the page showed; the e2e cadence measurement reads it. */
let drawn = 0;
let raf = 0;
let pending = false;
window.addEventListener('resize', () => {
  fitCanvas();
  if (frames > 0) painter.draw();
});
canvas.addEventListener('click', () => void document.documentElement.requestFullscreen?.().catch(() => {}));

const bridge = chooseBridge();
if (!outputId || !bridge) {
  notice.textContent = !outputId ? 'Cyclorama output: no output chosen (add ?output=ID to the address).' : 'Cyclorama output: no engine (open this page from the engine).';
} else {
  const connection = createEngineConnection(bridge);
  connection.onConnectionChange((status) => {
    if (frames === 0) notice.textContent = status === 'open' ? `Cyclorama output ${outputId}: waiting for frames…` : `Cyclorama output ${outputId}: connecting…`;
  });
  connection.onEvent((event) => {
    // Say plainly when the output does not exist (removed, or a typo in the address).
    if ((event.kind === 'state' || event.kind === 'hello') && frames === 0 && !event.state.outputs.some((o) => o.id === outputId)) {
      notice.textContent = `Cyclorama output: there is no output "${outputId}" on this engine.`;
    }
  });
  connection.onOutputFrame((header, rgba) => {
    painter.upload(header, rgba);
    frames++;
    document.body.dataset.frames = String(frames);
    notice.hidden = true;
    if (!pending) {
      pending = true;
      raf = requestAnimationFrame(() => {
        pending = false;
        fitCanvas();
        painter.draw();
        document.body.dataset.drawn = String(++drawn);
      });
    }
  });
  window.addEventListener('beforeunload', () => {
    cancelAnimationFrame(raf);
    connection.close();
  });
}
