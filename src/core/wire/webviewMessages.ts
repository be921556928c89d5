// Validators for the extension ⇄ webview messages of protocol.ts. Both sides call them on every
// message they receive: the webview on ToWebview (it may come from a cached, older extension or a
// corrupt cache file), the extension on FromWebview (the webview is a browser frame; treat its
// messages as untrusted input). They return a precise reason instead of throwing, so a bad
// message is reported and ignored, never crashes a renderer.
import type { FromWebview, NodeState, ToWebview } from './protocol';
import type { PlotSpec, ResultsDoc, RunResult } from './results';

export type Validated<T> = { ok: true; value: T } | { ok: false; error: string };

class Invalid extends Error {}
const fail = (path: string, what: string): never => {
  throw new Invalid(`${path}: ${what}`);
};

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const typeName = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);

function obj(v: unknown, path: string): Record<string, unknown> {
  if (!isObj(v)) fail(path, `expected an object, got ${typeName(v)}`);
  return v as Record<string, unknown>;
}
function str(v: unknown, path: string): string {
  if (typeof v !== 'string') fail(path, `expected a string, got ${typeName(v)}`);
  return v as string;
}
function int(v: unknown, path: string, min = 0): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) fail(path, `expected an integer ≥ ${min}, got ${JSON.stringify(v)}`);
  return v as number;
}
function num(v: unknown, path: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) fail(path, `expected a finite number, got ${JSON.stringify(v)}`);
  return v as number;
}
function bool(v: unknown, path: string): boolean {
  if (typeof v !== 'boolean') fail(path, `expected a boolean, got ${typeName(v)}`);
  return v as boolean;
}
function oneOf<T extends string>(v: unknown, allowed: readonly T[], path: string): T {
  if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v)) fail(path, `expected one of ${allowed.join(', ')}, got ${JSON.stringify(v)}`);
  return v as T;
}
function arr(v: unknown, path: string): unknown[] {
  if (!Array.isArray(v)) fail(path, `expected an array, got ${typeName(v)}`);
  return v as unknown[];
}
/** A metric entry: a number, or null/NaN/±Infinity (JSON turns non-finite values into null: a gap). */
function value(v: unknown, path: string) {
  if (v !== null && typeof v !== 'number') fail(path, `expected a number or null, got ${typeName(v)}`);
}

const RUN_STATUS = ['done', 'diverged', 'cancelled', 'error', 'running', 'queued', 'stale', 'blocked'] as const;
const NODE_STATES: readonly NodeState[] = ['cached', 'running', 'queued', 'stale', 'failed', 'blocked', 'done', 'cancelled'];
const NODE_KINDS = ['data', 'model', 'optimizer', 'run', 'plot', 'value', 'init', 'schedule'] as const;
const PLOT_KINDS = ['series', 'final', 'gain'] as const;

function progress(v: unknown, path: string) {
  if (v == null) return;
  const p = obj(v, path);
  int(p.step, `${path}.step`);
  int(p.steps, `${path}.steps`);
}

function run(v: unknown, path: string): void {
  const r = obj(v, path);
  oneOf(r.status, RUN_STATUS, `${path}.status`);
  if (r.message != null) str(r.message, `${path}.message`);
  // A run that failed before recording anything may omit its trajectory (results.md example).
  const step = r.step === undefined ? [] : arr(r.step, `${path}.step`);
  let prev = -Infinity;
  for (let i = 0; i < step.length; i++) {
    const k = step[i];
    if (typeof k !== 'number' || !Number.isInteger(k) || k < 0) int(k, `${path}.step[${i}]`);
    if ((k as number) <= prev) fail(`${path}.step[${i}]`, `steps must increase (${prev} then ${k})`);
    prev = k as number;
  }
  if (r.time !== undefined) {
    const t = arr(r.time, `${path}.time`);
    if (t.length !== step.length) fail(`${path}.time`, `has ${t.length} entries for ${step.length} steps`);
    t.forEach((x, i) => { if (x !== null && typeof x !== 'number') value(x, `${path}.time[${i}]`); });
  }
  if (r.metrics !== undefined) {
    const m = obj(r.metrics, `${path}.metrics`);
    for (const [key, series] of Object.entries(m)) {
      const p = `${path}.metrics.${key}`;
      const s = arr(series, p);
      // one entry per recorded step (results.md)
      if (s.length !== step.length) fail(p, `has ${s.length} entries for ${step.length} recorded steps`);
      // hot loop (10⁵ values per document): build the error path only on failure
      for (let i = 0; i < s.length; i++) {
        const e = s[i];
        if (Array.isArray(e)) {
          for (let j = 0; j < e.length; j++) {
            const x = e[j];
            if (x !== null && typeof x !== 'number') value(x, `${p}[${i}][${j}]`);
          }
        } else if (e !== null && typeof e !== 'number') value(e, `${p}[${i}]`);
      }
    }
  }
  if (r.member != null) {
    const mem = obj(r.member, `${path}.member`);
    for (const [k, x] of Object.entries(mem)) num(x, `${path}.member.${k}`);
  }
  if (r.def !== undefined) str(r.def, `${path}.def`);
  if (r.coords !== undefined) for (const [k, x] of Object.entries(obj(r.coords, `${path}.coords`))) num(x, `${path}.coords.${k}`);
  if (r.params !== undefined) obj(r.params, `${path}.params`);
  if (r.theory !== undefined) {
    const th = obj(r.theory, `${path}.theory`);
    for (const [k, x] of Object.entries(th)) value(x, `${path}.theory.${k}`);
  }
  if (r.model !== undefined) str(r.model, `${path}.model`);
  if (r.optimizer !== undefined) str(r.optimizer, `${path}.optimizer`);
  progress(r.progress, `${path}.progress`);
  // `wall_ms`, once an optional field that the engine never wrote, is no longer read: wall times
  // travel beside the document (wallTime.ts). A document carrying it stays valid
  if (r.notes !== undefined) arr(r.notes, `${path}.notes`).forEach((n, i) => str(n, `${path}.notes[${i}]`));
}

