/**
 * The contact sheet: a PNG of the show's cues (thumbnail, number, name, prompt) to
 * send a client, drawn in the console's own Chromium with a 2D canvas. Chromium
 * lays out text properly (any script, kerning, the system's fonts), which no
 * pure-JS PNG writer in Node does; the cue thumbnails are already here
 * (thumbnail-store.ts), so the sheet costs the engine nothing.
 *
 * `contactSheetLayout` is pure (tests check it); `drawContactSheet` paints it.
 */
import { THUMBNAIL_HEIGHT, THUMBNAIL_WIDTH } from '../../app/contract/index.js';

/** Tiles per row, and each tile's picture: the 160x90 thumbnail drawn at 1.5x (smoothed). */
export const SHEET_COLUMNS = 4;
export const TILE_IMAGE_WIDTH = THUMBNAIL_WIDTH * 1.5;
export const TILE_IMAGE_HEIGHT = THUMBNAIL_HEIGHT * 1.5;
/** Under the picture: the number and name on one line, the prompt on up to three. */
const TITLE_LINE = 24;
const PROMPT_LINE = 18;
const PROMPT_LINES = 3;
const TEXT_BLOCK = 10 + TITLE_LINE + PROMPT_LINE * PROMPT_LINES;
const GAP = 24;
const HEADER = 72;

export interface SheetCue {
  number: string;
  name: string;
  prompt: string;
  /** The cue's thumbnail; absent while it is still rendering (a dark tile with "rendering" in it). */
  picture?: ImageData | undefined;
}

export interface SheetLayout {
  width: number;
  height: number;
  /** Each tile's picture rectangle, in cue order. */
  tiles: Array<{ x: number; y: number; width: number; height: number }>;
}

export function contactSheetLayout(count: number, columns = SHEET_COLUMNS): SheetLayout {
  const rows = Math.max(1, Math.ceil(count / columns));
  const cellHeight = TILE_IMAGE_HEIGHT + TEXT_BLOCK;
  const tiles = Array.from({ length: count }, (_, i) => ({
    x: GAP + (i % columns) * (TILE_IMAGE_WIDTH + GAP),
    y: HEADER + Math.floor(i / columns) * (cellHeight + GAP),
    width: TILE_IMAGE_WIDTH,
    height: TILE_IMAGE_HEIGHT,
  }));
  return { width: GAP + columns * (TILE_IMAGE_WIDTH + GAP), height: HEADER + rows * (cellHeight + GAP), tiles };
}

/** Words into at most `lines` lines of `maxWidth`, the last one cut with an ellipsis. */
export function wrapText(text: string, maxWidth: number, lines: number, measure: (s: string) => number): string[] {
  const out: string[] = [];
  let line = '';
  const words = text.split(/\s+/).filter(Boolean);
  for (let i = 0; i < words.length; i++) {
    const word = words[i] as string;
    const candidate = line ? `${line} ${word}` : word;
    if (measure(candidate) <= maxWidth || !line) {
      line = candidate;
      continue;
    }
    out.push(line);
    line = word;
    if (out.length === lines - 1) {
      // Last line: the rest, cut to fit.
      let rest = words.slice(i).join(' ');
      if (measure(rest) > maxWidth) {
        while (rest.length > 1 && measure(`${rest}…`) > maxWidth) rest = rest.slice(0, -1);
        rest = `${rest.trimEnd()}…`;
      }
      out.push(rest);
      return out;
    }
  }
  if (line) out.push(line);
  return out;
}

const FONT = 'system-ui, "Segoe UI", Roboto, "Noto Sans", sans-serif';

/** Paints the sheet onto `canvas` (resized to the layout). */
export function drawContactSheet(canvas: HTMLCanvasElement, sheet: { title: string; subtitle: string; cues: SheetCue[] }): SheetLayout {
  const layout = contactSheetLayout(sheet.cues.length);
  canvas.width = layout.width;
  canvas.height = layout.height;
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('no 2D canvas');
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, layout.width, layout.height);
  ctx.fillStyle = '#111111';
  ctx.textBaseline = 'top';
  ctx.font = `600 26px ${FONT}`;
  ctx.fillText(sheet.title, GAP, 18, layout.width - 2 * GAP);
  ctx.fillStyle = '#666666';
  ctx.font = `14px ${FONT}`;
  ctx.fillText(sheet.subtitle, GAP, 50, layout.width - 2 * GAP);
  // Thumbnails go through a small canvas so drawImage can scale them smoothly.
  const scratch = document.createElement('canvas');
  scratch.width = THUMBNAIL_WIDTH;
  scratch.height = THUMBNAIL_HEIGHT;
  const scratchCtx = scratch.getContext('2d');
  ctx.imageSmoothingQuality = 'high';
  sheet.cues.forEach((cue, i) => {
    const tile = layout.tiles[i]!;
    if (cue.picture && scratchCtx) {
      scratchCtx.putImageData(cue.picture, 0, 0);
      ctx.drawImage(scratch, tile.x, tile.y, tile.width, tile.height);
    } else {
      ctx.fillStyle = '#2a2e35';
      ctx.fillRect(tile.x, tile.y, tile.width, tile.height);
      ctx.fillStyle = '#9aa1ad';
      ctx.font = `13px ${FONT}`;
      ctx.fillText('(picture still rendering)', tile.x + 10, tile.y + 10);
    }
    let y = tile.y + tile.height + 10;
    ctx.fillStyle = '#111111';
    ctx.font = `600 17px ${FONT}`;
    ctx.fillText(`${cue.number}${cue.name ? `  ${cue.name}` : ''}`, tile.x, y, tile.width);
    y += TITLE_LINE;
    ctx.fillStyle = '#444444';
    ctx.font = `13px ${FONT}`;
    for (const line of wrapText(cue.prompt, tile.width, PROMPT_LINES, (s) => ctx.measureText(s).width)) {
      ctx.fillText(line, tile.x, y);
      y += PROMPT_LINE;
    }
  });
  return layout;
}
