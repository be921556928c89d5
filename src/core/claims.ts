// Claims as checks: an `expect` statement (resolved to a ClaimDef by src/core/lang/claims.ts)
// evaluated against a results document. A pure function of the document: it reads recorded
// series and theory values and computes nothing else, so evaluating a claim never re-runs a run.
//
// Semantics (docs/language.md):
//   * final / max / min: the last / largest / smallest finite recorded value (a vector metric,
//     such as alignment, is read at each step as the mean of its entries);
//   * slope: the least-squares slope per step of the finite values recorded in [from, to];
//   * theory: beside a slope, the predicted rate per step (run.theory[rate]); otherwise the
//     predicted final value, the first recorded value plus rate × the last recorded step;
//   * a term over a family is read once per member: the claim must hold for every member.
//     Several families in one claim are paired by equal coordinates on the axes they share;
//     a single run stands beside every member. mean(term) averages over the members instead;
//   * `==` holds within 1e-12 relative (recorded numbers went through JSON);
//     `≈ b within P%` holds when |a − b| ≤ P/100 · |b|; `≈ b within X` when |a − b| ≤ X;
//   * a run that diverged fails the claim (its values stop before the end), one that failed
//     or was cancelled makes the claim an error.
import { matchesSelection, sameNumber, selectionText } from './resolve/axes';
import { claimReads, type ClaimDef, type ClaimRead, type ClaimTerm, type Range } from './program';
import type { ClaimResult, ResultsDoc, RunResult } from './wire/results';

type Read = ClaimRead;

/** Why a claim cannot hold (a diverged run) or cannot be evaluated (anything else). */
class ClaimStop extends Error {
  constructor(readonly status: 'failed' | 'error', message: string, readonly range: Range) {
    super(message);
  }
}

export function evaluateClaims(doc: ResultsDoc, claims: readonly ClaimDef[]): ClaimResult[] {
  return claims.map((c) => evaluateClaim(doc, c));
}

export function evaluateClaim(doc: ResultsDoc, c: ClaimDef): ClaimResult {
  const base = { line: c.line, text: c.text, range: c.exprRange };
  try {
    const assignments = pair(doc, [...claimReads(c.left, { means: false }), ...claimReads(c.right, { means: false })], c.exprRange);
    let worst: { held: boolean; margin: number; left: number; right: number; member: string | null } | null = null;
    let failures = 0;
    for (const a of assignments) {
      const left = value(doc, c.left, a, c);
      const right = value(doc, c.right, a, c);
      const { held, margin } = compare(c, left, right);
      if (!held) failures++;
      const member = memberName(a);
      // the member shown: the first that fails, else the one with the least margin
      if (!worst || (worst.held && (!held || margin < worst.margin))) worst = { held, margin, left, right, member };
    }
    const w = worst!;
    const values: ClaimResult['values'] = { left: w.left, right: w.right };
    if (c.op === '≈') values.deviation = c.within!.relative ? relDev(w.left, w.right) : w.left - w.right;
    const summary = describe(c, w.left, w.right);
    const of = assignments.length > 1 ? ` (${assignments.length - failures} of ${assignments.length} members hold${w.member ? `; shown: ${w.member}` : ''})` : '';
    return {
      ...base,
      status: failures ? 'failed' : 'held',
      values,
      ...(assignments.length > 1 ? { members: assignments.length, failing: failures } : {}),
      ...(w.member ? { member: w.member } : {}),
      summary: summary + of,
      message: failures ? `the claim does not hold: ${summary}${of}` : null,
    };
  } catch (e) {
    if (!(e instanceof ClaimStop)) throw e;
    return { ...base, status: e.status, values: {}, summary: e.message, message: e.message, range: e.range };
  }
}

// ---------------- members ----------------

/** one run per free read (a Map keyed by the read) */
type Assignment = Map<Read, { id: string; run: RunResult }>;