function plotSpec(v: unknown, path: string): void {
  const p = obj(v, path);
  str(p.title, `${path}.title`);
  if (p.kind !== undefined) oneOf(p.kind, PLOT_KINDS, `${path}.kind`);
  str(p.metric, `${path}.metric`);
  arr(p.runs, `${path}.runs`).forEach((r, i) => str(r, `${path}.runs[${i}]`));
  if (p.x !== undefined) str(p.x, `${path}.x`);
  if (p.y !== undefined) oneOf(p.y, ['linear', 'log'] as const, `${path}.y`);
  if (p.theory !== undefined) bool(p.theory, `${path}.theory`);
  if (p.top != null) int(p.top, `${path}.top`, 1);
  if (p.tol !== undefined) num(p.tol, `${path}.tol`);
  if (p.of !== undefined) str(p.of, `${path}.of`);
  lines(p, path);
  for (const k of ['xlim', 'ylim'] as const) {
    if (p[k] === undefined) continue;
    const r = arr(p[k], `${path}.${k}`);
    if (r.length !== 2) fail(`${path}.${k}`, 'expected [a, b]');
    r.forEach((x, i) => num(x, `${path}.${k}[${i}]`));
    if (!((r[0] as number) < (r[1] as number))) fail(`${path}.${k}`, 'expected a < b');
  }
}

/** Optional 1-based `line` and `endLine` of a statement (`endLine` ≥ `line`). */
function lines(o: Record<string, unknown>, path: string): void {
  if (o.line !== undefined) int(o.line, `${path}.line`, 1);
  if (o.endLine !== undefined) {
    int(o.endLine, `${path}.endLine`, 1);
    if (o.line !== undefined && (o.endLine as number) < (o.line as number)) fail(`${path}.endLine`, `before line (${String(o.line)})`);
  }
}

function resultsDoc(v: unknown, path: string): void {
  const d = obj(v, path);
  if (d.format !== 'sgdexp-results') fail(`${path}.format`, `expected "sgdexp-results", got ${JSON.stringify(d.format)}`);
  if (d.version !== 1) fail(`${path}.version`, `unsupported version ${JSON.stringify(d.version)} (this build reads 1)`);
  str(d.file, `${path}.file`);
  const runs = obj(d.runs, `${path}.runs`);
  for (const [k, r] of Object.entries(runs)) run(r, `${path}.runs[${JSON.stringify(k)}]`);
  arr(d.plots, `${path}.plots`).forEach((p, i) => plotSpec(p, `${path}.plots[${i}]`));
  if (d.diagnostics !== undefined) {
    arr(d.diagnostics, `${path}.diagnostics`).forEach((v, i) => {
      const q = `${path}.diagnostics[${i}]`;
      const g = obj(v, q);
      oneOf(g.severity, ['error', 'warning'] as const, `${q}.severity`);
      int(g.line, `${q}.line`, 1);
      str(g.message, `${q}.message`);
      if (g.def != null) str(g.def, `${q}.def`);
    });
  }
  if (d.claims !== undefined) {
    arr(d.claims, `${path}.claims`).forEach((v, i) => {
      const q = `${path}.claims[${i}]`;
      const c = obj(v, q);
      int(c.line, `${q}.line`, 1);
      str(c.text, `${q}.text`);
      oneOf(c.status, ['held', 'failed', 'error'] as const, `${q}.status`);
      str(c.summary, `${q}.summary`);
      if (c.message != null) str(c.message, `${q}.message`);
    });
  }
  if (d.definitions !== undefined) {
    for (const [k, v] of Object.entries(obj(d.definitions, `${path}.definitions`))) {
      const q = `${path}.definitions[${JSON.stringify(k)}]`;
      const o = obj(v, q);
      int(o.line, `${q}.line`, 1);
      lines(o, q);
    }
  }
}

