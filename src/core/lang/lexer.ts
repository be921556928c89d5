// The scanner. Never throws: every character of the input lands in exactly one token (or in
// skipped whitespace), malformed input becomes an `error` token or a flagged token.

export type TokenKind =
  | 'name'
  | 'number'
  | 'string'
  | '='
  | '('
  | ')'
  | '['
  | ']'
  | ','
  | '?'
  /** an operator of a claim (`<`, `+`, `≈`, …): made by the parser inside `expect` statements out
   *  of what the scanner calls unexpected characters, so the rest of the language is unchanged */
  | 'op'
  | 'newline'
  | 'comment'
  | 'error'
  | 'eof';

export interface Token {
  kind: TokenKind;
  start: number;
  end: number;
  /** the source text of the token */
  text: string;
  /** numbers: the parsed value; strings: the unescaped content */
  value?: number | string;
  /** column (UTF-16 units from the line start) of the token's first character */
  column: number;
  /** a lexical problem: unterminated string, malformed number, unexpected character */
  problem?: string;
}

import { printable } from './text';

const isDigit = (c: number) => c >= 48 && c <= 57;
const isNameStart = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
const isNamePart = (c: number) => isNameStart(c) || isDigit(c);
// A letter (or combining mark) outside ASCII, at a code point. Names are ASCII, but a researcher
// writes `η = 0.1` or `dätä = …`: the whole word is one name token with a problem, so the error
// is said once at the word and its definition and uses still match (no cascade of errors).
const OTHER_LETTER = /^[\p{L}\p{M}]$/u;
const isOtherLetter = (cp: number) => cp >= 128 && OTHER_LETTER.test(String.fromCodePoint(cp));

const SINGLE: (TokenKind | undefined)[] = [];
SINGLE[61] = '=';
SINGLE[40] = '(';
SINGLE[41] = ')';
SINGLE[91] = '[';
SINGLE[93] = ']';
SINGLE[44] = ',';
SINGLE[63] = '?';

export function lex(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  let lineStart = 0;
  const n = text.length;
  const push = (kind: TokenKind, start: number, end: number, extra?: { value?: number | string; problem?: string }) => {
    const t: Token = { kind, start, end, text: text.slice(start, end), column: start - lineStart };
    if (extra) {
      if (extra.value !== undefined) t.value = extra.value;
      if (extra.problem !== undefined) t.problem = extra.problem;
    }
    tokens.push(t);
  };
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 32 || c === 9 || c === 12 || c === 0xfeff) {
      i++;
      continue;
    }
    if (c === 10 || c === 13) {
      const start = i;
      i += c === 13 && text.charCodeAt(i + 1) === 10 ? 2 : 1;
      push('newline', start, i);
      lineStart = i;
      continue;
    }
    if (c === 35 /* # */) {
      const start = i;
      while (i < n && text.charCodeAt(i) !== 10 && text.charCodeAt(i) !== 13) i++;
      push('comment', start, i);
      continue;
    }
    if (isDigit(c) || ((c === 46 || c === 45) && isNumberStart(text, i))) {
      const start = i;
      if (c === 45) i++;
      while (i < n && isDigit(text.charCodeAt(i))) i++;
      if (text.charCodeAt(i) === 46) {
        i++;
        while (i < n && isDigit(text.charCodeAt(i))) i++;
      }
      let problem: string | undefined;
      const e = text.charCodeAt(i);
      if (e === 101 || e === 69) {
        let j = i + 1;
        if (text.charCodeAt(j) === 43 || text.charCodeAt(j) === 45) j++;
        if (isDigit(text.charCodeAt(j))) {
          while (j < n && isDigit(text.charCodeAt(j))) j++;
          i = j;
        } else {
          i = j;
          problem = 'malformed number: the exponent has no digits';
        }
      }
      const value = Number(text.slice(start, i));
      push('number', start, i, { value: Number.isFinite(value) ? value : NaN, problem });
      if (!problem && !Number.isFinite(value)) tokens[tokens.length - 1].problem = 'number out of range';
      continue;
    }
    if (isNameStart(c) || isOtherLetter(text.codePointAt(i)!)) {
      const start = i;
      let other: string | null = null;
      while (i < n) {
        const cp = text.codePointAt(i)!;
        if (isNamePart(cp)) i++;
        else if (isOtherLetter(cp)) {
          other ??= String.fromCodePoint(cp);
          i += cp > 0xffff ? 2 : 1;
        } else break;
      }
      const word = text.slice(start, i);
      push('name', start, i, other === null ? {} : { problem: `names are ASCII letters, digits and _: '${printable(word, 24)}' has '${printable(other, 4)}'` });
      continue;
    }
    if (c === 34 || c === 39) {
      const start = i;
      const quote = c;
      i++;
      let value = '';
      let closed = false;
      while (i < n) {
        const d = text.charCodeAt(i);
        if (d === 10 || d === 13) break;
        if (d === quote) {
          i++;
          closed = true;
          break;
        }
        if (d === 92 /* \ */ && i + 1 < n && text.charCodeAt(i + 1) !== 10 && text.charCodeAt(i + 1) !== 13) {
          const e = text[i + 1];
          value += e === 'n' ? '\n' : e === 't' ? '\t' : e;
          i += 2;
          continue;
        }
        value += text[i];
        i++;
      }
      push('string', start, i, { value, problem: closed ? undefined : 'unterminated string' });
      continue;
    }
    const kind = c < 128 ? SINGLE[c] : undefined;
    if (kind) {
      push(kind, i, i + 1);
      i++;
      continue;
    }
    // Anything else: a run of such characters (a surrogate pair whole) is one error token, so a
    // megabyte of NULs is one diagnostic, not a million.
    const start = i;
    let count = 0;
    do {
      // a pair whole; a lone high surrogate is one unit alone (taking its neighbour would
      // split the next pair)
      const d = text.charCodeAt(i);
      const low = text.charCodeAt(i + 1);
      i += d >= 0xd800 && d <= 0xdbff && low >= 0xdc00 && low <= 0xdfff ? 2 : 1;
      count++;
    } while (i < n && isJunk(text, i));
    const shown = printable(text.slice(start, i), 12);
    push('error', start, i, { problem: count === 1 ? `unexpected character '${shown}'` : `${count} unexpected characters '${shown}'` });
  }
  push('eof', n, n);
  return tokens;
}

/** A character no token starts with (the fall-through case of `lex`). */
function isJunk(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  if (c === 32 || c === 9 || c === 12 || c === 0xfeff || c === 10 || c === 13 || c === 35 || c === 34 || c === 39) return false;
  if (isDigit(c) || isNameStart(c) || (c < 128 && SINGLE[c]) || isOtherLetter(text.codePointAt(i)!)) return false;
  return !((c === 46 || c === 45) && isNumberStart(text, i));
}

function isNumberStart(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  if (c === 46) return isDigit(text.charCodeAt(i + 1));
  // '-' followed by a digit or by '.digit'
  const d = text.charCodeAt(i + 1);
  return isDigit(d) || (d === 46 && isDigit(text.charCodeAt(i + 2)));
}
