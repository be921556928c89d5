// Streamed results as deltas. While a revision computes, a run's trajectory only grows: each
// partial message then needs to carry only the records added since the previous message of the
// same revision, not the whole trajectory again (a document of 20 runs with vector metrics is a
// few MB of JSON; re-sent five times a second it keeps the sender's thread busy, and cancel or
// didChange messages wait behind it). The same form serves both hops: language server → client
// (`ResultsMessage.append`) and extension → webview (`ToWebview` results `append`).
//
// `append = { revision, from }`: for each run key k of `from`, the message's `doc.runs[k]` holds
// only the records from index `from[k]` on (its other fields — status, progress, message — are
// whole); the receiver's run k in the message of revision `revision` it last received for this
// uri holds exactly `from[k]` records. Runs not in `from` are sent whole.
//
// `thin[k] = t` (optional; t a power of two ≥ 2): before appending, the receiver keeps only records
// 0, t, 2t, … of what it holds for run k, and `from[k]` counts what it then holds. A partial
// message carries a run thinned to a point budget by a stride that doubles as the run grows
// (partialBudget.ts): the coarser view is every t-th record of the finer one, so the receiver can
// derive it instead of being sent the run again.
import type { ResultsDoc, RunResult, Trajectory } from './results';

export interface AppendInfo {
  revision: number;
  from: Record<string, number>;
  thin?: Record<string, number>;
}

/** Records 0, t, 2t, … of a run. */
export function thinRun(r: RunResult, t: number): RunResult {
  if (t <= 1) return r;
  const pick = <T>(a: readonly T[]): T[] => {
    const out: T[] = [];
    for (let i = 0; i < a.length; i += t) out.push(a[i] as T);
    return out;
  };
  const metrics: Trajectory['metrics'] = {};
  for (const [k, v] of Object.entries(r.metrics)) metrics[k] = pick(v as unknown[]) as number[] | number[][];
  return { ...r, step: pick(r.step), time: pick(r.time), metrics };
}

/** The records of `r` from index `from` on, with its other fields. */
export function tailOf(r: RunResult, from: number): RunResult {
  const metrics: Trajectory['metrics'] = {};
  for (const [k, v] of Object.entries(r.metrics)) metrics[k] = v.slice(from) as number[] | number[][];
  return { ...r, step: r.step.slice(from), time: r.time.slice(from), metrics };
}

/**
 * `base` continued by `tail` (records `n = base.step.length` on). Returns a reason instead when
 * they do not fit: another record count than `from`, other metrics, or steps that do not
 * increase across the seam.
 */
export function appendRun(base: RunResult, tail: RunResult, from: number): RunResult | string {
  const n = base.step.length;
  if (n !== from) return `holds ${n} records, the delta continues from ${from}`;
  const bk = Object.keys(base.metrics).sort().join(',');
  const tk = Object.keys(tail.metrics).sort().join(',');
  if (n > 0 && bk !== tk) return `metrics differ (${bk} / ${tk})`;
  const first = tail.step[0];
  if (n > 0 && first !== undefined && !(first > base.step[n - 1])) return `steps do not increase (${base.step[n - 1]} then ${first})`;
  const metrics: Trajectory['metrics'] = {};
  for (const k of Object.keys(tail.metrics)) {
    const b = (base.metrics[k] ?? []) as unknown[];
    metrics[k] = b.concat(tail.metrics[k] as unknown[]) as number[] | number[][];
  }
  return { ...tail, step: base.step.concat(tail.step), time: base.time.concat(tail.time), metrics };
}

/**
 * A delta's runs completed from the runs of the message it refers to; a reason when that is not
 * possible (the caller then asks for the whole document).
 */
export function applyAppend(baseRuns: Record<string, RunResult>, doc: ResultsDoc, append: AppendInfo): ResultsDoc | string {
  const runs: Record<string, RunResult> = {};
  for (const [k, r] of Object.entries(doc.runs)) {
    const from = append.from[k];
    if (from === undefined) {
      runs[k] = r;
      continue;
    }
    const held = baseRuns[k];
    if (!held) return `run ${JSON.stringify(k)}: not held`;
    const base = append.thin?.[k] ? thinRun(held, append.thin[k]) : held;
    const joined = appendRun(base, r, from);
    if (typeof joined === 'string') return `run ${JSON.stringify(k)}: ${joined}`;
    runs[k] = joined;
  }
  return { ...doc, runs };
}

/**
 * The sender's side: `doc` as a delta against `prev` (the last message sent for this uri), or
 * null when nothing can be left out. Only runs of the same revision whose trajectory extends the
 * one sent (same record count prefix, same last step, same metrics) become tails; a trajectory of
 * a revision only grows, so the last step identifies the prefix.
 */
export function makeAppend(prev: { revision: number; runs: Record<string, RunResult> } | null, revision: number, doc: ResultsDoc): { doc: ResultsDoc; append: AppendInfo } | null {
  if (!prev || prev.revision !== revision) return null;
  const from: Record<string, number> = {};
  const thin: Record<string, number> = {};
  const runs: Record<string, RunResult> = {};
  let any = false;
  for (const [k, r] of Object.entries(doc.runs)) {
    const b = prev.runs[k];
    const t = b ? continues(b, r) : 0;
    if (t > 0) {
      const n = Math.ceil(b.step.length / t);
      from[k] = n;
      if (t > 1) thin[k] = t;
      runs[k] = tailOf(r, n);
      any = true;
    } else runs[k] = r;
  }
  return any ? { doc: { ...doc, runs }, append: { revision, from, ...(Object.keys(thin).length ? { thin } : {}) } } : null;
}

/**
 * The stride t (1, 2, 4, …) such that `r` begins with records 0, t, 2t, … of `b`, or 0. A
 * trajectory of a revision only grows and its thinned views keep every t-th record: the first
 * kept steps and the last identify the prefix (steps strictly increase).
 */
function continues(b: RunResult, r: RunResult): number {
  const n = b.step.length;
  if (n === 0 || Object.keys(b.metrics).sort().join(',') !== Object.keys(r.metrics).sort().join(',')) return 0;
  // a coarser stride is recognised by the second record it keeps: from t ≥ n on, it would keep
  // only the first record, and the run goes whole (at most the budget's records)
  for (let t = 1; t === 1 || t < n; t *= 2) {
    const kept = Math.ceil(n / t);
    if (r.step.length >= kept && r.step[kept - 1] === b.step[(kept - 1) * t] && (t === 1 || r.step[1] === b.step[t])) return t;
  }
  return 0;
}
