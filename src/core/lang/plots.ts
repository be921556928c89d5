// Plots: `plot METRIC(runs…, options)`, `plot final(METRIC, families…, x = PARAM)`, `plot gain(runs…)`
// → PlotDef (src/core/program.ts), with each run checked against the metric (models it is
// defined for, data it needs) and `final`'s x checked against the families' swept parameters.
// Plot options are inlined literals: a plot has edges only to the runs it draws.
import type { CallExpr, Expr, Span } from './ast';
import type { PlotDef, Value } from '../program';
import { BUILTINS, BUILTIN_BY_NAME, KIND_LABEL, describeType, findParam, withArticle, type Builtin, type NodeKind, type ParamSpec } from './builtins';
import { didYouMean } from './suggest';
import { metricsFor } from './fileModels';
import { ambiguityMessage, fmt, nameable, type Checker } from './checker';

export function resolvePlot(c: Checker, e: Expr, index: number, stmt: Span): PlotDef | null {
  if (e.kind !== 'call') {
    if (e.kind !== 'missing' && e.kind !== 'error') {
      c.error(e, 'plot-expects-metric', 'plot draws a metric of runs, e.g. `plot loss(run)` or `plot final(test_loss, family, x = lr)`');
      c.visitLoose(e);
    }
    return null;
  }
  const b = c.lookupFunction(e.callee, new Set(['metric', 'plot']));
  if (!b) {
    c.visitArgsLoose(e);
    return null;
  }
  if (b.kind !== 'metric' && b.kind !== 'plot') {
    c.error(e.callee, 'plot-expects-metric', `plot draws a metric (loss, logdet, …) or final(…); ${b.name}(…) is ${withArticle(KIND_LABEL[b.kind])}`);
    c.visitArgsLoose(e);
    return null;
  }
  const deps: string[] = [];
  c.current = { name: null, deps };
  const { named, rest } = c.bindArgs(e, b);
  const runs: Value[] = [];
  const runCalls: { value: Value; node: Expr }[] = [];
  let errors = false;
  for (const a of rest) {
    const v = resolvePlotRun(c, a.value);
    if (v) {
      runs.push(v);
      runCalls.push({ value: v, node: a.value });
    } else errors = true;
  }
  // an unclosed call (reported) is still being typed: nothing is missing yet
  const typing = e.close === null;
  // `plot final()`: one error saying both what is missing, not two on the callee
  const metricParam = b.params.find((p) => p.type.t === 'metric');
  const noMetric = metricParam !== undefined && !named.has(metricParam.name);
  const noRuns = runs.length === 0 && !errors && b.variadic;
  if (noRuns && !typing && !noMetric) {
    c.error(e.callee, 'missing-argument', `${b.name}(…) needs at least one run: ${b.example}`, {
      data: firstRunName(c) ? { fix: 'insert', position: c.lines.position(e.close ?? e.end), text: (e.args.length ? ', ' : '') + firstRunName(c), title: `Add run '${firstRunName(c)}'` } : undefined,
    });
  }
  const options: Record<string, Value> = {};
  let metric: Builtin | null = b.kind === 'metric' ? b : null;
  for (const p of b.params) {
    const a = named.get(p.name);
    if (p.type.t === 'metric') {
      if (!a) {
        if (!typing) c.error(e.callee, 'missing-argument', noRuns ? 'final(…) needs a metric and the families to draw: final(test_loss, family, x = lr)' : 'final(…) needs the metric first: final(test_loss, family, x = lr)');
        continue;
      }
      metric = resolveMetricArg(c, a.value, options);
      if (metric) options.metric = { kind: 'word', value: metric.name };
      continue;
    }
    if (p.type.t === 'swept') {
      options.x = resolveSweptX(c, a?.value ?? null, runs, e) ?? { kind: 'null' };
      continue;
    }
    if (a) {
      const v = resolvePlotOption(c, a.value, p, b);
      options[p.name] = v ?? p.default ?? { kind: 'null' };
    } else options[p.name] = p.default ?? { kind: 'null' };
  }
  // a value of the final state only (bias_gap) has no curve along training
  if (b.kind === 'metric' && b.series?.length && b.series.every((x) => x.endOfRun)) {
    c.error(e.callee, 'final-only', `${b.name} is computed when a run completes, from its final state: draw it with final(${b.name}, family, x = lr)`);
  }
  // a log axis has no 0: its range must be positive
  const ylim = options.ylim;
  if (ylim?.kind === 'list' && options.y?.kind === 'word' && options.y.value === 'log' && ylim.items[0]?.kind === 'number' && ylim.items[0].value <= 0) {
    c.error(named.get('ylim')!.value, 'range', `on a log axis ylim must be positive (got [${ylim.items.map((i) => (i.kind === 'number' ? i.value : '?')).join(', ')}])`);
    options.ylim = { kind: 'null' };
  }
  // compatibility of each run with the metric
  if (metric) {
    const metricArg = metricParam ? named.get(metricParam.name)?.value : undefined;
    const site = b.kind === 'metric' ? e.callee : metricArg ? metricNameOf(metricArg) : null;
    for (const r of runCalls) checkMetricRun(c, metric, r.value, r.node, options, b, site);
    // final(…, x = lr, theory = true) also draws GD's stability limit where the core attaches one
    // (the models declaring `stabilityLimit`), so there theory = true draws something
    const limitDrawn = b.name === 'final' && options.x?.kind === 'word' && options.x.value === 'lr' &&
      runCalls.some((r) => { const call = c.callOf(r.value); const m = call?.builtin === 'train' ? c.modelOfRun(call) : null; return !!m && BUILTIN_BY_NAME.get(m.builtin)?.stabilityLimit !== undefined; });
    if (options.theory?.kind === 'bool' && options.theory.value && !metric.theory && !limitDrawn) {
      const a = named.get('theory')!;
      c.report(a, 'warning', 'no-theory', `${metric.name} has no theory line; theory = true draws nothing`);
    }
    // Theorem 4.2's line (a rate the core attaches) is left out for runs it does not cover
    if (options.theory?.kind === 'bool' && options.theory.value && metric.series?.some((x) => x.theoryRate)) {
      for (const r of runCalls) {
        const why = uncoveredBy(c, r.value);
        if (why) c.report(r.node.kind === 'select' ? r.node.target : r.node, 'warning', 'no-theory', `'${c.text.slice(r.node.start, r.node.end)}' gets no theory line: Theorem 4.2 is stated for momentum 0 and weight decay 0 (here ${why})`);
      }
    }
  }
  return { index, range: c.lines.range(stmt.start, stmt.end), builtin: b.name, runs, options, deps };
}

