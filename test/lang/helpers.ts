// Test helpers: «…» marks an expected range in fixture text; | marks a cursor.
import { LineIndex } from '../../src/core/lang';
import type { Range } from '../../src/core/program';

/** Strip «…» markers; return the text and the marked ranges in order. */
export function marked(src: string): { text: string; ranges: Range[] } {
  let text = '';
  const spans: [number, number][] = [];
  const open: number[] = [];
  for (const ch of src) {
    if (ch === '«') open.push(text.length);
    else if (ch === '»') spans.push([open.pop()!, text.length]);
    else text += ch;
  }
  const li = new LineIndex(text);
  spans.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  return { text, ranges: spans.map(([s, e]) => li.range(s, e)) };
}

/** Strip the cursor marker `|`; return the text and the cursor offset. */
export function cursor(src: string): { text: string; offset: number } {
  const offset = src.indexOf('|');
  if (offset < 0) throw new Error('no cursor marker');
  return { text: src.slice(0, offset) + src.slice(offset + 1), offset };
}
