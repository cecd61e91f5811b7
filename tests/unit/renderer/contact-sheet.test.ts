/**
 * The contact sheet's layout and prompt wrapping (renderer/src/contact-sheet.ts), pure:
 * one tile per cue, four a row, none overlapping, inside the sheet; prompts wrapped to
 * three lines at most, the last cut with an ellipsis.
 */
import { describe, expect, it } from 'vitest';
import { contactSheetLayout, SHEET_COLUMNS, TILE_IMAGE_HEIGHT, TILE_IMAGE_WIDTH, wrapText } from '../../../renderer/src/contact-sheet.js';

describe('contact sheet layout', () => {
  it('has one tile per cue, a row of four, inside the sheet and not overlapping', () => {
    for (const count of [1, 3, 4, 5, 13]) {
      const layout = contactSheetLayout(count);
      expect(layout.tiles).toHaveLength(count);
      expect(layout.width).toBe(24 + SHEET_COLUMNS * (TILE_IMAGE_WIDTH + 24));
      const rows = new Set(layout.tiles.map((t) => t.y)).size;
      expect(rows).toBe(Math.ceil(count / SHEET_COLUMNS));
      for (const [i, a] of layout.tiles.entries()) {
        expect(a.x + a.width).toBeLessThanOrEqual(layout.width);
        expect(a.y + a.height).toBeLessThanOrEqual(layout.height);
        for (const b of layout.tiles.slice(i + 1)) expect(a.x + a.width <= b.x || b.x + b.width <= a.x || a.y + a.height <= b.y || b.y + b.height <= a.y).toBe(true);
      }
      expect(layout.tiles[0]).toMatchObject({ width: TILE_IMAGE_WIDTH, height: TILE_IMAGE_HEIGHT });
    }
  });

  it('wraps a prompt to three lines, the last one cut with an ellipsis', () => {
    const measure = (s: string) => s.length * 10;
    expect(wrapText('snow white winter morning', 200, 3, measure)).toEqual(['snow white winter', 'morning']);
    const long = wrapText('one two three four five six seven eight nine ten eleven twelve', 100, 3, measure);
    expect(long).toHaveLength(3);
    expect(long[2]!.endsWith('…')).toBe(true);
    for (const line of long) expect(measure(line)).toBeLessThanOrEqual(100);
  });
});
