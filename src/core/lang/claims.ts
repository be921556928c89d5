// Claims: `expect LEFT OP RIGHT [within TOL[%]]` → ClaimDef (src/core/program.ts), with every term
// checked as precisely as a plot: the metric exists, is a scalar and is recorded for the run's
// model, `theory(…)` has a theory, the run is a run, family or member. What the claim then says
// about the results is src/core/claims.ts (a pure function of the results document).
import type { CallExpr, CompareExpr, ExpectStmt, Expr } from './ast';
import { claimReads, type ClaimDef, type ClaimRead, type ClaimTerm, type Value } from '../program';
import { BUILTINS, BUILTIN_BY_NAME, CLAIM_BY_NAME, CLAIM_TERMS, KIND_LABEL, withArticle, type Builtin, type NodeKind } from './builtins';
import { didYouMean } from './suggest';
import { checkMetricRun, metricNameOf, uncoveredBy } from './plots';
import type { Checker } from './checker';

type Read = ClaimRead;

export function resolveClaim(c: Checker, s: ExpectStmt, index: number): ClaimDef | null {
  const deps: string[] = [];
  c.current = { name: null, deps };
  const e = s.value;
  if (e.kind !== 'compare') {
    // the parser reported the missing comparison; the terms are still checked
    if (e.kind !== 'missing' && e.kind !== 'error') term(c, e);
    return null;
  }
  const left = term(c, e.left);
  const right = term(c, e.right);
  const within = tolerance(c, e);
  if (within?.relative && right && isZero(right) && e.within) {
    // |a − 0| ≤ P/100·|0|: only an exact 0 holds (a conserved quantity's slope never is)
    const pct = c.text.slice(e.within.value.start, (e.within.percent ?? e.within.value).end);
    c.report({ start: e.within.value.start, end: (e.within.percent ?? e.within.value).end }, 'warning', 'claim-tolerance',
      `within ${pct} of 0 holds only when the left side is exactly 0 (the tolerance is relative to the right side): give an absolute tolerance, e.g. \`≈ 0 within 1e-4\``);
  }
  if (!left || !right || (e.op === '≈' && !within)) return null;
  checkPairing(c, [...claimReads(left, { means: false }), ...claimReads(right, { means: false })]);
  if (claimReads(left).length + claimReads(right).length === 0) {
    c.report(e, 'warning', 'claim-term', 'this claim reads no run (only numbers): it says nothing about the results; read a run with final(…), slope(…), max(…) or min(…)');
  }
  // theory(…) predicts what the claim measures: a rate beside a slope, else a final value
  const measure = hasSlope(left) || hasSlope(right) ? 'slope' : 'final';
  for (const r of [...claimReads(left), ...claimReads(right)]) if (r.fn === 'theory') r.measure = measure;
  const text = (x: { start: number; end: number }) => c.text.slice(x.start, x.end);
  return {
    index,
    range: c.lines.range(s.start, s.end),
    line: c.lines.position(s.start).line + 1,
    text: text(e),
    exprRange: c.lines.range(e.start, e.end),
    op: e.op,
    left,
    right,
    leftText: text(e.left),
    rightText: text(e.right),
    within,
    deps,
  };
}

/** The swept parameters a read ranges over: its family's axes, less those its selection fixes. */
function freeAxes(c: Checker, r: Read): Map<string, number[]> {
  const v = r.run;
  if (v.kind !== 'ref' && v.kind !== 'select') return new Map();
  const axes = new Map(c.axesOf(v.name));
  if (v.kind === 'select') for (const w of v.where) axes.delete(w.param);
  return axes;
}

/**
 * Families read side by side are evaluated member by member, the others' members picked by the
 * swept values they share with the largest (src/core/claims.ts pair): one that sweeps a parameter
 * the largest does not has several members per pick, and the claim is an error when it runs.
 */
function checkPairing(c: Checker, reads: Read[]): void {
  const free = reads.map((r) => ({ r, axes: freeAxes(c, r) }));
  const size = (a: Map<string, number[]>) => [...a.values()].reduce((n, xs) => n * Math.max(1, xs.length), 1);
  const lead = free.reduce<(typeof free)[number] | null>((a, b) => (!a || size(b.axes) > size(a.axes) ? b : a), null);
  if (!lead) return;
  for (const o of free) {
    if (o === lead || size(o.axes) <= 1) continue;
    const extra = [...o.axes.keys()].filter((k) => !lead.axes.has(k));
    if (!extra.length) continue;
    const name = (x: Read) => (x.run.kind === 'ref' || x.run.kind === 'select' ? x.run.name : '?');
    c.report({ start: c.lines.offset(o.r.range.start), end: c.lines.offset(o.r.range.end) }, 'warning', 'claim-pairing',
      `cannot pair the members of ${o.r.text} with those of ${lead.r.text}: ${name(o.r)} sweeps ${extra.join(', ')}, which ${name(lead.r)} does not (use mean(…) or select a member)`);
  }
}

