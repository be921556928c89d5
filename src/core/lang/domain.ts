// Cross-definition checks on one resolved call: local constraints between parameters, model/data
// compatibility, and the domain warnings of the spec (degenerate widths, GD stability, cost).
//
// Families make grids (every combination of the lists exists), so a constraint a ≤ b holds for
// every member iff max(a) ≤ min(b): comparing extremes is exact, not an approximation.
import type { Arg, Span } from './ast';
import type { Value } from '../program';
import type { DataSpec, RunSpec, ScheduleSpec } from '../spec';
import type { CallSite, CallValue, Checker, StabilityNote } from './checker';
import { fmt, placeholder } from './checker';
import { BUILTIN_BY_NAME, findParam, fullBatchSteps, type Builtin } from './builtins';
import { resolveCall, resolveRun, type Arg as SpecArg } from '../resolve/spec';
import { MAX_MEMBERS } from '../resolve/axes';
import { about, fmtBytes, fmtFlops, fmtSeconds } from './units';
import { recordRuns } from './budget';
import { checkCompatibility } from './constraints';

export { fmtBytes, fmtSeconds } from './units';

export interface CostEstimate {
  bytes: number;
  flops: number;
  seconds: number;
  /** what a finished run keeps in memory (its trajectory and bookkeeping) */
  kept?: number;
}
export interface DomainHooks {
  /** λ_max(XᵀX) of a data set (rescaled inputs), when the numerics provide it */
  lambdaMax?: (data: DataSpec, rootSeed: number) => number | null;
  /** estimated memory and time of one run */
  estimate?: (spec: RunSpec) => CostEstimate;
  /** a schedule's largest stepsize over `steps` steps, as the run loop computes it */
  maxStepsize?: (schedule: ScheduleSpec, steps: number) => number;
  /** limits above which a run is refused */
  limits?: { bytes: number; seconds: number };
  /** limits on a whole file: its number of runs, their summed time, the memory their results keep */
  fileLimits?: { runs: number; seconds: number; bytes: number };
  /** the rows of numbers of a `csv(path, …)` data file (src/core/dataFiles.ts: the path rules, the
   *  size caps, the content hash), or why it cannot be read; absent: no file is read here */
  readData?: (path: string, header: 'auto' | 'yes' | 'no') => DataFile;
  /** appended to a refusal for size: how this caller lets the limits be raised (the CLI's options) */
  limitHint?: string;
}

export type DataFile =
  | { ok: true; hash: string; rows: number[][]; names: string[] | null }
  | { ok: false; message: string; row?: number; col?: number };

const max = (xs: number[]) => (xs.length ? Math.max(...xs) : NaN);
const min = (xs: number[]) => (xs.length ? Math.min(...xs) : NaN);

/**
 * λ_max(XᵀX) for X with iid N(0, 1/n) entries (n × p): the Marchenko–Pastur upper edge
 * (1 + √(p/n))², accurate to O(n^{-2/3}) fluctuations (Tracy–Widom) — enough for a warning.
 */
export function marchenkoPasturEdge(n: number, p: number): number {
  return (1 + Math.sqrt(p / n)) ** 2;
}

