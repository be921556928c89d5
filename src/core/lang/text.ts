// Offsets ⇄ LSP positions. LSP counts lines split at \n, \r\n and \r, and characters in UTF-16
// code units, which is exactly what a JavaScript string index is.
import type { Position, Range } from '../program';

export class LineIndex {
  /** offset of the first character of each line */
  readonly lineStarts: number[];
  constructor(readonly text: string) {
    const starts = [0];
    // native search for line breaks (a character loop costs ~10× more on long files)
    const re = /\r\n?|\n/g;
    for (let m = re.exec(text); m; m = re.exec(text)) starts.push(m.index + m[0].length);
    this.lineStarts = starts;
  }
  get lineCount(): number {
    return this.lineStarts.length;
  }
  position(offset: number): Position {
    const o = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid] <= o) lo = mid;
      else hi = mid - 1;
    }
    // an offset inside a line break (between \r and \n) maps to the end of its line
    return { line: lo, character: Math.min(o, this.lineEnd(lo)) - this.lineStarts[lo] };
  }
  offset(pos: Position): number {
    if (pos.line < 0) return 0;
    if (pos.line >= this.lineStarts.length) return this.text.length;
    const start = this.lineStarts[pos.line];
    const end = this.lineEnd(pos.line);
    return Math.min(start + Math.max(0, pos.character), end);
  }
  /** offset of the end of a line, before its line break */
  lineEnd(line: number): number {
    if (line + 1 < this.lineStarts.length) {
      let e = this.lineStarts[line + 1] - 1;
      if (e > this.lineStarts[line] && this.text.charCodeAt(e) === 10 && this.text.charCodeAt(e - 1) === 13) e--;
      return e;
    }
    return this.text.length;
  }
  range(start: number, end: number): Range {
    return { start: this.position(start), end: this.position(end) };
  }
}

// Characters a message must not carry raw: C0/C1 controls and DEL (a terminal would act on ESC,
// NUL ends C strings), and invisible or direction-changing format characters (zero-width
// spaces, bidi overrides, the BOM, lone surrogates), which would make a message lie about the
// text it quotes.
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u00a0\u00ad\u115f\u1160\u3164\uffa0\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
const NAMED: Record<string, string> = { '\0': '\\0', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/**
 * Text from the user's file, fit to be quoted in a message: controls as escapes (`\0`, `\n`,
 * `\u001b`), invisible characters by code point (`U+200B`); longer than `max` code points,
 * the rest is elided.
 */
export function printable(s: string, max = Infinity): string {
  let t = s;
  if (Number.isFinite(max)) {
    const cps = Array.from(s.length > 4 * max ? s.slice(0, 4 * max) : s);
    if (cps.length > max || s.length > 4 * max) t = cps.slice(0, max).join('') + '…';
  }
  return t.replace(UNPRINTABLE, (ch) => {
    const c = ch.charCodeAt(0);
    if (NAMED[ch]) return NAMED[ch];
    if (c < 0xa0) return `\\u${c.toString(16).padStart(4, '0')}`;
    return `U+${c.toString(16).toUpperCase().padStart(4, '0')}`;
  });
}
