/**
 * Measurements of the console's layout and text, taken in the page (real Chromium layout and
 * computed styles): clipped or overlapping controls, text sizes, WCAG contrast of every text
 * node against the background it is painted on. Used by console-layout.spec.ts.
 */
import type { Page } from '@playwright/test';

export interface LayoutProblem {
  kind: 'outside-viewport' | 'clipped-by-panel' | 'overlap';
  what: string;
}

export interface TextItem {
  /** A short description: tag, test id or class, and the text. */
  what: string;
  text: string;
  fontPx: number;
  contrast: number;
  /** A live status value: status strip and health strip figures, GO, the ON AIR prompt. */
  live: boolean;
  placeholder: boolean;
  /** Inside a disabled control (WCAG exempts inactive controls from the contrast minimum). */
  disabled: boolean;
}

/**
 * Every visible interactive element (buttons, inputs, selects, links, focusable rows): its box must be
 * inside the viewport, inside every ancestor that clips it (unless that ancestor scrolls: a scrolled-away
 * row is fine), and must not overlap another interactive element (nested ones excepted).
 */
export function findLayoutProblems(page: Page): Promise<LayoutProblem[]> {
  return page.evaluate(() => {
    const problems: { kind: 'outside-viewport' | 'clipped-by-panel' | 'overlap'; what: string }[] = [];
    const describe = (el: Element): string => {
      const id = el.getAttribute('data-testid');
      const text = (el.textContent ?? '').trim().slice(0, 30) || el.getAttribute('aria-label') || '';
      return `${el.tagName.toLowerCase()}${id ? `[${id}]` : el.className ? `.${String(el.className).split(' ')[0]}` : ''} "${text}"`;
    };
    const isVisible = (el: Element): boolean => {
      const style = getComputedStyle(el);
      if (style.visibility === 'hidden' || style.display === 'none') return false;
      const r = el.getBoundingClientRect();
      return r.width > 0 && r.height > 0;
    };
    const scrolls = (el: Element): boolean => {
      const s = getComputedStyle(el);
      return /(auto|scroll)/.test(s.overflowY) || /(auto|scroll)/.test(s.overflowX);
    };
    const clips = (el: Element): boolean => {
      const s = getComputedStyle(el);
      return s.overflowX !== 'visible' || s.overflowY !== 'visible';
    };
    const SLACK = 1; // sub-pixel rounding
    const controls = Array.from(document.querySelectorAll('button, input, select, textarea, a[href], [tabindex]:not([tabindex="-1"])')).filter(
      (el) => isVisible(el) && !el.closest('.sr-only') && !(el instanceof HTMLInputElement && el.type === 'hidden'),
    );
    /** The part of a control not scrolled out of view in a scrolling ancestor (null: wholly scrolled away). */
    const visiblePart = (el: Element): DOMRect | null => {
      let r = el.getBoundingClientRect();
      for (let a = el.parentElement; a; a = a.parentElement) {
        if (!scrolls(a)) continue;
        const b = a.getBoundingClientRect();
        const left = Math.max(r.left, b.left);
        const top = Math.max(r.top, b.top);
        const right = Math.min(r.right, b.right);
        const bottom = Math.min(r.bottom, b.bottom);
        if (right <= left || bottom <= top) return null;
        r = new DOMRect(left, top, right - left, bottom - top);
      }
      return r;
    };
    const boxes: { el: Element; r: DOMRect }[] = [];
    for (const el of controls) {
      const r = el.getBoundingClientRect();
      const part = visiblePart(el);
      if (!part) continue;
      boxes.push({ el, r: part });
      if (r.left < -SLACK || r.top < -SLACK || r.right > innerWidth + SLACK || r.bottom > innerHeight + SLACK) {
        // A control partly scrolled in a scrolling panel is fine as long as the panel is on screen.
        if (part.left < -SLACK || part.top < -SLACK || part.right > innerWidth + SLACK || part.bottom > innerHeight + SLACK) {
          problems.push({ kind: 'outside-viewport', what: `${describe(el)} at ${Math.round(r.left)},${Math.round(r.top)} ${Math.round(r.width)}x${Math.round(r.height)}` });
        }
        continue;
      }
      // Clipped by a non-scrolling ancestor with overflow hidden: part of the control is cut off.
      for (let a = el.parentElement; a; a = a.parentElement) {
        if (scrolls(a)) break;
        if (!clips(a)) continue;
        const b = a.getBoundingClientRect();
        if (r.left < b.left - SLACK || r.top < b.top - SLACK || r.right > b.right + SLACK || r.bottom > b.bottom + SLACK) {
          problems.push({ kind: 'clipped-by-panel', what: `${describe(el)} cut by ${describe(a).slice(0, 60)}` });
          break;
        }
      }
    }
    for (let i = 0; i < boxes.length; i++) {
      for (let j = i + 1; j < boxes.length; j++) {
        const a = boxes[i]!;
        const b = boxes[j]!;
        if (a.el.contains(b.el) || b.el.contains(a.el)) continue;
        // Overlays (dialogs) cover the console on purpose; only compare controls in the same layer.
        if (!!a.el.closest('[role="dialog"]') !== !!b.el.closest('[role="dialog"]')) continue;
        const w = Math.min(a.r.right, b.r.right) - Math.max(a.r.left, b.r.left);
        const h = Math.min(a.r.bottom, b.r.bottom) - Math.max(a.r.top, b.r.top);
        if (w > 2 && h > 2) problems.push({ kind: 'overlap', what: `${describe(a.el)} overlaps ${describe(b.el)} by ${Math.round(w)}x${Math.round(h)}` });
      }
    }
    return problems;
  });
}