/** Why no member of a run has Theorem 4.2's rate, when every member has momentum or weight decay
 *  (numeric/momentum.ts and linear2.ts theory() attach none then): `momentum = 0.5`, or null. */
export function uncoveredBy(c: Checker, run: Value): string | null {
  const call = c.callOf(run);
  const opt = call?.builtin === 'train' ? c.callOf(call.args.optimizer) : null;
  if (!opt) return null;
  for (const name of ['momentum', 'weight_decay']) {
    const xs = c.numbers(opt.args[name]);
    if (xs.length && xs.every((x) => x > 0)) return `${name} = ${xs.join(', ')}`;
  }
  return null;
}

function firstRunName(c: Checker): string | null {
  for (const [n, cat] of c.categories) if (cat === 'run') return n;
  return null;
}

function resolvePlotRun(c: Checker, e: Expr): Value | null {
  if (e.kind === 'ident') {
    if (!c.reference(e)) return null;
    const cat = c.categories.get(e.name);
    if (cat !== 'run' && cat !== 'unknown') {
      c.error(e, 'type', `a plot draws runs; '${e.name}' is ${withArticle(cat === 'value' ? 'value' : KIND_LABEL[cat as NodeKind])}`);
      return null;
    }
    return { kind: 'ref', name: e.name };
  }
  if (e.kind === 'select') {
    const v = c.resolveSelect(e);
    if (!v) {
      // its well-formed pairs are still checked
      if (c.pendingSelects.at(-1)?.node === e) c.checkSelect(c.pendingSelects.pop()!);
      return null;
    }
    const cat = c.categories.get(e.target.name);
    if (cat !== 'run' && cat !== 'unknown') {
      c.error(e.target, 'type', `a plot draws runs; '${e.target.name}' is ${withArticle(cat === 'value' ? 'value' : KIND_LABEL[cat as NodeKind])}`);
      return null;
    }
    const last = c.pendingSelects.pop()!;
    return c.checkSelect(last) ? v : null;
  }
  if (e.kind === 'call') {
    c.error(e, 'type', 'a plot draws named runs: define the run (`r = train(…)`) and plot `r`');
    c.visitArgsLoose(e);
    return null;
  }
  if (e.kind !== 'missing' && e.kind !== 'error') c.error(e, 'type', 'a plot draws runs (names of train(…) definitions)');
  return null;
}

