/**
 * JSON with line numbers: parses JSON text and remembers where every value
 * starts, so a schema error on `cues.2.transition.durationMs` can say "line 31".
 * A syntax error is a value too, with its line and column. Pure (no Node).
 *
 * JSON.parse cannot do either (its error position differs between engines and it
 * keeps no positions), hence this small recursive-descent parser (RFC 8259).
 * It is slower than JSON.parse: show-file.ts parses with JSON.parse and runs this
 * only to place an error, recording just the one path it needs (`only`).
 *
 * Messages never quote the text (a path may name any file on the machine; its
 * bytes must not come back in an error): they say what was expected, and where.
 */

export type JsonPath = readonly (string | number)[];

export interface JsonPosition {
  /** 1-based. */
  line: number;
  /** 1-based. */
  column: number;
}

export type LocatedJson = { ok: true; value: unknown; positions: Map<string, JsonPosition> } | { ok: false; message: string; position: JsonPosition };

/** Map key for a path: stable and unambiguous. */
export function pathKey(path: JsonPath): string {
  return JSON.stringify(path);
}

/** Where the value at `path` starts; falls back to the nearest parent that exists (a missing field is reported at its object). */
export function positionOf(positions: Map<string, JsonPosition>, path: JsonPath): JsonPosition | null {
  for (let n = path.length; n >= 0; n--) {
    const found = positions.get(pathKey(path.slice(0, n)));
    if (found) return found;
  }
  return null;
}

class JsonSyntaxError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

export interface LocateOptions {
  /** Record positions only for this path and its parents (fast on large texts); absent = every value. */
  only?: JsonPath;
  /** Only check the syntax and record positions; `value` comes back null (no objects or lists built: fast on large texts). */
  scanOnly?: boolean;
}

export function parseJsonWithPositions(text: string, options: LocateOptions = {}): LocatedJson {
  const only = options.only;
  const scanOnly = options.scanOnly === true;
  const positions = new Map<string, JsonPosition>();
  // Line starts, for offset -> line/column.
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) lineStarts.push(i + 1);
  const toPosition = (offset: number): JsonPosition => {
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((lineStarts[mid] as number) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - (lineStarts[lo] as number) + 1 };
  };

  let i = 0;
  const fail = (message: string, at = i): never => {
    throw new JsonSyntaxError(message, at);
  };
  const skip = () => {
    while (i < text.length) {
      const c = text.charCodeAt(i);
      if (c === 32 || c === 9 || c === 10 || c === 13) i++;
      else break;
    }
  };
  // What was found, without quoting it (see the header).
  const describe = (at: number) => (at >= text.length ? 'the end of the file' : 'something else');

  const parseString = (): string => {
    if (text[i] !== '"') fail(`expected a string, found ${describe(i)}`);
    const start = i;
    i++;
    let out = '';
    // Plain runs are sliced whole (not added a character at a time): large files stay linear and fast.
    let run = i;
    for (;;) {
      if (i >= text.length) fail('unterminated string', start);
      const c = text.charCodeAt(i);
      if (c === 34) {
        out += text.slice(run, i);
        i++;
        return out;
      }
      if (c === 92) {
        out += text.slice(run, i);
        const esc = text[i + 1];
        const simple: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
        if (esc !== undefined && esc in simple) {
          out += simple[esc];
          i += 2;
        } else if (esc === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) {
          out += String.fromCharCode(parseInt(text.slice(i + 2, i + 6), 16));
          i += 6;
        } else {
          fail('invalid escape in string');
        }
        run = i;
        continue;
      }
      if (c < 32) fail('control character in string (escape it)');
      i++;
    }
  };

  const isDigit = (at: number) => {
    const c = text.charCodeAt(at);
    return c >= 48 && c <= 57;
  };
  /** A number per RFC 8259 at `i`, scanned by hand (a regex over a slice per number was the slow part); null when there is none. */
  const parseNumber = (): number | null => {
    const start = i;
    let j = i;
    if (text.charCodeAt(j) === 45) j++;
    if (text.charCodeAt(j) === 48) j++;
    else if (isDigit(j)) while (isDigit(j)) j++;
    else return null;
    if (text.charCodeAt(j) === 46 && isDigit(j + 1)) {
      j++;
      while (isDigit(j)) j++;
    }
    const e = text.charCodeAt(j);
    if (e === 101 || e === 69) {
      let k = j + 1;
      const sign = text.charCodeAt(k);
      if (sign === 43 || sign === 45) k++;
      if (isDigit(k)) {
        while (isDigit(k)) k++;
        j = k;
      }
    }
    i = j;
    return Number(text.slice(start, j));
  };

  /** The path of a child, or null when positions are not recorded below it (off the `only` path). */
  const child = (path: (string | number)[] | null, step: string | number): (string | number)[] | null => {
    if (path === null) return null;
    if (only !== undefined && (path.length >= only.length || String(only[path.length]) !== String(step))) return null;
    return [...path, step];
  };

  const parseValue = (path: (string | number)[] | null, at: number): unknown => {
    skip();
    if (path !== null && !positions.has(pathKey(path))) positions.set(pathKey(path), toPosition(at));
    const ch = text[i];
    if (ch === '{') {
      i++;
      const obj: Record<string, unknown> = {};
      skip();
      if (text[i] === '}') {
        i++;
        return obj;
      }
      for (;;) {
        skip();
        const keyAt = i;
        const key = parseString();
        skip();
        if (text[i] !== ':') fail(`expected ":" after a key, found ${describe(i)}`);
        i++;
        skip();
        // A member is located at its key: that is the line an operator looks for.
        const member = parseValue(child(path, key), keyAt);
        // defineProperty: a "__proto__" key is data, not the object's prototype.
        if (!scanOnly) Object.defineProperty(obj, key, { value: member, enumerable: true, writable: true, configurable: true });
        skip();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === '}') {
          i++;
          return obj;
        }
        fail(`expected "," or "}" in an object, found ${describe(i)}`);
      }
    }
    if (ch === '[') {
      i++;
      const arr: unknown[] = [];
      let length = 0;
      skip();
      if (text[i] === ']') {
        i++;
        return arr;
      }
      for (;;) {
        skip();
        const item = parseValue(child(path, length), i);
        length++;
        if (!scanOnly) arr.push(item);
        skip();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === ']') {
          i++;
          return arr;
        }
        fail(`expected "," or "]" in a list, found ${describe(i)}`);
      }
    }
    if (ch === '"') return parseString();
    const number = parseNumber();
    if (number !== null) return number;
    for (const [word, value] of [
      ['true', true],
      ['false', false],
      ['null', null],
    ] as const) {
      if (text.startsWith(word, i)) {
        i += word.length;
        return value;
      }
    }
    return fail(i >= text.length ? 'unexpected end of the file' : 'expected a value (object, list, string, number, true, false or null)');
  };

  try {
    skip();
    const value = parseValue([], i);
    skip();
    if (i < text.length) fail('more text after the end of the JSON');
    return { ok: true, value: scanOnly ? null : value, positions };
  } catch (error) {
    if (error instanceof JsonSyntaxError) return { ok: false, message: error.message, position: toPosition(error.offset) };
    // Very deep nesting overflows the stack: still a value, at the start.
    return { ok: false, message: `unreadable JSON (${(error as Error).message})`, position: { line: 1, column: 1 } };
  }
}
