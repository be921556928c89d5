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
import type { ResultsDoc, RunResult, Trajectory } from './results';

export interface AppendInfo {
  revision: number;
  from: Record<string, number>;
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
    const base = baseRuns[k];
    if (!base) return `run ${JSON.stringify(k)}: not held`;
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
  const runs: Record<string, RunResult> = {};
  let any = false;
  for (const [k, r] of Object.entries(doc.runs)) {
    const b = prev.runs[k];
    const n = b?.step.length ?? 0;
    if (
      n > 0 && r.step.length >= n && r.step[n - 1] === b.step[n - 1] &&
      Object.keys(b.metrics).sort().join(',') === Object.keys(r.metrics).sort().join(',')
    ) {
      from[k] = n;
      runs[k] = tailOf(r, n);
      any = true;
    } else runs[k] = r;
  }
  return any ? { doc: { ...doc, runs }, append: { revision, from } } : null;
}