const isZero = (t: ClaimTerm): boolean => (t.kind === 'number' && t.value === 0) || (t.kind === 'neg' && isZero(t.operand));

function tolerance(c: Checker, e: CompareExpr): ClaimDef['within'] {
  if (!e.within) return null;
  const v = e.within.value;
  if (v.kind === 'missing' || v.kind === 'error') return null;
  if (v.kind !== 'number' || !(v.value >= 0)) {
    c.error(v, 'type', 'the tolerance is a number ≥ 0: `within 5%` or `within 0.01`');
    return null;
  }
  return e.within.percent ? { value: v.value / 100, relative: true } : { value: v.value, relative: false };
}

function term(c: Checker, e: Expr): ClaimTerm | null {
  switch (e.kind) {
    case 'number':
      return { kind: 'number', value: e.value };
    case 'paren':
      return term(c, e.inner);
    case 'neg': {
      const x = term(c, e.operand);
      return x && { kind: 'neg', operand: x };
    }
    case 'binary': {
      const l = term(c, e.left);
      const r = term(c, e.right);
      return l && r && { kind: 'arith', op: e.op, left: l, right: r };
    }
    case 'call':
      return call(c, e);
    case 'missing':
    case 'error':
      return null;
    case 'ident':
      if (c.defs.has(e.name)) c.reference(e);
      c.error(e, 'claim-term', `a claim compares numbers read off runs, e.g. final(loss, ${c.defs.has(e.name) ? e.name : 'run'}); '${e.name}' alone is not a number`);
      return null;
    default:
      c.error(e, 'claim-term', 'a claim compares numbers: final(…), slope(…), theory(…), max(…), min(…), mean(…), numbers and + − × ÷');
      return null;
  }
}

function call(c: Checker, e: CallExpr): ClaimTerm | null {
  const b = CLAIM_BY_NAME.get(e.callee.name);
  if (!b) {
    const m = BUILTIN_BY_NAME.get(e.callee.name);
    const suggestion = didYouMean(e.callee.name, CLAIM_TERMS.map((x) => x.name));
    const message = m?.kind === 'metric'
      ? `a claim reads a metric through a term: final(${m.name}, run), slope(${m.name}, run), max(…), min(…)`
      : `unknown claim term '${e.callee.name}'${suggestion ? `: did you mean '${suggestion}'?` : `; claim terms: ${CLAIM_TERMS.map((x) => x.name).join(', ')}`}`;
    c.error(e.callee, 'unknown-function', message, suggestion && m?.kind !== 'metric' ? { data: { fix: 'replace', replacement: suggestion } } : {});
    c.visitArgsLoose(e);
    return null;
  }
  const { named } = c.bindArgs(e, b);
  const text = c.text.slice(e.start, e.end);
  const range = c.lines.range(e.start, e.end);
  if (b.name === 'mean') {
    const a = named.get('term');
    if (!a) {
      if (e.close !== null) c.error(e.callee, 'missing-argument', `mean(…) takes a term over a family: ${b.example.replace(/^expect /, '')}`);
      return null;
    }
    const inner = term(c, a.value);
    if (!inner) return null;
    if (claimReads(inner).length === 0) {
      c.error(a.value, 'claim-term', 'mean(…) averages a term over the members of a family: mean(final(loss, family))');
      return null;
    }
    return { kind: 'mean', term: inner, text, range };
  }
  const missing = b.params.filter((p) => !p.optional && !named.has(p.name)).map((p) => p.name);
  if (missing.length && e.close !== null) c.error(e.callee, 'missing-argument', `${b.name}(…) needs ${missing.join(' and ')}: ${b.name}(test_loss, run)`);
  const metricArg = named.get('metric');
  const runArg = named.get('run');
  const metric = metricArg ? metricOf(c, metricArg.value, b) : null;
  const run = runArg ? runOf(c, runArg.value) : null;
  const num = (name: string): number | null | undefined => {
    const a = named.get(name);
    if (!a) return null;
    if (a.value.kind === 'number' && a.value.value >= 0) return a.value.value;
    if (a.value.kind !== 'missing' && a.value.kind !== 'error') c.error(a.value, 'type', `'${name}' is a step, a number ≥ 0`);
    return undefined;
  };
  const from = num('from');
  const to = num('to');
  if (from === undefined || to === undefined || !metric || !run || !runArg) return null;
  if (from !== null && to !== null && to <= from) {
    c.error(named.get('to')!.value, 'type', `'to' (${to}) must come after 'from' (${from})`);
    return null;
  }
  checkMetricRun(c, metric, run, runArg.value, {}, b, metricArg ? metricNameOf(metricArg.value) : null);
  const series = metric.series![0];
  const read: Read = { kind: 'read', fn: b.name as Read['fn'], metric: metric.name, key: series.key, run, from, to, text, range };
  if (series.endOfRun) {
    // computed once from the completed run's final state (diagonal.ts): one number, no series
    if (b.name !== 'final') {
      c.error(metricArg!.value, 'claim-term', `${metric.name} is computed at the end of a run only: read it with final(${metric.name}, run)`);
      return null;
    }
    read.endOfRun = true;
  }
  if (b.name === 'theory') {
    if (!series.theoryRate) {
      const have = BUILTINS.filter((x) => x.kind === 'metric' && x.series?.some((y) => y.theoryRate)).map((x) => x.name);
      c.error(metricArg!.value, 'no-theory', `${metric.name} has no theory: theory(…) is defined for ${have.join(', ')}`);
      return null;
    }
    read.rate = series.theoryRate;
    const why = uncoveredBy(c, run);
    if (why) c.report(runArg.value.kind === 'select' ? runArg.value.target : runArg.value, 'warning', 'no-theory', `the theory gives no ${metric.name} prediction for '${c.text.slice(runArg.value.start, runArg.value.end)}': Theorem 4.2 is stated for momentum 0 and weight decay 0 (here ${why})`);
    if (series.theoryRateSq) read.rateSq = series.theoryRateSq;
  }
  return read;
}

