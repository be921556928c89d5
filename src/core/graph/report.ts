// What the engine reports about a document revision, as pure functions of its run slots: the
// results document (src/core/wire/results.ts, docs/results-format.md), the node statuses for a graph view
// (src/core/wire/protocol.ts NodeStatus), and the runtime diagnostics (divergence, run errors).
import type { CheckedProgram, Diagnostic, Position, Range } from '../program';
import type { NodeStatus } from '../wire/protocol';
import type { ClaimResult, PlotSpec, ResultsDiagnostic, ResultsDoc, RunResult, RunStatus, Trajectory } from '../wire/results';
import { evaluateClaims } from '../claims';
import type { LoweredPlot, LoweredProgram, LoweredRun } from '../lower';
import type { StreamedProgress } from './trajectoryBuffer';
import type { RunValue } from './runValue';
import { explainDivergence } from './divergence';
import { partialStride, partialView } from '../wire/partialBudget';

export type SlotState = 'queued' | 'running' | 'done' | 'blocked' | 'stale' | 'cancelled';

/** One demanded run node in one revision of a document. */
export interface Slot {
  run: LoweredRun;
  state: SlotState;
  value: RunValue | null;
  partial: StreamedProgress | null;
  message: string | null;
  /** where the value came from: a cache, a job in flight, or this revision's own execution */
  source: 'memory' | 'disk' | 'inflight' | 'executed' | null;
  /** the run's cache key: `run.key`, or for an offshoot the key of its own spec and its parent's
   *  final state, null until the parent has settled (lower.ts offshootKeys) */
  key: string | null;
}

/** A zero-based range's 1-based first and last line (a statement's trailing newline excluded). */
const lines = (r: Range) => ({ line: r.start.line + 1, endLine: Math.max(r.start.line, r.end.character === 0 && r.end.line > r.start.line ? r.end.line - 1 : r.end.line) + 1 });

/** A plot as the document lists it: its spec, the runs it draws, where it is written (positions
 *  ride on the document, not in the spec: the plot's key stays free of them). */
export const docPlot = (p: LoweredPlot, runs: string[]): PlotSpec => ({ ...p.spec, runs, ...lines(p.range) });

const emptyTrajectory = (): Trajectory => ({ step: [], time: [], metrics: {} });

/** A settled run's thinned view, the same object for every partial message of a revision (a
 *  run value never changes: each message costs nothing more for it). */
const settledViews = new WeakMap<RunValue, Trajectory>();
function settledView(v: RunValue): Trajectory {
  if (partialStride(v.trajectory.step.length) === 1) return v.trajectory;
  let t = settledViews.get(v);
  if (!t) settledViews.set(v, (t = partialView(v.trajectory)));
  return t;
}

/**
 * The results document. In a final document every run has a final status (results.md: done,
 * diverged, cancelled, error): a run blocked by its parent is an error saying so.
 */
export function buildResultsDoc(lowered: LoweredProgram, slots: Map<string, Slot>, file: string, final: boolean, diagnostics: ResultsDiagnostic[] = []): ResultsDoc {
  const runs: Record<string, RunResult> = {};
  for (const s of slots.values()) {
    const r = s.run;
    const base = { model: r.model, optimizer: r.optimizer, params: r.params, member: r.member, def: r.def, coords: r.member ?? {} };
    if (s.value) {
      const v = s.value;
      runs[r.id] = {
        status: v.status, message: v.message, ...base, ...(final ? v.trajectory : settledView(v)), theory: v.theory,
        ...(v.status === 'diverged' ? { diverged_at: v.lastFiniteStep } : {}),
        ...(v.notes.length ? { notes: v.notes } : {}),
      };
    } else {
      // a partial message carries what the page can draw (wire/partialBudget.ts); the final one every record
      // (a report covers the first `records` of its growing buffer: trajectoryBuffer.ts)
      const p = s.partial;
      const t = p ? (final ? p.buffer.snapshot(p.records) : partialView(p.buffer, p.records)) : emptyTrajectory();
      let status: RunStatus = s.state === 'done' ? 'error' : s.state;
      if (final && status === 'blocked') status = 'error';
      else if (final && (status === 'queued' || status === 'running' || status === 'stale')) status = 'cancelled';
      runs[r.id] = {
        status, message: s.message, ...base, ...t, theory: {},
        progress: s.partial ? { step: s.partial.step, steps: s.partial.steps } : s.state === 'queued' ? { step: 0, steps: r.spec.steps } : null,
      };
    }
  }
  const doc: ResultsDoc = {
    format: 'sgdexp-results',
    version: 1,
    file,
    seed: lowered.seed,
    runs,
    plots: lowered.plots.map((p) => docPlot(p, p.runIds.filter((id) => id in runs))),
    definitions: Object.fromEntries(lowered.defs.map((d) => [d.name, lines(d.range)])),
    // a clean text's document has no such field (unchanged for scripts, caches and the CLI)
    ...(diagnostics.length ? { diagnostics } : {}),
  };
  // claims read the final document only: evaluating them computes no run
  if (final && lowered.claims.length) doc.claims = evaluateClaims(doc, lowered.claims.map((c) => c.claim));
  return doc;
}