/** Fill optional fields with their defaults so renderers can rely on the full ResultsDoc shape. */
export function normalizeDoc(d: ResultsDoc): ResultsDoc {
  const runs: Record<string, RunResult> = {};
  for (const [k, r] of Object.entries(d.runs)) {
    const step = r.step ?? [];
    runs[k] = {
      ...r,
      message: r.message ?? null,
      model: r.model ?? '',
      optimizer: r.optimizer ?? '',
      params: r.params ?? {},
      member: r.member ?? null,
      step,
      time: r.time ?? step.slice(),
      metrics: r.metrics ?? {},
      theory: r.theory ?? {},
    };
  }
  const plots: PlotSpec[] = d.plots.map((p) => ({
    ...p,
    kind: p.kind ?? 'series',
    x: p.x ?? 'step',
    y: p.y ?? 'linear',
    theory: p.theory ?? false,
    top: p.top ?? null,
  }));
  return { ...d, seed: d.seed ?? 0, runs, plots };
}

function nodeStatus(v: unknown, path: string): void {
  const n = obj(v, path);
  str(n.id, `${path}.id`);
  oneOf(n.kind, NODE_KINDS, `${path}.kind`);
  oneOf(n.state, NODE_STATES, `${path}.state`);
  arr(n.deps, `${path}.deps`).forEach((d, i) => str(d, `${path}.deps[${i}]`));
  if (n.message != null) str(n.message, `${path}.message`);
  progress(n.progress, `${path}.progress`);
  if (n.label !== undefined) str(n.label, `${path}.label`);
  lines(n, path);
}

/** RunReuse (protocol.ts): the left-out runs are in `order` and not in the message's own runs,
 *  and `order` lists each run of the document once. */
function reuse(v: unknown, runs: Record<string, unknown>, path: string): void {
  const r = obj(v, path);
  int(r.revision, `${path}.revision`);
  const reused = arr(r.runs, `${path}.runs`).map((k, i) => str(k, `${path}.runs[${i}]`));
  const order = arr(r.order, `${path}.order`).map((k, i) => str(k, `${path}.order[${i}]`));
  const inOrder = new Set(order);
  if (inOrder.size !== order.length) fail(`${path}.order`, 'lists a run twice');
  for (const k of reused) {
    if (!inOrder.has(k)) fail(`${path}.runs`, `${JSON.stringify(k)} is not in order`);
    if (k in runs) fail(`${path}.runs`, `${JSON.stringify(k)} is also sent`);
  }
  for (const k of Object.keys(runs)) if (!inOrder.has(k)) fail(`${path}.order`, `misses ${JSON.stringify(k)}`);
  if (reused.length + Object.keys(runs).length !== order.length) fail(`${path}.order`, 'has runs that are neither sent nor reused');
}

/** AppendInfo (append.ts): a delta of this very revision (the same revision as `reuse` refers to,
 *  when both are present), over runs the message sends, each from a record count. Whether the
 *  receiver holds those counts is checked when it applies the delta (applyAppend). */
function appendInfo(v: unknown, runs: Record<string, unknown>, revision: number, reuseOf: unknown, path: string): void {
  const a = obj(v, path);
  const rev = int(a.revision, `${path}.revision`);
  if (rev !== revision) fail(`${path}.revision`, `a delta continues its own revision (${revision}), got ${rev}`);
  if (isObj(reuseOf) && reuseOf.revision !== rev) fail(`${path}.revision`, `differs from reuse.revision (${String(reuseOf.revision)})`);
  for (const [k, n] of Object.entries(obj(a.from, `${path}.from`))) {
    int(n, `${path}.from[${JSON.stringify(k)}]`, 1);
    if (!(k in runs)) fail(`${path}.from`, `${JSON.stringify(k)} is not sent`);
  }
  if (a.thin === undefined) return;
  for (const [k, t] of Object.entries(obj(a.thin, `${path}.thin`))) {
    const x = int(t, `${path}.thin[${JSON.stringify(k)}]`, 2);
    if ((x & (x - 1)) !== 0) fail(`${path}.thin[${JSON.stringify(k)}]`, 'is not a power of two');
    if (!(k in (a.from as Record<string, unknown>))) fail(`${path}.thin`, `${JSON.stringify(k)} is not in from`);
  }
}

/** WallMs (wallTime.ts): durations by run key. Its keys are not checked against the runs sent:
 *  a message with `reuse` leaves finished runs out of its document. */