function metricOf(c: Checker, e: Expr, b: Builtin): Builtin | null {
  const metrics = BUILTINS.filter((x) => x.kind === 'metric');
  if (e.kind === 'ident') {
    const m = BUILTIN_BY_NAME.get(e.name);
    if (m?.kind === 'metric') {
      c.words.push({ start: e.start, end: e.end });
      // a vector metric (alignment, gain, singular values of W1) is read as the mean of its entries
      return m;
    }
    const suggestion = didYouMean(e.name, metrics.map((x) => x.name));
    c.error(e, 'unknown-metric', `'${e.name}' is not a metric${suggestion ? `: did you mean '${suggestion}'?` : `; metrics: ${metrics.map((x) => x.name).join(', ')}`}`, suggestion ? { data: { fix: 'replace', replacement: suggestion } } : {});
    return null;
  }
  if (e.kind === 'call') {
    c.error(e, 'type', `${b.name}(…) reads a recorded metric by its name, without options: ${b.name}(${e.callee.name}, run)`);
    return null;
  }
  if (e.kind !== 'missing' && e.kind !== 'error') c.error(e, 'type', `${b.name}(…) takes a metric first, e.g. ${b.name}(test_loss, run)`);
  return null;
}

function runOf(c: Checker, e: Expr): Value | null {
  const notRun = (name: string, at: Expr) => {
    const cat = c.categories.get(name);
    if (cat === 'run' || cat === 'unknown') return false;
    c.error(at, 'type', `a claim reads runs; '${name}' is ${withArticle(cat === 'value' ? 'value' : KIND_LABEL[cat as NodeKind])}`);
    return true;
  };
  if (e.kind === 'ident') {
    if (!c.reference(e) || notRun(e.name, e)) return null;
    return { kind: 'ref', name: e.name };
  }
  if (e.kind === 'select') {
    const v = c.resolveSelect(e);
    if (!v) return null;
    const last = c.pendingSelects.pop()!;
    if (notRun(e.target.name, e) || !c.checkSelect(last)) return null;
    return v;
  }
  if (e.kind !== 'missing' && e.kind !== 'error') c.error(e, 'type', 'a claim reads named runs: define the run (`r = train(…)`) and write `r`');
  return null;
}

const hasSlope = (t: ClaimTerm) => claimReads(t).some((r) => r.fn === 'slope');