export function domainChecks(c: Checker, site: CallSite): void {
  const a = site.value.args;
  const span = (name: string): Span => site.args.get(name)?.value ?? site.node.callee;
  switch (site.builtin.name) {
    case 'teacher': {
      const relu = a.activation?.kind === 'word' && a.activation.value === 'relu';
      if (relu && max(c.numbers(a.k)) > 1) c.error(span('k'), 'incompatible', 'a ReLU teacher has one output: k must be 1');
      if (!relu && site.args.has('neurons')) c.report(site.args.get('neurons')!, 'warning', 'ignored', 'neurons counts the units of a ReLU teacher; a linear teacher ignores it (add activation = relu)');
      break;
    }
    case 'sparse': {
      const s = c.numbers(a.s);
      const d = c.numbers(a.d);
      if (max(s) > min(d)) c.error(span('s'), 'range', `s = ${fmt(max(s))} non-zeros do not fit in d = ${fmt(min(d))} coordinates: s ≤ d`);
      break;
    }
    case 'completion': {
      // an invalid matrix was reported already: still counts as given
      const observed = (a.observed && a.observed.kind !== 'null') || site.args.has('observed');
      const sized = site.args.has('rows') || site.args.has('cols');
      if (observed && sized) c.error(span('rows'), 'conflict', 'give either observed = [[…]] or rows and cols, not both');
      // an unclosed call (reported) is still being typed: nothing is missing yet
      else if (!observed && !(site.args.has('rows') && site.args.has('cols')) && site.node.close !== null) {
        const missing = ['rows', 'cols'].filter((n) => !site.args.has(n));
        c.error(site.node.callee, 'missing-argument', `completion(…) needs observed = [[…]] (a matrix with ? for missing entries), or rows and cols of a random rank-r matrix`, {
          data: { fix: 'insert', position: c.lines.position(site.node.close ?? site.node.end), text: (site.node.args.length ? ', ' : '') + missing.map((n) => `${n} = 10`).join(', '), title: `Add ${missing.join(', ')}` },
        });
      }
      if (!observed && sized) {
        const r = max(c.numbers(a.rank));
        const m = Math.min(min(c.numbers(a.rows)), min(c.numbers(a.cols)));
        if (r > m) c.error(span('rank'), 'range', `rank ${fmt(r)} exceeds min(rows, cols) = ${fmt(m)}`);
      }
      const mat = matrixOf(c, a.observed);
      if (mat && !mat.some((r) => r.includes(null))) c.report(span('observed'), 'warning', 'nothing-missing', 'no entry is missing (?): there is nothing to complete');
      break;
    }
    case 'csv':
      loadCsv(c, site, span);
      break;
    case 'deep_linear':
      if (min(c.numbers(a.depth)) === 2) c.report(span('depth'), 'info', 'shallow', 'rank jumps need depth ≥ 3: depth 2 has no rank-1 minimum in the 2×2 completion problem (Wang & Jacot)');
      break;
    case 'train':
      checkRun(c, site);
      break;
  }
}

function matrixOf(c: Checker, v: Value | undefined, seen = new Set<string>()): (number | null)[][] | null {
  if (!v) return null;
  if (v.kind === 'matrix') return v.rows;
  if (v.kind === 'ref' && !seen.has(v.name)) {
    seen.add(v.name);
    return matrixOf(c, c.values.get(v.name), seen);
  }
  return null;
}

/**
 * Reads a csv(…) call's file through the hook and attaches its content to the call's value: the
 * hash (`$hash`) and the rows (`$values`), which resolve/spec.ts puts in the DataSpec (`$` is not
 * an identifier character: no file can write them). A file that cannot be read is an error at
 * `path`, naming the row and column of the first problem.
 */
function loadCsv(c: Checker, site: CallSite, span: (name: string) => Span): void {
  const a = site.value.args;
  if (a.path?.kind !== 'string') return;
  const header = a.header?.kind === 'word' ? (a.header.value as 'auto' | 'yes' | 'no') : 'auto';
  const r: DataFile = c.opts.readData ? c.opts.readData(a.path.value, header) : { ok: false, message: 'no data file is read here (no reader was given to the checker)' };
  if (!r.ok) {
    c.error(span('path'), 'data-file', r.message, r.row !== undefined ? { data: { row: r.row, col: r.col } } : {});
    return;
  }
  const cols = r.rows[0]!.length;
  const targets = c.numbers(a.targets);
  if (max(targets) >= cols) {
    c.error(span('targets'), 'range', `targets = ${fmt(max(targets))} leaves no input column: the file has ${cols} column${cols === 1 ? '' : 's'}`);
    return;
  }
  a.$hash = { kind: 'string', value: r.hash };
  a.$values = { kind: 'matrix', rows: r.rows };
}

/** numeric/csvData.ts csvSplit (the language may not import the numeric core): ntest = round(test · rows), ≥ 1 row trained on */
const csvSplit = (total: number, test: number) => ({ n: total - Math.min(Math.max(0, Math.round(test * total)), total - 1) });

const csvRows = (data: CallValue): number[][] | null => (data.args.$values?.kind === 'matrix' ? (data.args.$values.rows as number[][]) : null);

