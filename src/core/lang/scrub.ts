// Scrubbing a number: the literal under the cursor, and the literal one step up or down from it.
// Pure and line-cheap (the lexer only, no check): the extension keeps a context key with
// `numberAt` on every cursor move and edits the text with `scrubbed`.
//
// The step rule (README, "Scrubbing numbers"):
// - ratio: a strictly positive real parameter (lr, dt, scale, alpha, a schedule's from/to, …:
//   `min 0, minExclusive`, not integer, no upper bound in the built-ins table) moves along the
//   ladder 1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8 × 10^k — ten steps a decade, ×1.2 to ×4/3 each —
//   to the next ladder value strictly above or below (a value between rungs goes to the nearest
//   rung on that side). Stepsizes matter by ratio: 0.02 → 0.025 is as large a change as 2 → 2.5.
// - digit: anything else moves by one unit of its last significant digit: 0.02 → 0.03, 400 → 500,
//   2.5e-3 → 2.6e-3 (an integer's trailing zeros are not significant). Going down from a lone
//   leading 1 takes a unit ten times smaller (100 → 90, 0.01 → 0.009, 1e-3 → 9e-4), so the
//   way down mirrors the way up (90 → 100) and a positive value does not jump to 0; the integer 1
//   goes to 0 (an integer stays an integer).
// The literal's format stays: decimal or exponent notation, its 'e'/'E' and explicit '+', a
// leading '.', and the number of decimals written (digit mode; the ladder writes its rungs in
// full: 0.02 → 0.025).
import { lex, type Token } from './lexer';
import { BUILTINS, BUILTIN_BY_NAME, type ParamSpec } from './builtins';

export type ScrubMode = 'ratio' | 'digit';

export interface NumberLiteral {
  /** offsets in the text given (a line, or the document) */
  start: number;
  end: number;
  text: string;
}

/** The number literal the cursor (an offset in `text`) is in or touches, if any. */
export function numberAt(text: string, offset: number): NumberLiteral | null {
  const t = tokenAt(lex(text), offset);
  return t ? { start: t.start, end: t.end, text: t.text } : null;
}

function tokenAt(tokens: Token[], offset: number): Token | null {
  for (const t of tokens) {
    if (t.start > offset) break;
    if (t.kind === 'number' && !t.problem && offset <= t.end) return t;
  }
  return null;
}

/** Parameters stepped by ratio: strictly positive reals without an upper bound. */
const RATIO_PARAMS: ReadonlySet<string> = new Set(
  BUILTINS.flatMap((b) => b.params).filter(isRatioParam).map((p) => p.name),
);

function isRatioParam(p: ParamSpec): boolean {
  const t = p.type;
  return t.t === 'number' && t.min === 0 && t.minExclusive === true && !t.integer && t.max === undefined;
}

/**
 * The parameter a number literal binds to, read off the tokens before it: `name = 0.1`,
 * `name = [0.1, 0.2]`, or the positional slot of a built-in call (`gd(0.1)`). Null when unknown.
 */
export function paramOf(tokens: Token[], index: number): string | null {
  let depth = 0;
  let commas = 0;
  for (let i = index - 1; i >= 0; i--) {
    const t = tokens[i];
    if (t.kind === ')' || t.kind === ']') depth++;
    else if (t.kind === '[' && depth > 0) depth--;
    else if (t.kind === '(' && depth > 0) depth--;
    else if (depth > 0 || t.kind === 'comment') continue;
    else if (t.kind === 'newline') {
      // a line break inside a call or a list continues it; any other ends the statement
      let j = i - 1;
      while (j >= 0 && (tokens[j].kind === 'newline' || tokens[j].kind === 'comment')) j--;
      const k = tokens[j]?.kind;
      if (k !== ',' && k !== '(' && k !== '[' && k !== '=') return null;
    }
    else if (t.kind === '=') return tokens[i - 1]?.kind === 'name' ? tokens[i - 1].text : null;
    else if (t.kind === ',') commas++;
    else if (t.kind === '[') commas = 0; // a list: its elements share the slot of the list
    else if (t.kind === '(') {
      const b = tokens[i - 1]?.kind === 'name' ? BUILTIN_BY_NAME.get(tokens[i - 1].text) : undefined;
      return b?.positional[commas] ?? null;
    }
  }
  return null;
}

/** How the literal at `offset` of the document `text` steps, and its range; null off a number. */
export function scrubTarget(text: string, offset: number): (NumberLiteral & { mode: ScrubMode; param: string | null }) | null {
  const tokens = lex(text);
  const t = tokenAt(tokens, offset);
  if (!t) return null;
  const param = paramOf(tokens, tokens.indexOf(t));
  return { start: t.start, end: t.end, text: t.text, param, mode: param && RATIO_PARAMS.has(param) ? 'ratio' : 'digit' };
}

interface Parts {
  negative: boolean;
  /** the digits without the point: value = ±mantissa × 10^(exp − decimals) */
  mantissa: bigint;
  decimals: number;
  hasPoint: boolean;
  leadingPoint: boolean;
  /** the exponent as written: its letter and whether it had a '+', or null */
  expChar: string | null;
  expPlus: boolean;
  exp: number;
}