/** The runs a read names: a definition's members, or those of a selection. */
function runsOf(doc: ResultsDoc, r: Read): { id: string; run: RunResult }[] {
  const v = r.run;
  const name = v.kind === 'ref' || v.kind === 'select' ? v.name : '';
  const out: { id: string; run: RunResult }[] = [];
  for (const [id, run] of Object.entries(doc.runs)) {
    const def = run.def ?? id.replace(/\[.*$/, '');
    if (def !== name) continue;
    if (v.kind === 'select' && !matchesSelection((k) => run.coords?.[k] ?? run.member?.[k], v.where)) continue;
    out.push({ id, run });
  }
  if (!out.length) throw new ClaimStop('error', `${name}${v.kind === 'select' ? `[${selectionText(v.where)}]` : ''} has no results (was it computed?)`, r.range);
  return out;
}

/**
 * The members a set of reads is evaluated at: every member of the largest family, each other
 * read's run chosen by the coordinates it shares with that member (or its only run).
 */
function pair(doc: ResultsDoc, reads: Read[], range: Range): Assignment[] {
  if (!reads.length) return [new Map()];
  const runs = new Map(reads.map((r) => [r, runsOf(doc, r)]));
  const lead = reads.reduce((a, b) => (runs.get(b)!.length > runs.get(a)!.length ? b : a));
  return runs.get(lead)!.map((m) => {
    const a: Assignment = new Map([[lead, m]]);
    for (const r of reads) {
      if (r === lead) continue;
      const rs = runs.get(r)!;
      if (rs.length === 1) {
        a.set(r, rs[0]);
        continue;
      }
      const coords = m.run.coords ?? m.run.member ?? {};
      const match = rs.filter((x) => {
        const xc = x.run.coords ?? x.run.member ?? {};
        const shared = Object.keys(xc).filter((k) => k in coords);
        return shared.length > 0 && shared.every((k) => sameNumber(xc[k]!, coords[k]!));
      });
      if (match.length !== 1) {
        throw new ClaimStop('error', `cannot pair the members of ${r.text} with ${m.id}: the families share no swept value that picks one member (use mean(…) or select a member)`, range);
      }
      a.set(r, match[0]);
    }
    return a;
  });
}

function memberName(a: Assignment): string | null {
  const ids = [...new Set([...a.values()].filter((x) => x.run.member).map((x) => x.id))];
  return ids.length ? ids.join(', ') : null;
}

// ---------------- values ----------------

function value(doc: ResultsDoc, t: ClaimTerm, a: Assignment, c: ClaimDef): number {
  switch (t.kind) {
    case 'number':
      return t.value;
    case 'neg':
      return -value(doc, t.operand, a, c);
    case 'arith': {
      const l = value(doc, t.left, a, c);
      const r = value(doc, t.right, a, c);
      return t.op === '+' ? l + r : t.op === '-' ? l - r : t.op === '*' ? l * r : l / r;
    }
    case 'mean': {
      const members = pair(doc, claimReads(t.term, { means: false }), t.range);
      let sum = 0;
      for (const m of members) sum += value(doc, t.term, m, c);
      return sum / members.length;
    }
    case 'read': {
      const m = a.get(t);
      if (!m) throw new ClaimStop('error', `${t.text}: no run to read`, t.range);
      return read(m.id, m.run, t);
    }
  }
}

const isNum = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);

function read(id: string, run: RunResult, t: Read): number {
  if (run.status === 'diverged') {
    const at = run.diverged_at ?? null;
    // the run's message already says where (`diverged at step 243 (loss = Infinity)`)
    const how = run.message?.startsWith('diverged') ? run.message : `diverged${at !== null ? ` after step ${at}` : ''}${run.message ? ` (${run.message})` : ''}`;
    throw new ClaimStop('failed', `${id} ${how}: ${t.text} has no final value, so the claim fails`, t.range);
  }
  if (run.status !== 'done') throw new ClaimStop('error', `${id} is ${run.status}${run.message ? ` (${run.message})` : ''}: ${t.text} cannot be read`, t.range);
  if (t.fn === 'theory') {
    const rate = t.rate ? run.theory?.[t.rate] : undefined;
    const rateSq = t.rateSq ? run.theory?.[t.rateSq] : undefined;
    const sq = run.metrics.lr_sq_sum as number[] | undefined;
    if (!isNum(rate) && isNum(rateSq) && sq) {
      // a stepsize schedule: the fall is rateSq per unit of Σ_{u<t} η_u², not constant per step
      // (the theory curve of the plots, figures/final.ts)
      if (t.measure === 'slope') throw new ClaimStop('error', `${id} runs under a stepsize schedule: the theory gives no constant ${t.metric} rate per step; compare final values, final(${t.metric}, ${id}) ≈ theory(${t.metric}, ${id})`, t.range);
      const ys = run.metrics[t.key] as number[] | undefined;
      const i0 = ys ? ys.findIndex((y) => Number.isFinite(y)) : -1;
      const last = run.step.length - 1;
      if (i0 < 0 || !isNum(sq[i0]) || !isNum(sq[last])) throw new ClaimStop('error', `${t.metric} of ${id} has no finite value`, t.range);
      return ys![i0] + rateSq * (sq[last] - sq[i0]);
    }
    if (!isNum(rate)) throw new ClaimStop('error', `the theory gives no ${t.metric} prediction for ${id}`, t.range);
    if (t.measure === 'slope') return rate;
    const first = points(id, run, t.key, t, null, null)[0];
    return first.y + rate * (run.step[run.step.length - 1] - first.x);
  }
  if (t.endOfRun) {
    const v = run.theory?.[t.key];
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new ClaimStop('error', `${t.metric} was not computed for ${id} (it is computed at the end of a completed run)`, t.range);
    return v;
  }
  const pts = points(id, run, t.key, t, t.from, t.to);
  switch (t.fn) {
    case 'final':
      return pts[pts.length - 1].y;
    case 'max':
      return pts.reduce((m, p) => Math.max(m, p.y), -Infinity);
    case 'min':
      return pts.reduce((m, p) => Math.min(m, p.y), Infinity);
    case 'slope':
      return slope(id, pts, t);
  }
}