/** Number of training samples (completion: observed entries). */
function samples(c: Checker, data: CallValue): number[] {
  if (data.builtin === 'csv') {
    const rows = csvRows(data);
    return rows ? c.numbers(data.args.test).map((t) => csvSplit(rows.length, t).n) : [];
  }
  if (data.builtin === 'completion') {
    const m = matrixOf(c, data.args.observed);
    if (m) return [m.flat().filter((x) => x !== null).length];
    const rows = c.numbers(data.args.rows);
    const cols = c.numbers(data.args.cols);
    const f = c.numbers(data.args.fraction);
    if (!rows.length || !cols.length || !f.length) return [];
    return [Math.max(1, Math.round(min(rows) * min(cols) * min(f)))];
  }
  return c.numbers(data.args.n);
}

/** (inputs, outputs) of a data set, from its row's `shape`: teacher (p, k), sparse (d, 1),
 *  completion (rows, cols, or the observed matrix's), csv (its file's other columns, targets). */
function shape(c: Checker, data: CallValue): [number[], number[]] | null {
  const row = BUILTIN_BY_NAME.get(data.builtin);
  if (!row?.shape) return null;
  const outs = row.shape.outputs ? sizes(c, data, row, row.shape.outputs) : [1];
  if (row.shape.inputs) return [sizes(c, data, row, row.shape.inputs), outs];
  const rows = csvRows(data);
  return rows ? [outs.map((t) => rows[0]!.length - t), outs] : null;
}

/** The values of a size parameter, read off its matrix when that is given (`sizeOf`). */
function sizes(c: Checker, data: CallValue, row: Builtin, name: string): number[] {
  const p = findParam(row, name);
  const m = p?.sizeOf ? matrixOf(c, data.args[p.sizeOf.matrix]) : null;
  if (m) return [p!.sizeOf!.axis === 'rows' ? m.length : (m[0]?.length ?? 0)];
  return c.numbers(data.args[name]);
}