function parse(lit: string): Parts | null {
  const m = /^(-?)(\d*)(?:(\.)(\d*))?(?:([eE])([+-]?)(\d+))?$/.exec(lit);
  if (!m || (m[2] === '' && !m[4])) return null;
  const frac = m[4] ?? '';
  return {
    negative: m[1] === '-',
    mantissa: BigInt((m[2] || '0') + frac),
    decimals: frac.length,
    hasPoint: m[3] === '.',
    leadingPoint: m[2] === '' && m[3] === '.',
    expChar: m[5] ?? null,
    expPlus: m[6] === '+',
    exp: m[5] ? Number((m[6] === '-' ? '-' : '') + m[7]) : 0,
  };
}

function print(p: Parts): string {
  const neg = p.mantissa < 0n ? !p.negative : p.negative;
  const abs = p.mantissa < 0n ? -p.mantissa : p.mantissa;
  let digits = abs.toString().padStart(p.decimals + 1, '0');
  if (p.decimals > 0) {
    const int = digits.slice(0, -p.decimals);
    digits = `${int === '0' && p.leadingPoint ? '' : int}.${digits.slice(-p.decimals)}`;
  } else if (p.hasPoint) digits += '.';
  const exp = p.expChar === null ? '' : `${p.expChar}${p.exp < 0 ? '-' : p.expPlus ? '+' : ''}${Math.abs(p.exp)}`;
  return `${neg && abs !== 0n ? '-' : ''}${digits}${exp}`;
}

const pow10 = (k: number) => 10n ** BigInt(k);

function trailingZeros(x: bigint): number {
  let n = 0;
  for (let v = x < 0n ? -x : x; v !== 0n && v % 10n === 0n; v /= 10n) n++;
  return n;
}

/** One unit of the last significant digit up (dir = 1) or down (dir = −1). */
function digitStep(p: Parts, dir: 1 | -1): Parts {
  const signed = p.negative ? -p.mantissa : p.mantissa;
  const abs = p.mantissa;
  // an integer's trailing zeros are not significant; written decimals are
  let unit = !p.hasPoint ? pow10(trailingZeros(abs)) : 1n;
  const towardZero = (dir < 0) !== p.negative && abs !== 0n;
  const out: Parts = { ...p, negative: false };
  if (towardZero && abs === unit) {
    // a lone leading 1: the next unit down (100 → 90, 0.01 → 0.009, 1e-3 → 9e-4)
    if (unit > 1n) unit /= 10n;
    else if (p.hasPoint) {
      out.decimals++;
      out.mantissa = signed * 10n + BigInt(dir);
      return out;
    } else if (p.expChar !== null) {
      out.exp--;
      out.mantissa = p.negative ? -9n : 9n;
      return out;
    }
  }
  out.mantissa = signed + BigInt(dir) * unit;
  // exponent notation without a point: 9e-4 up is 1e-3, not 10e-4
  if (p.expChar !== null && !p.hasPoint && out.mantissa !== 0n && out.mantissa % 10n === 0n && unit === 1n) {
    out.mantissa /= 10n;
    out.exp++;
  }
  return out;
}

/** The ladder's rungs in tenths: 1, 1.2, 1.5, … 8. */
const RUNGS = [10, 12, 15, 20, 25, 30, 40, 50, 60, 80];

/** The next rung strictly above (dir = 1) or below (dir = −1) a positive value, as c × 10^e. */
function ratioStep(p: Parts, dir: 1 | -1): Parts | null {
  if (p.negative || p.mantissa === 0n) return null;
  const value = Number(p.mantissa) * 10 ** (p.exp - p.decimals);
  // rungs of the value's decade and its neighbours, in order; compared with a relative
  // tolerance so that 0.3 (0.299999… in binary) counts as the rung 3 × 10⁻¹
  const k = Math.floor(Math.log10(value));
  const cands: { c: number; e: number; v: number }[] = [];
  for (const d of [k - 1, k, k + 1]) for (const c of RUNGS) cands.push({ c, e: d - 1, v: c * 10 ** (d - 1) });
  const tol = value * 1e-9;
  const pick = dir > 0 ? cands.find((x) => x.v > value + tol) : [...cands].reverse().find((x) => x.v < value - tol);
  if (!pick) return null;
  // strip the rung's trailing zeros: value = c × 10^e
  let c = pick.c;
  let e = pick.e;
  while (c % 10 === 0) {
    c /= 10;
    e++;
  }
  const out: Parts = { ...p, mantissa: BigInt(c), negative: false };
  if (p.expChar !== null) {
    // mantissa d.ddd × 10^exp, the point only when the rung has two digits
    const digits = String(c).length;
    out.exp = e + digits - 1;
    out.decimals = digits - 1;
    out.hasPoint = digits > 1;
    out.leadingPoint = false;
  } else {
    out.exp = 0;
    out.decimals = Math.max(0, -e);
    if (e > 0) out.mantissa = BigInt(c) * pow10(e);
    out.hasPoint = out.decimals > 0 || (p.hasPoint && !p.leadingPoint && p.decimals === 0);
  }
  return out;
}

/** The literal one step up (dir = 1) or down (dir = −1), in the same format; null if it cannot move. */
export function scrubbed(literal: string, dir: 1 | -1, mode: ScrubMode = 'digit'): string | null {
  const p = parse(literal);
  if (!p) return null;
  const q = (mode === 'ratio' ? ratioStep(p, dir) : null) ?? digitStep(p, dir);
  const s = print(q);
  return s === literal ? null : s;
}