function wallMs(v: unknown, path: string): void {
  for (const [k, x] of Object.entries(obj(v, path))) {
    const q = `${path}[${JSON.stringify(k)}]`;
    if (num(x, q) < 0) fail(q, `expected a duration ≥ 0, got ${JSON.stringify(x)}`);
  }
}

function guard<T>(check: (v: unknown) => void, v: unknown): Validated<T> {
  try {
    check(v);
    return { ok: true, value: v as T };
  } catch (e) {
    if (e instanceof Invalid) return { ok: false, error: e.message };
    return { ok: false, error: `invalid message: ${(e as Error).message}` };
  }
}

export function validateResultsDoc(v: unknown): Validated<ResultsDoc> {
  const r = guard<ResultsDoc>((x) => resultsDoc(x, 'doc'), v);
  return r.ok ? { ok: true, value: normalizeDoc(r.value) } : r;
}

/** extension → webview */
export function validateToWebview(v: unknown): Validated<ToWebview> {
  const r = guard<ToWebview>((x) => {
    const m = obj(x, 'message');
    const type = oneOf(m.type, ['results', 'status', 'message', 'export', 'highlight'] as const, 'message.type');
    if (type === 'results') {
      str(m.uri, 'message.uri');
      int(m.revision, 'message.revision');
      bool(m.final, 'message.final');
      resultsDoc(m.doc, 'message.doc');
      if (m.reuse !== undefined) reuse(m.reuse, (m.doc as { runs: Record<string, unknown> }).runs, 'message.reuse');
      if (m.wallMs !== undefined) wallMs(m.wallMs, 'message.wallMs');
      if (m.append !== undefined) appendInfo(m.append, (m.doc as { runs: Record<string, unknown> }).runs, m.revision as number, m.reuse, 'message.append');
    } else if (type === 'status') {
      str(m.uri, 'message.uri');
      int(m.revision, 'message.revision');
      arr(m.nodes, 'message.nodes').forEach((n, i) => nodeStatus(n, `message.nodes[${i}]`));
    } else if (type === 'export') {
      int(m.requestId, 'message.requestId');
      oneOf(m.format, ['svg', 'png'] as const, 'message.format');
      if (m.theme !== undefined) oneOf(m.theme, ['print', 'editor'] as const, 'message.theme');
    } else if (type === 'highlight') {
      str(m.uri, 'message.uri');
      int(m.line, 'message.line', 1);
      arr(m.plots, 'message.plots').forEach((p, i) => int(p, `message.plots[${i}]`));
      arr(m.runs, 'message.runs').forEach((r, i) => str(r, `message.runs[${i}]`));
    } else {
      oneOf(m.level, ['info', 'error'] as const, 'message.level');
      str(m.text, 'message.text');
    }
  }, v);
  if (r.ok && r.value.type === 'results') return { ok: true, value: { ...r.value, doc: normalizeDoc(r.value.doc) } };
  return r;
}

/** Exported figures larger than this are refused (a figure SVG/PNG is well under 5 MB). */
export const MAX_EXPORT_CHARS = 32 * 1024 * 1024;

/** webview → extension */
export function validateFromWebview(v: unknown): Validated<FromWebview> {
  return guard<FromWebview>((x) => {
    const m = obj(x, 'message');
    const type = oneOf(m.type, ['ready', 'resync', 'rendered', 'cancel', 'export', 'error', 'reveal'] as const, 'message.type');
    if (type === 'rendered') {
      int(m.revision, 'message.revision');
      int(m.plots, 'message.plots');
      if (typeof m.ms !== 'number' || !(m.ms >= 0)) fail('message.ms', `expected a duration ≥ 0, got ${JSON.stringify(m.ms)}`);
    } else if (type === 'export') {
      oneOf(m.format, ['svg', 'png', 'csv', 'json'] as const, 'message.format');
      if (m.plotIndex !== null) int(m.plotIndex, 'message.plotIndex');
      if (m.data !== undefined) {
        const d = str(m.data, 'message.data');
        if (d.length > MAX_EXPORT_CHARS) fail('message.data', `too large (${d.length} characters)`);
        if (m.format === 'png' && !d.startsWith('data:image/png;base64,')) fail('message.data', 'a PNG export must be a data:image/png;base64 URL');
      }
      if (m.requestId !== undefined) int(m.requestId, 'message.requestId');
      if (m.total !== undefined) int(m.total, 'message.total');
      if (m.title !== undefined) str(m.title, 'message.title');
    } else if (type === 'error') {
      str(m.text, 'message.text');
    } else if (type === 'reveal') {
      str(m.uri, 'message.uri');
      int(m.line, 'message.line', 1);
    }
  }, v);
}