function checkRun(c: Checker, site: CallSite): void {
  const run = site.value;
  const a = run.args;
  const argNode = (name: string): Span => site.args.get(name)?.value ?? site.node.callee;
  const model = c.modelOfRun(run);
  const data = c.callOf(a.data);
  const opt = c.callOf(a.optimizer);
  if (!model || !data) return;
  const modelSpan = argNode('model');
  const dataSpan = argNode('data');
  const optSpan = argNode('optimizer');
  const m = model.builtin;
  const d = data.builtin;
  const dRow = BUILTIN_BY_NAME.get(d);
  const k = dRow?.shape?.outputs ? c.numbers(data.args[dRow.shape.outputs]) : [1];
  const gaussian = dRow?.gaussian === true;

  // ---- compatibility: the constraints the rows declare (builtins.ts) ----
  if (!checkCompatibility(c, { model, data, opt, k }, { model: modelSpan, data: dataSpan, optimizer: optSpan })) return;

  // ---- offshoot: the continued run must have data of the same shape ----
  const parent = c.callOf(a.model);
  if (parent && parent.builtin === 'train') {
    const pd = c.callOf(parent.args.data);
    const s1 = pd ? shape(c, pd) : null;
    const s2 = shape(c, data);
    if (pd && s1 && s2 && (pd.builtin !== d || s1[0].join() !== s2[0].join() || s1[1].join() !== s2[1].join())) {
      c.error(modelSpan, 'offshoot-shape', `an offshoot continues the parameters of its parent run, so its data must have the same shape; the parent has ${pd.builtin} data of shape ${s1[0].join('|')}×${s1[1].join('|')}, this run ${d} data of ${s2[0].join('|')}×${s2[1].join('|')}`);
    }
  }

  // ---- degenerate widths: the row's `minWidth` (linear2: θ = [W1ᵀ | W2] is l × (p + k), so
  // det(θᵀθ) ≡ 0 when l < p + k) ----
  const minWidth = BUILTIN_BY_NAME.get(m)?.minWidth;
  if (minWidth) {
    const sh = shape(c, data);
    const widths = c.numbers(model.args.width);
    if (sh && widths.length && sh[0].length && sh[1].length) {
      const need = minWidth.need(max(sh[0]), max(sh[1]));
      // once per (model, data) pair of definitions: every run of the pair has the same shapes
      const pair = a.model?.kind === 'ref' && a.data?.kind === 'ref' ? `${a.model.name}|${a.data.name}` : null;
      if (min(widths) < need && !(pair && warnedPairs(c).has(pair))) {
        if (pair) warnedPairs(c).add(pair);
        c.report(modelSpan, 'warning', 'rank-deficient', `${minWidth.what} because width = ${fmt(min(widths))} < ${minWidth.form} = ${fmt(need)} (${minWidth.because}): ${minWidth.consequence}`);
      }
    }
  }

  if (!opt) return;
  const n = samples(c, data);
  // ---- mini-batches ----
  const batch = c.numbers(opt.args.batch);
  const oRow = BUILTIN_BY_NAME.get(opt.builtin);
  const batchParam = oRow && findParam(oRow, 'batch');
  if (batchParam && batch.length && n.length && max(batch) > min(n)) {
    c.error(batchSpan(c, opt, optSpan), 'range', `batch = ${fmt(max(batch))} is larger than the number of ${dRow?.samplesAre ?? 'samples'} (${fmt(min(n))})`);
  }

  // ---- cost, before stability: an experiment too large to run is refused with its estimate,
  // and its data are never generated for λ_max (a 10⁸-row test set cost gigabytes a keystroke) ----
  if (checkCost(c, site, model, data, opt)) return;
  // the longest member's steps: a schedule's largest stepsize may come late (numeric maxStepsize)
  const steps = Math.max(1, max(c.numbers(a.steps)) || 1);

  // ---- GD stability: on the quadratic loss ½‖Y − Xw‖², GD diverges iff η > 2/λ_max(XᵀX) ----
  // the members whose steps are full-batch GD steps (the table's `gdSteps`, builtins.ts
  // fullBatchSteps): GD's limit applies to those. Genuine minibatches get no warning:
  // SGD's own limit depends on b and on the data (it can diverge below 2/λ_max, and sampling
  // without replacement keeps even its mean iterate from being a GD step), so 2/λ_max is not
  // its threshold and a warning would be a guess.
  const full = (b: number | null) => fullBatchSteps(opt.builtin, b, max(n));
  const fullBatches = batch.filter(full);
  const fullBatch = (batch.length ? batch : [batchParam?.default?.kind === 'number' ? batchParam.default.value : null]).some(full);
  const byBatch = fullBatches.length === 0 ? ''
    : fullBatches.length === batch.length ? ` (batch = ${fmt(max(fullBatches))} ≥ n = ${fmt(max(n))}: every step is a full-batch GD step)`
    : ` (for the members with batch ≥ n = ${fmt(max(n))}, which take full-batch GD steps; smaller batches are not checked)`;
  const curv = BUILTIN_BY_NAME.get(m)?.initCurvature;
  if (fullBatch && gaussian && curv && checkInitCurvature(c, curv, model, data, opt, optSpan, byBatch, steps)) return;
  if (fullBatch && gaussian) {
    // heavy ball on a quadratic: stable iff η·λ < 2(1 + μ) (the smallest μ of the members: the
    // tightest of their limits)
    const mus = c.numbers(opt.args.momentum);
    const mu = mus.length ? min(mus) : 0;
    // a schedule is checked at its largest stepsize
    const sched = c.callOf(opt.args.lr);
    const lrs = scheduleMaxima(c, opt.args.lr, steps);
    const lam = lambdaMaxOf(c, data, max(lrs) / (1 + mu));
    if (lam && Number.isFinite(lam.value) && lam.value > 0) {
      const limit = (2 * (1 + mu)) / lam.value;
      noteStability(c, opt, { limit, lambda: lam.value, source: lam.source, diagonal: m === 'diagonal' });
      const over = lrs.filter((x) => x > limit);
      if (over.length) {
        const name = sched ? `the largest stepsize of ${sched.builtin}(…)` : 'lr';
        const which = lrs.length > 1 ? `${over.length} of ${lrs.length} members (${name} = ${over.slice(0, 3).map(fmt).join(', ')}${over.length > 3 ? ', …' : ''})` : `${name} = ${fmt(over[0])}`;
        const lim = `${mu > 0 ? `2(1 + μ)/λ_max(XᵀX) with μ = ${fmt(mu)}` : '2/λ_max(XᵀX)'} ≈ ${fmt(Number(limit.toPrecision(3)))} (λ_max ≈ ${fmt(Number(lam.value.toPrecision(3)))}, ${lam.source})`;
        // a diagonal network's curvature near β is λ(D^½ XᵀX D^½), D = diag(u² + v²) ≈ diag(2|β|):
        // its limit depends on the teacher and is not 2/λ_max(XᵀX) (Even et al.), so only a note
        if (m === 'diagonal') c.report(lrSpan(c, opt, optSpan), 'info', 'unstable-lr', `${which} above ${lim}, the stability limit of GD on the linear model; a diagonal network's own limit scales with 1/(2|β|) and may differ${byBatch}`);
        else c.report(lrSpan(c, opt, optSpan), 'warning', 'unstable-lr', `${which} above GD's stability limit ${lim}: GD diverges at this stepsize${byBatch}`);
      }
    }
  }
}