/**
 * Every visible text node (and every input's placeholder while the input is empty) with its computed
 * font size and its WCAG 2 contrast ratio against the effective background: the nearest ancestor
 * with an opaque-ish background colour, translucent layers composited over what lies under them.
 * Text over a picture (the monitors' canvases) is measured against its own label background.
 */
export function collectTextItems(page: Page): Promise<TextItem[]> {
  return page.evaluate(() => {
    type RGBA = [number, number, number, number];
    const parse = (c: string): RGBA => {
      const m = /rgba?\(([^)]+)\)/.exec(c);
      if (!m) return [0, 0, 0, 0];
      const p = m[1]!
        .split(/[ ,/]+/)
        .filter(Boolean)
        .map(Number);
      return [p[0]!, p[1]!, p[2]!, p.length > 3 ? p[3]! : 1];
    };
    const over = (top: RGBA, under: RGBA): RGBA => {
      const a = top[3] + under[3] * (1 - top[3]);
      if (a === 0) return [0, 0, 0, 0];
      const mix = (i: number) => (top[i]! * top[3] + under[i]! * under[3] * (1 - top[3])) / a;
      return [mix(0), mix(1), mix(2), a];
    };
    const luminance = ([r, g, b]: RGBA): number => {
      const ch = (v: number) => {
        const s = v / 255;
        return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
      };
      return 0.2126 * ch(r) + 0.7152 * ch(g) + 0.0722 * ch(b);
    };
    const ratio = (a: RGBA, b: RGBA): number => {
      const [l1, l2] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
      return (l1 + 0.05) / (l2 + 0.05);
    };
    const opacityOf = (el: Element): number => {
      let o = 1;
      for (let a: Element | null = el; a; a = a.parentElement) o *= Number(getComputedStyle(a).opacity);
      return o;
    };
    /** Background painted behind el: its own and its ancestors' backgrounds, composited bottom-up. */
    const backgroundOf = (el: Element): RGBA => {
      const layers: RGBA[] = [];
      for (let a: Element | null = el; a; a = a.parentElement) {
        const bg = parse(getComputedStyle(a).backgroundColor);
        if (bg[3] > 0) layers.push(bg);
        if (bg[3] >= 1) break;
      }
      let result: RGBA = parse(getComputedStyle(document.body).backgroundColor);
      if (result[3] < 1) result = [0, 0, 0, 1];
      for (const layer of layers.reverse()) result = over(layer, result);
      return result;
    };
    /** Live status values (not their labels): status strip, health strip figures, GO, ON AIR. */
    const LIVE = '.status-value, .health-chip, .health-cell [data-testid], .go-label, .on-air-prompt';
    const describe = (el: Element, text: string): string => {
      const id = el.closest('[data-testid]')?.getAttribute('data-testid');
      return `${el.tagName.toLowerCase()}${id ? `[${id}]` : ''}.${String(el.className).split(' ')[0]} "${text.slice(0, 40)}"`;
    };
    const items: {
      what: string;
      text: string;
      fontPx: number;
      contrast: number;
      live: boolean;
      placeholder: boolean;
      disabled: boolean;
    }[] = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = (node.textContent ?? '').replace(/\s+/g, ' ').trim();
      if (!text) continue;
      const el = node.parentElement;
      if (!el || el.closest('.sr-only, option, script, style, [aria-hidden="true"]')) continue;
      const style = getComputedStyle(el);
      if (style.visibility === 'hidden') continue;
      const range = document.createRange();
      range.selectNodeContents(node);
      const rect = range.getBoundingClientRect();
      if (rect.width === 0 || rect.height === 0) continue;
      if (rect.right < 0 || rect.bottom < 0 || rect.left > innerWidth || rect.top > innerHeight) continue;
      const colour = parse(style.color);
      const bg = backgroundOf(el);
      const opacity = opacityOf(el);
      // Disabled controls (opacity) are exempt from WCAG's minimum but must still be readable: measured as painted.
      const painted: RGBA = over([colour[0], colour[1], colour[2], colour[3] * opacity], bg);
      items.push({
        what: describe(el, text),
        text,
        fontPx: parseFloat(style.fontSize),
        contrast: ratio(painted, bg),
        live: !!el.closest(LIVE),
        placeholder: false,
        disabled: !!el.closest(':disabled'),
      });
    }
    for (const input of Array.from(document.querySelectorAll<HTMLInputElement | HTMLTextAreaElement>('input[placeholder], textarea[placeholder]'))) {
      if (input.value !== '' || !input.placeholder) continue;
      const r = input.getBoundingClientRect();
      if (r.width === 0 || r.height === 0) continue;
      const ph = getComputedStyle(input, '::placeholder');
      const colour = parse(ph.color);
      const bg = backgroundOf(input);
      items.push({
        what: `placeholder[${input.getAttribute('data-testid') ?? input.name}] "${input.placeholder.slice(0, 40)}"`,
        text: input.placeholder,
        fontPx: parseFloat(ph.fontSize),
        contrast: ratio(over(colour, bg), bg),
        live: false,
        placeholder: true,
        disabled: input.disabled,
      });
    }
    return items;
  });
}