/**
 * A failed claim is a warning at the comparison that failed (the file is sound, the results
 * contradict it); a claim that cannot be evaluated (a run failed, a value is missing) an error at
 * the term it could not read. Held claims are not diagnostics (the editor shows them as hints).
 */
export function claimDiagnostics(claims: readonly ClaimResult[] | undefined): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const c of claims ?? []) {
    if (c.status === 'held') continue;
    out.push({
      range: c.range,
      severity: c.status === 'failed' ? 'warning' : 'error',
      code: c.status === 'failed' ? 'claim-failed' : 'claim-error',
      message: `✗ ${c.message ?? c.summary}`,
      data: { claim: c.line },
    });
  }
  return out;
}

/** At most this many checker errors ride on each results message of a revision: the preview
 *  names the first and each definition's own, and a text full of errors must not make every
 *  streamed message large. */
export const MAX_DOC_DIAGNOSTICS = 50;

const before = (a: Position, b: Position) => a.line < b.line || (a.line === b.line && a.character <= b.character);
const contains = (r: Range, p: Position) => before(r.start, p) && before(p, r.end);

/**
 * The checker's errors on the text a revision was computed from, as the results document carries
 * them (`doc.diagnostics`): 1-based line, message, and the definition whose statement holds the
 * error (a typo in `ln = train(…)` names `ln`, whose runs the preview keeps, faded). Computed once
 * per revision: the program does not change within one.
 */
export function docDiagnostics(program: CheckedProgram): ResultsDiagnostic[] {
  const out: ResultsDiagnostic[] = [];
  for (const d of program.diagnostics) {
    if (d.severity !== 'error') continue;
    if (out.length >= MAX_DOC_DIAGNOSTICS) break;
    const def = program.definitions.find((x) => contains(x.range, d.range.start));
    out.push({ severity: 'error', line: d.range.start.line + 1, message: d.message, ...(def ? { def: def.name } : {}) });
  }
  return out;
}

/** Node statuses: one per definition (a family sums its members) and one per plot. */
export function nodeStatuses(lowered: LoweredProgram, slots: Map<string, Slot>, plotsDone: Set<string>): NodeStatus[] {
  const nodes: NodeStatus[] = [];
  const runDefState = (ids: string[]): NodeStatus['state'] => {
    const ss = ids.map((id) => slots.get(id)).filter((s): s is Slot => !!s);
    if (ss.length === 0) return 'stale';
    if (ss.some((s) => s.state === 'running')) return 'running';
    if (ss.some((s) => s.state === 'queued')) return 'queued';
    if (ss.some((s) => s.state === 'blocked')) return 'blocked';
    if (ss.some((s) => s.value && (s.value.status === 'error' || s.value.status === 'diverged'))) return 'failed';
    if (ss.some((s) => s.state === 'cancelled')) return 'cancelled';
    if (ss.some((s) => s.state === 'stale')) return 'stale';
    return ss.every((s) => s.source === 'memory' || s.source === 'disk') ? 'cached' : 'done';
  };
  for (const d of lowered.defs) {
    const kind = d.category;
    let state: NodeStatus['state'];
    let message: string | null = null;
    if (d.error) [state, message] = ['failed', d.error];
    else if (d.blockedBy) [state, message] = ['blocked', `blocked by ${d.blockedBy}`];
    else if (kind === 'run') state = runDefState(d.runIds);
    else state = 'done';
    const progress = kind === 'run' ? sumProgress(d.runIds.map((id) => slots.get(id))) : null;
    nodes.push({ id: d.name, kind, state, deps: d.deps, message, progress, ...lines(d.range) });
  }
  for (const p of lowered.plots) {
    const state = plotsDone.has(p.id) ? 'done' : runDefState(p.runIds) === 'stale' ? 'stale' : 'queued';
    const defs = [...new Set(p.runIds.map((id) => slots.get(id)?.run.def).filter((x): x is string => !!x))];
    nodes.push({ id: p.id, kind: 'plot', state, deps: defs, label: p.label, ...lines(p.range) });
  }
  return nodes;
}