/** the finite recorded (step, value) pairs of a scalar series within [from, to] */
function points(id: string, run: RunResult, key: string, t: Read, from: number | null, to: number | null): { x: number; y: number }[] {
  const ys = run.metrics[key] as (number | number[])[] | undefined;
  if (!ys) {
    const why = run.notes?.find((n) => n.includes(key));
    throw new ClaimStop('error', `${t.metric} was not recorded for ${id}${why ? `: ${why}` : ''}`, t.range);
  }
  const out: { x: number; y: number }[] = [];
  for (let i = 0; i < ys.length; i++) {
    const x = run.step[i];
    const y = typeof ys[i] === 'number' ? (ys[i] as number) : meanOf(ys[i] as number[]);
    if (!Number.isFinite(y)) continue;
    if ((from !== null && x < from) || (to !== null && x > to)) continue;
    out.push({ x, y });
  }
  if (!out.length) throw new ClaimStop('error', `${t.metric} of ${id} has no finite value${from !== null || to !== null ? ' in the range' : ''}`, t.range);
  return out;
}

/** a vector metric (alignment, gain, singular values) is read as the mean of its entries */
function meanOf(xs: number[]): number {
  return xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN;
}

function slope(id: string, pts: { x: number; y: number }[], t: Read): number {
  if (pts.length < 2) throw new ClaimStop('error', `${t.text}: ${id} has ${pts.length} recorded point in the range, a slope needs two`, t.range);
  let mx = 0;
  let my = 0;
  for (const p of pts) {
    mx += p.x;
    my += p.y;
  }
  mx /= pts.length;
  my /= pts.length;
  let sxy = 0;
  let sxx = 0;
  for (const p of pts) {
    sxy += (p.x - mx) * (p.y - my);
    sxx += (p.x - mx) ** 2;
  }
  return sxy / sxx;
}

// ---------------- comparison ----------------

function compare(c: ClaimDef, l: number, r: number): { held: boolean; margin: number } {
  if (!Number.isFinite(l) || !Number.isFinite(r)) return { held: false, margin: -Infinity };
  const scale = Math.max(Math.abs(l), Math.abs(r), 1e-300);
  switch (c.op) {
    case '<':
      return { held: l < r, margin: (r - l) / scale };
    case '<=':
      return { held: l <= r, margin: (r - l) / scale };
    case '>':
      return { held: l > r, margin: (l - r) / scale };
    case '>=':
      return { held: l >= r, margin: (l - r) / scale };
    case '==': {
      const d = Math.abs(l - r);
      return { held: d <= 1e-12 * scale || d === 0, margin: -d / scale };
    }
    case '≈': {
      const w = c.within!;
      const dev = w.relative ? Math.abs(relDev(l, r)) : Math.abs(l - r);
      return { held: dev <= w.value, margin: w.value - dev };
    }
  }
}

function relDev(l: number, r: number): number {
  // l/r − 1: measured 4.1% beyond the prediction reads +4.1% whatever the sign
  return r === 0 ? (l === 0 ? 0 : Infinity) : (l - r) / r;
}

/** `slope(logdet, ln) = −0.01612 ≈ theory −0.01549 (+4.1%, within 8%)` */
function describe(c: ClaimDef, l: number, r: number): string {
  const side = (t: ClaimTerm, text: string, v: number) =>
    t.kind === 'number' ? text : t.kind === 'read' && t.fn === 'theory' ? `theory ${num(v)}` : `${text} = ${num(v)}`;
  let s = `${side(c.left, c.leftText, l)} ${c.op} ${side(c.right, c.rightText, r)}`;
  if (c.op === '≈') {
    const w = c.within!;
    s += w.relative
      ? ` (${signed(relDev(l, r) * 100, 2)}%, within ${num(w.value * 100)}%)`
      : ` (${signed(l - r, 4)}, within ${num(w.value)})`;
  }
  return s;
}

/** four significant digits, a real minus sign */
export function num(x: number, digits = 4): string {
  if (!Number.isFinite(x)) return Number.isNaN(x) ? 'NaN' : x > 0 ? '∞' : '−∞';
  const s = Math.abs(x) >= 1e-4 && Math.abs(x) < 1e6 || x === 0 ? String(Number(x.toPrecision(digits))) : x.toExponential(digits - 1).replace(/\.?0+e/, 'e');
  return s.replace(/-/g, '−');
}
function signed(x: number, digits: number): string {
  const s = Number.isFinite(x) && digits <= 2 ? String(Number(x.toFixed(Math.abs(x) < 10 ? 1 : 0))) : num(x, digits);
  return (x >= 0 ? '+' : '') + s.replace(/-/g, '−');
}