/**
 * The largest stepsize of each member: lr itself, or a schedule's largest stepsize as the run loop
 * computes it (the `maxStepsize` hook: numeric/stepsize.ts, on the schedule resolved as lowering
 * resolves it): one value per combination of the schedule's lists (a family is their grid), repeats
 * dropped. Without the hook (a caller with no numeric core) a schedule is not checked.
 */
function scheduleMaxima(c: Checker, lr: Value | undefined, steps: number): number[] {
  const s = c.callOf(lr);
  if (!s) return c.numbers(lr);
  const maxStepsize = c.opts.maxStepsize;
  if (!maxStepsize) return [];
  let grid: Record<string, SpecArg | undefined>[] = [{}];
  for (const [k, v] of Object.entries(s.args)) {
    const xs = c.numbers(v);
    grid = grid.flatMap((g) => (xs.length ? xs : [undefined]).map((x) => ({ ...g, [k]: x })));
  }
  const out: number[] = [];
  for (const args of grid) {
    try {
      const m = maxStepsize(resolveCall({ call: s.builtin, args }, ['schedule']) as unknown as ScheduleSpec, steps);
      if (Number.isFinite(m) && !out.includes(m)) out.push(m);
    } catch {
      // an argument missing or invalid: reported where it is written
    }
  }
  return out;
}

/**
 * GD on linear2 at its initialisation (docs/theory.md §7b). The loss Hessian's Gauss–Newton part
 * has, in expectation over the Gaussian init, a Rayleigh quotient 2·l·s²·λ_max(XᵀX) along the
 * top eigenvector of XXᵀ (l = width, s = init scale, any k), so λ_max(H₀) ≳ 2ls²λ_max(XᵀX): GD's
 * linearised dynamics are unstable from the first step once lr > 2/λ_max(H₀). Between 2/λ and 4/λ
 * the loss grows, then the curvature may fall and the run recover (the catapult phase); above
 * 4/λ the two-layer model diverges. True when it reported (then the linear model's weaker limit
 * is not reported too).
 */