function resolvePlotOption(c: Checker, e: Expr, p: ParamSpec, b: Builtin): Value | null {
  // plot options are inlined literals: a plot has no edges to value definitions
  if (e.kind === 'ident' && p.type.t !== 'word' && c.defs.has(e.name)) {
    c.reference(e);
    const v = c.inlineValue(e.name);
    if (!v) {
      c.error(e, 'type', `'${p.name}' takes ${describeType(p.type)}`);
      return null;
    }
    if (v.kind === 'number' && p.type.t === 'number') return c.checkNumber(e, v.value, p, b) ? v : null;
    if ((v.kind === 'string' && p.type.t === 'string') || (v.kind === 'bool' && p.type.t === 'bool')) return v;
    c.error(e, 'type', `'${p.name}' takes ${describeType(p.type)}`);
    return null;
  }
  return c.resolveArg(e, p, b);
}

function resolveMetricArg(c: Checker, e: Expr, options: Record<string, Value>): Builtin | null {
  const metrics = BUILTINS.filter((x) => x.kind === 'metric');
  if (e.kind === 'ident') {
    const m = BUILTIN_BY_NAME.get(e.name);
    if (m && m.kind === 'metric') {
      c.words.push({ start: e.start, end: e.end });
      for (const p of m.params) if (!(p.name in options) && !['x', 'y', 'theory', 'title', 'xlim', 'ylim'].includes(p.name)) options[p.name] = p.default ?? { kind: 'null' };
      return m;
    }
    const suggestion = didYouMean(e.name, metrics.map((x) => x.name));
    c.error(e, 'unknown-metric', `'${e.name}' is not a metric${suggestion ? `: did you mean '${suggestion}'?` : `; metrics: ${metrics.map((x) => x.name).join(', ')}`}`, suggestion ? { data: { fix: 'replace', replacement: suggestion } } : {});
    return null;
  }
  if (e.kind === 'call') {
    const m = c.lookupFunction(e.callee, new Set(['metric']));
    if (!m) return null;
    if (m.kind !== 'metric') {
      c.error(e.callee, 'type', `${m.name}(…) is not a metric`);
      return null;
    }
    const { named, rest } = c.bindArgs(e, m);
    for (const a of rest) c.error(a.value, 'type', 'inside final(…) the metric takes only options; list the families after it: final(rank(tol = 1e-3), gd, sgd, x = lr)');
    for (const p of m.params) {
      if (['x', 'y', 'theory', 'title'].includes(p.name)) {
        const a = named.get(p.name);
        if (a) c.error(a, 'type', `give '${p.name}' to final(…), not to the metric`);
        continue;
      }
      const a = named.get(p.name);
      options[p.name] = (a ? resolvePlotOption(c, a.value, p, m) : null) ?? p.default ?? { kind: 'null' };
    }
    return m;
  }
  if (e.kind !== 'missing' && e.kind !== 'error') c.error(e, 'type', `final(…) takes a metric first, e.g. test_loss`);
  return null;
}