/**
 * Divergence (a warning) and run errors (an error) on the range of the run's definition, one
 * diagnostic per definition and kind listing its members; plus what lowering found.
 */
export function runtimeDiagnostics(lowered: LoweredProgram, slots: Map<string, Slot>): Diagnostic[] {
  const byDef = new Map<string, { range: Diagnostic['range']; diverged: string[]; errors: string[]; lr: (number | null)[] }>();
  for (const s of slots.values()) {
    const v = s.value;
    if (!v || (v.status !== 'diverged' && v.status !== 'error')) continue;
    const e = byDef.get(s.run.def) ?? { range: s.run.range, diverged: [], errors: [], lr: [] };
    const label = s.run.member ? `${s.run.id}: ` : '';
    if (v.status === 'diverged') {
      // why, and what to try (only for the first few members: each costs a λ_max)
      const advice = e.diverged.length < 4 ? explainDivergence(s.run.spec) : null;
      e.diverged.push(`${label}${v.message ?? v.status}${advice ? ` — ${advice.text}` : ''}`);
      e.lr.push(s.run.member ? null : advice?.lr ?? null);
    } else e.errors.push(`${label}${v.message ?? v.status}`);
    byDef.set(s.run.def, e);
  }
  const diags: Diagnostic[] = [];
  const clip = (xs: string[]) => (xs.length > 4 ? [...xs.slice(0, 4), `… and ${xs.length - 4} more`] : xs).join('; ');
  for (const [def, e] of byDef) {
    // `data.def`: the definition a finding belongs to, so a host can keep it on that definition
    // while the text is edited and not yet re-run (server.ts: publish)
    // a quick fix (navigate.ts codeActions: 'set-lr') for a single run whose limit is known
    const lr = e.diverged.length === 1 ? e.lr[0] : null;
    if (e.diverged.length) diags.push({ range: e.range, severity: 'warning', code: 'diverged', message: clip(e.diverged), data: lr !== null ? { def, fix: 'set-lr', lr } : { def } });
    if (e.errors.length) diags.push({ range: e.range, severity: 'error', code: 'runtime-error', message: clip(e.errors), data: { def } });
  }
  // what lowering found that the checker did not (normally nothing)
  diags.push(...lowered.diagnostics);
  return diags;
}

function sumProgress(slots: (Slot | undefined)[]): { step: number; steps: number } | null {
  let step = 0;
  let steps = 0;
  let any = false;
  for (const s of slots) {
    if (!s) continue;
    steps += s.run.spec.steps;
    if (s.state === 'running' && s.partial) {
      any = true;
      step += s.partial.step;
    } else if (s.state === 'done') step += s.run.spec.steps;
    if (s.state === 'queued') any = true;
  }
  return any ? { step, steps } : null;
}

/** Runs some plot draws, plus the parents they continue from (or every run, or a given set). */
export function demandedRuns(l: LoweredProgram, runAll: boolean, only: ReadonlySet<string> | null): Set<string> {
  const byId = new Map(l.runs.map((r) => [r.id, r]));
  const out = new Set<string>();
  const add = (id: string) => {
    const r = byId.get(id);
    if (!r || out.has(id)) return;
    out.add(id);
    if (r.parent) add(r.parent);
  };
  if (only) for (const id of only) add(id);
  else if (runAll) for (const r of l.runs) add(r.id);
  else {
    for (const p of l.plots) for (const id of p.runIds) add(id);
    for (const c of l.claims) for (const id of c.runIds) add(id);
  }
  return out;
}