function checkInitCurvature(c: Checker, curv: NonNullable<Builtin['initCurvature']>, model: CallValue, data: CallValue, opt: CallValue, optSpan: Span, byBatch: string, steps: number): boolean {
  const widths = c.numbers(model.args.width);
  const init = model.args.init ? c.callOf(model.args.init) : null;
  if (init && init.builtin !== 'gaussian') return false;
  const scales = init ? c.numbers(init.args.scale) : [];
  const l = max(widths);
  const sc = scales.length ? max(scales) : 1;
  const gain = curv.factor(l, sc);
  // only when the model at init is more curved than the linear model it computes
  if (!(gain > 1) || !Number.isFinite(gain)) return false;
  const lrs = scheduleMaxima(c, opt.args.lr, steps);
  if (!lrs.length) return false;
  const lam = lambdaMaxOf(c, data, max(lrs) * gain);
  if (!lam || !Number.isFinite(lam.value) || !(lam.value > 0)) return false;
  const h0 = gain * lam.value;
  // heavy ball: stable iff η·λ < 2(1 + μ) (§7), at the smallest μ of the members
  const mus = c.numbers(opt.args.momentum);
  const mu = mus.length ? min(mus) : 0;
  const limit = (2 * (1 + mu)) / h0;
  noteStability(c, opt, { limit, lambda: lam.value, source: lam.source, diagonal: false, form: `${mu > 0 ? '2(1 + μ)' : '2'}/(${curv.form}·λ_max(XᵀX)), the limit at initialisation` });
  // Only where it diverges (above about twice the limit): between the limit and twice it the loss
  // grows at first and usually recovers (catapult), too common with the default init to flag.
  const over = lrs.filter((x) => x > 2 * limit);
  if (!over.length) return false;
  const which = lrs.length > 1 ? `${over.length} of ${lrs.length} members (lr = ${over.slice(0, 3).map(fmt).join(', ')}${over.length > 3 ? ', …' : ''})` : `lr = ${fmt(over[0])}`;
  const p3 = (x: number) => fmt(Number(x.toPrecision(3)));
  const safe = Number((0.9 * limit).toPrecision(2));
  const why = `at initialisation the loss Hessian's top eigenvalue is ≈ ${curv.form}·λ_max(XᵀX) ≈ ${p3(h0)} (width = ${fmt(l)}, scale = ${fmt(sc)}, λ_max(XᵀX) ≈ ${p3(lam.value)}, ${lam.source}), so GD is stable for lr < 2/λ_max ≈ ${p3(limit)}`;
  const msg = `${which} above GD's stability limit at initialisation: ${why}; above twice that it diverges within a few steps. Try lr = ${fmt(safe)}, or a smaller init scale${byBatch}`;
  // the quick fix: a single lr written as a number inside this run's optimiser
  const site = c.siteOf(opt);
  const arg = site?.args.get('lr');
  const lit = arg && lrs.length === 1 && arg.value.kind === 'number' && arg.start >= optSpan.start && arg.end <= optSpan.end ? arg.value : null;
  c.report(lit ?? lrSpan(c, opt, optSpan), 'warning', 'unstable-init', msg,
    lit ? { data: { fix: 'replace', replacement: fmt(safe), title: `Set lr = ${fmt(safe)}, below 2/λ_max ≈ ${p3(limit)}` } } : {});
  return true;
}

/** Where the optimiser's `lr` is written (its own definition, or inline): a hover on that number
 *  tells the limit it was checked against. Once per (value, limit). */
function noteStability(c: Checker, opt: CallValue, n: Omit<StabilityNote, 'start' | 'end'>): void {
  const a = c.siteOf(opt)?.args.get('lr');
  if (!a) return;
  const { start, end } = a.value;
  if (c.stability.some((s) => s.start === start && s.end === end && s.limit === n.limit)) return;
  c.stability.push({ start, end, ...n });
}

const pairsOf = new WeakMap<Checker, Set<string>>();
function warnedPairs(c: Checker): Set<string> {
  let s = pairsOf.get(c);
  if (!s) pairsOf.set(c, (s = new Set()));
  return s;
}

function lambdaMaxOf(c: Checker, data: CallValue, lr: number): { value: number; source: string } | null {
  const ns = c.numbers(data.args.n);
  const inputs = BUILTIN_BY_NAME.get(data.builtin)?.shape?.inputs;
  const ps = inputs ? c.numbers(data.args[inputs]) : [];
  if (!ns.length || !ps.length) return null;
  // the largest λ_max over the members: fewest samples, most dimensions
  const n = min(ns);
  const p = max(ps);
  const edge = marchenkoPasturEdge(n, p);
  // The data set is generated only when the stepsize is within a factor 4 of the edge's limit:
  // λ_max of a Gaussian design exceeds 4× its edge with negligible probability, so below that
  // no warning is possible and a keystroke never pays for generating data.
  if (!(lr * edge * 4 > 2)) return { value: edge, source: 'Marchenko–Pastur edge (1 + √(p/n))²' };
  if (c.opts.lambdaMax) {
    const spec = dataSpecOf(c, data, n, p);
    const v = spec ? c.opts.lambdaMax(spec, c.seed) : null;
    if (v !== null && v !== undefined && Number.isFinite(v)) return { value: v, source: 'of this data set' };
  }
  return { value: edge, source: 'Marchenko–Pastur edge (1 + √(p/n))²' };
}