function resolveSweptX(c: Checker, e: Expr | null, runs: Value[], call: CallExpr): Value | null {
  // parameters swept by every plotted family
  let common: string[] | null = null;
  for (const r of runs) {
    const ax = r.kind === 'ref' ? c.axesOf(r.name) : r.kind === 'select' ? new Map([...c.axesOf(r.name)].filter(([k]) => !r.where.some((w) => w.param === k))) : new Map();
    const keys = [...ax.keys()];
    common = common === null ? keys : common.filter((k) => keys.includes(k));
  }
  for (const r of runs) {
    if (r.kind === 'ref' && c.axesOf(r.name).size === 0 && c.categories.get(r.name) === 'run') {
      const site = call.args.find((a) => a.value.kind === 'ident' && a.value.name === r.name)!;
      c.report(site.value, 'warning', 'not-a-family', `'${r.name}' is not a family: final(…) draws a single point for it`);
    }
  }
  if (e === null) {
    if (common && common.length === 1) return { kind: 'word', value: common[0] };
    if (call.close === null) return null; // still being typed (the unclosed '(' is reported)
    if (common && common.length > 1) {
      const named = common.filter(nameable);
      c.error(call.callee, 'missing-argument', `final(…) needs x: the families are swept over ${common.join(', ')}${named.length < common.length ? `; x can be ${named.length ? named.join(', ') : 'none of them'} (a qualified parameter such as ${common.find((k) => !nameable(k))} cannot be named)` : ''}`);
    }
    else if (runs.length && common?.length === 0 && runs.some((r) => r.kind === 'ref' && c.axesOf(r.name).size > 0))
      c.error(call.callee, 'missing-argument', 'final(…) needs x = PARAM, a parameter swept by every family');
    return null;
  }
  if (e.kind !== 'ident') {
    c.error(e, 'type', 'x names the swept parameter, e.g. x = lr');
    return null;
  }
  c.words.push({ start: e.start, end: e.end });
  if (common && !common.includes(e.name)) {
    for (const r of runs) {
      if (r.kind !== 'ref' && r.kind !== 'select') continue;
      const ambiguous = c.ambiguousAxes(r.name, e.name);
      if (ambiguous.length) {
        c.error(e, 'ambiguous-axis', ambiguityMessage(r.name, e.name, ambiguous, 'x'), { related: c.ambiguitySites(ambiguous) });
        return null;
      }
    }
    const suggestion = didYouMean(e.name, common.filter(nameable));
    const msg = common.length
      ? `the plotted families are not all swept over '${e.name}'; they share: ${common.join(', ')}`
      : `the plotted families share no swept parameter, so '${e.name}' cannot be the x axis`;
    c.error(e, 'unknown-axis', msg + (suggestion ? `. Did you mean '${suggestion}'?` : ''), suggestion ? { data: { fix: 'replace', replacement: suggestion } } : {});
    return null;
  }
  return { kind: 'word', value: e.name };
}

/** The name of a metric argument (`test_loss`, `rank` of `rank(tol = 1e-3)`), or null. */
export function metricNameOf(e: Expr): Span | null {
  return e.kind === 'ident' ? e : e.kind === 'call' ? e.callee : null;
}

/**
 * The metrics a quick fix offers in place of one not defined for `model`: those defined for it,
 * loss first; a plot of curves leaves out the metrics only computed at a run's end.
 */
function replacementsFor(model: string, plot: Builtin): string[] {
  const curves = plot.kind === 'metric';
  const ok = metricsFor(model as never).filter((m) => !(curves && m.series?.length && m.series.every((x) => x.endOfRun))).map((m) => m.name);
  return ok.includes('loss') ? ['loss', ...ok.filter((m) => m !== 'loss')] : ok;
}