/** The data set of a check on λ_max: the call as resolved (resolve/spec.ts), with n and p (or d) given. */
function dataSpecOf(c: Checker, data: CallValue, n: number, p: number): DataSpec | null {
  const row = BUILTIN_BY_NAME.get(data.builtin);
  if (!row?.gaussian || !row.shape?.inputs) return null;
  // the first member's seed and sizes: the data set the first member trains on
  const args = { ...argsOf(c, data, (xs) => xs[0]!), n, [row.shape.inputs]: p };
  try {
    return resolveCall({ call: data.builtin, args }, ['data']) as DataSpec;
  } catch {
    return null;
  }
}

/** The span of a parameter inside an optimiser call written inline in this run, else the optimiser argument. */
function paramSpanIn(c: Checker, opt: CallValue, param: string, fallback: Span): Span {
  const s = c.siteOf(opt);
  const a: Arg | undefined = s?.args.get(param);
  if (!a) return fallback;
  // only when the optimiser is written inside this run (inside the fallback's span)
  return a.start >= fallback.start && a.end <= fallback.end ? a : fallback;
}
const lrSpan = (c: Checker, opt: CallValue, fallback: Span) => paramSpanIn(c, opt, 'lr', fallback);
const batchSpan = (c: Checker, opt: CallValue, fallback: Span) => paramSpanIn(c, opt, 'batch', fallback);


/** Refuses a run family over the member or the resource limits; true when it did. */
function checkCost(c: Checker, site: CallSite, model: CallValue, data: CallValue, opt: CallValue): boolean {
  const count = memberCount(c, site.owner);
  if (count > MAX_MEMBERS) {
    // related: the lists that make the grid
    const axes = site.owner ? [...c.labelledAxes(site.owner)] : [];
    const related = axes.filter(([, ax]) => ax.site).map(([k, ax]) => ({ start: ax.site!.start, end: ax.site!.end, message: `${ax.values.length} values of ${k}` }));
    c.error(site.node.callee, 'too-expensive', `this family has ${count} members (a grid of ${axes.map(([k, ax]) => `${ax.values.length} ${k}`).join(' × ')}); the limit is ${MAX_MEMBERS}`, related.length ? { related } : {});
    return true;
  }
  const { estimate, limits } = c.opts;
  const spec = estimate && limits ? largestSpec(c, site.value, model, data, opt) : null;
  let est: CostEstimate | null = null;
  try {
    if (spec) est = estimate!(spec);
  } catch {
    est = null;
  }
  if (!spec || !est || !limits) {
    recordRuns(c, site, count, null);
    return false;
  }
  const members = memberCount(c, site.owner);
  const bytes = est.bytes;
  const seconds = est.seconds * members;
  if (bytes > limits.bytes || seconds > limits.seconds) {
    const parts = [`memory ${about(fmtBytes(bytes))} (limit ${fmtBytes(limits.bytes)})`, `time ${about(fmtSeconds(seconds))}${members > 1 ? ` for ${members} members` : ''} (limit ${fmtSeconds(limits.seconds)})`, `${about(fmtFlops(est.flops))} flops per run`];
    const cause = dominant(c, site, spec, est, estimate!, limits, model, data, opt);
    c.error(site.node.callee, 'too-expensive', `this experiment is too large to run: ${parts.join(', ')}${c.opts.limitHint ? `; ${c.opts.limitHint}` : ''}`, cause ? { related: [cause] } : {});
    return true;
  }
  recordRuns(c, site, members, est);
  return false;
}

/**
 * The size parameter that dominates an estimate over its limit: the one whose reset to the
 * built-in's example value (n = 40, width = 20, steps = 20000, …) lowers the exceeded measure
 * (memory, or time, whichever is further over) the most. The estimate is a closed formula, so
 * a dozen evaluations cost nothing; pointing at `n = 1e9` in the data definition says what to
 * change, which the run's name alone does not. (Halving each parameter instead would blame a
 * modest p, whose cost is quadratic, over steps = 1e9.)
 */