export function checkMetricRun(c: Checker, metric: Builtin, run: Value, node: Expr, options: Record<string, Value>, plot: Builtin, metricSite: Span | null = null): void {
  const call = c.callOf(run);
  if (!call || call.builtin !== 'train') return;
  const model = c.modelOfRun(call);
  const data = c.callOf(call.args.data);
  const span = node.kind === 'select' ? node.target : node;
  if (model && metric.models && !metric.models.includes(model.builtin as never)) {
    const what = metric.modelsWhy ?? `${metric.name} is defined for ${metric.models.join(', ')}`;
    const metrics = metricSite ? replacementsFor(model.builtin, plot) : [];
    c.error(span, 'incompatible-metric', `${what}; '${valueName(run)}' trains a ${model.builtin} model`,
      metrics.length ? { data: { fix: 'metric', at: c.lines.range(metricSite!.start, metricSite!.end), metrics, model: model.builtin } } : {});
    return;
  }
  // the matrices a model records (its row's `matrices`), for a metric that names one (`of = W2`)
  const only = model && BUILTIN_BY_NAME.get(model.builtin)?.matrices;
  const of = options.of;
  if (only && metric.params.some((p) => p.name === 'of') && of?.kind === 'word' && !only.of.includes(of.value)) {
    c.error(span, 'incompatible-metric', `${only.why}: use of = ${only.of[0]} (not ${of.value})`);
  }
  // a metric measured against the data's teacher (its row's `against`)
  const against = metric.against;
  const dRow = data ? BUILTIN_BY_NAME.get(data.builtin) : undefined;
  if (against && data && dRow) {
    const need = against.data;
    const word = (k: string) => { const v = data.args[k] ?? findParam(dRow, k)?.default; return v?.kind === 'word' ? v.value : null; };
    if (need && !(data.builtin === need.name && Object.entries(need.args).every(([k, w]) => data.args[k]?.kind === 'word' && word(k) === w))) {
      const what = data.builtin === need.name ? `a ${Object.keys(need.args).map(word).join(' ')} ${data.builtin}` : `${data.builtin} data`;
      c.error(span, 'incompatible-metric', `${against.why}: '${valueName(run)}' is trained on ${what}; use ${against.instead}`);
    } else if (!need && dRow.teacherless) {
      c.error(span, 'incompatible-metric', `${against.why}; '${valueName(run)}' is trained on ${dRow.teacherless}, which has none: use ${against.instead}`);
    }
  }

  // a data set with a held-out size `test` (completion's test set is its missing entries)
  if (metric.name === 'test_loss' && data && BUILTIN_BY_NAME.get(data.builtin)?.params.some((p) => p.name === 'test') && c.numbers(data.args.test).includes(0)) {
    c.report(span, 'warning', 'empty-test-set', `'${valueName(run)}' has test = 0: there is no test set to measure`);
  } else if (metric.name === 'test_loss' && data?.builtin === 'csv' && data.args.$values?.kind === 'matrix') {
    // a small file: n_test = round(test · rows) can be 0 (numeric/csvData.ts csvSplit)
    const rows = (data.args.$values.rows as number[][]).length;
    const test = data.args.test ?? findParam(dRow!, 'test')?.default;
    const t = c.numbers(test).find((x) => x > 0 && Math.round(x * rows) === 0);
    if (t !== undefined) c.report(span, 'warning', 'empty-test-set', `'${valueName(run)}' holds out no test row: test = ${fmt(t)} of ${rows} row${rows === 1 ? '' : 's'} rounds to 0`);
  }
  void plot;
}

function valueName(v: Value): string {
  return v.kind === 'ref' ? v.name : v.kind === 'select' ? `${v.name}[${v.where.map((w) => `${w.param} = ${fmt(w.value)}`).join(', ')}]` : '?';
}