function dominant(
  c: Checker, site: CallSite, spec: RunSpec, est: CostEstimate, estimate: (s: RunSpec) => CostEstimate,
  limits: { bytes: number; seconds: number }, model: CallValue, data: CallValue, opt: CallValue,
): { start: number; end: number; message: string } | null {
  const members = memberCount(c, site.owner);
  const memory = est.bytes / limits.bytes >= (est.seconds * members) / limits.seconds;
  const measure = (e: CostEstimate) => (memory ? e.bytes : e.seconds * members);
  const base = measure(est);
  // the size parameters (whole numbers other than seeds) of the run and its parts, by their rows;
  // the spec's fields are named as the parameters (resolve/spec.ts resolves by name)
  const owners = [['data', data], ['model', model], ['optimizer', opt], ['run', site.value]] as const;
  const fields = owners.flatMap(([where, owner]) => (BUILTIN_BY_NAME.get(owner.builtin)?.params ?? [])
    .filter((p) => p.type.t === 'number' && p.type.integer && p.name !== 'seed').map((p) => [where, p.name, owner] as const));
  const part = (r: RunSpec, where: string) => (where === 'run' ? r : r[where as 'data' | 'model' | 'optimizer']) as unknown as Record<string, unknown>;
  let best: { saved: number; field: string; value: number; typical: number; owner: CallValue; after: CostEstimate } | null = null;
  for (const [where, field, owner] of fields) {
    const x = part(spec, where)[field];
    const b = BUILTIN_BY_NAME.get(owner.builtin);
    const p = b && findParam(b, field);
    if (typeof x !== 'number' || !b || !p) continue;
    const typical = Number(placeholder(b, p));
    if (!(Number.isFinite(typical) && x > typical)) continue;
    const reset = structuredClone(spec);
    part(reset, where)[field] = typical;
    let e: CostEstimate;
    try {
      e = estimate(reset);
    } catch {
      continue;
    }
    const saved = 1 - measure(e) / base;
    if (Number.isFinite(saved) && saved > (best?.saved ?? 0.1)) best = { saved, field, value: x, typical, owner, after: e };
  }
  if (!best) return null;
  // the argument where the value is written, else the call that takes it by default
  const s = c.siteOf(best.owner);
  const arg = s?.args.get(best.field);
  const at: Span | undefined = arg ?? s?.node.callee;
  if (!at) return null;
  const after = memory ? fmtBytes(best.after.bytes) : fmtSeconds(best.after.seconds * members);
  return { start: at.start, end: at.end, message: `${arg ? '' : 'the default '}${best.field} = ${fmt(best.value)} dominates the ${memory ? 'memory' : 'time'} estimate: with ${best.field} = ${fmt(best.typical)} it would be ${about(after)}` };
}

function memberCount(c: Checker, owner: string | null): number {
  if (!owner) return 1;
  let count = 1;
  for (const xs of c.axes.get(owner)?.values() ?? []) count *= Math.max(1, xs.length);
  return count;
}

/** A call's arguments with each list replaced by one of its values (`pick`), references followed. */
function argsOf(c: Checker, call: CallValue, pick: (xs: number[]) => number): Record<string, SpecArg | undefined> {
  const one = (v: Value | undefined): SpecArg | undefined => {
    const inner = c.callOf(v);
    if (inner) return { call: inner.builtin, args: argsOf(c, inner, pick) };
    const m = matrixOf(c, v);
    if (m) return { matrix: m };
    if (v?.kind === 'word' || v?.kind === 'string' || v?.kind === 'bool') return v.value;
    const xs = c.numbers(v);
    return xs.length ? pick(xs) : undefined;
  };
  return Object.fromEntries(Object.entries(call.args).map(([k, v]) => [k, one(v)]));
}

/**
 * The most expensive member of a run family as lowering would build it (resolve/spec.ts, the
 * built-ins table's defaults): the largest of every numeric list. An offshoot is estimated from
 * its model (the parent's cost is the parent's own check).
 */
function largestSpec(c: Checker, run: CallValue, model: CallValue, data: CallValue, opt: CallValue): RunSpec | null {
  const args = { ...argsOf(c, run, max), model: { call: model.builtin, args: argsOf(c, model, max) }, data: { call: data.builtin, args: argsOf(c, data, max) }, optimizer: { call: opt.builtin, args: argsOf(c, opt, max) } };
  try {
    return resolveRun({ call: 'train', args }, c.seed);
  } catch {
    return null;
  }
}
