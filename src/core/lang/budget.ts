// The budget of a whole file. Each run family is checked against the per-run limits on its own
// (domain.ts checkCost); a file can still be too large as a sum: 100 families of 10⁴ tiny
// members are 10⁶ runs, each with a fixed overhead (a worker job, a cache entry, its trajectory
// in the results), which ran for minutes and held gigabytes. The accepted families' estimates
// are summed here and the file is refused, once, with the totals and the limit they exceed.
import type { CallSite, Checker } from './checker';
import type { CostEstimate } from './domain';
import { about, fmtBytes, fmtSeconds } from './units';

interface Family {
  site: CallSite;
  runs: number;
  seconds: number;
  kept: number;
}
interface Totals {
  families: Family[];
  runs: number;
  seconds: number;
  /** memory the finished runs keep, plus the largest run's peak (runs share the machine) */
  kept: number;
  peak: number;
}

const totalsOf = new WeakMap<Checker, Totals>();

/** Adds a family that passed its own check (`est`: its largest member; null when unknown). */
export function recordRuns(c: Checker, site: CallSite, members: number, est: CostEstimate | null): void {
  let t = totalsOf.get(c);
  if (!t) totalsOf.set(c, (t = { families: [], runs: 0, seconds: 0, kept: 0, peak: 0 }));
  const seconds = est ? est.seconds * members : 0;
  const kept = est ? (est.kept ?? 0) * members : 0;
  t.families.push({ site, runs: members, seconds, kept });
  t.runs += members;
  t.seconds += seconds;
  t.kept += kept;
  if (est) t.peak = Math.max(t.peak, est.bytes);
}

/** Estimated time of each run definition (all its members), from the numeric hooks' estimate;
 *  absent for a definition refused or without an estimate. The editor shows it before a run. */
export function costsOf(c: Checker): Map<string, { runs: number; seconds: number }> {
  const out = new Map<string, { runs: number; seconds: number }>();
  for (const f of totalsOf.get(c)?.families ?? []) {
    if (!f.site.owner || !(f.seconds > 0)) continue;
    const prev = out.get(f.site.owner);
    out.set(f.site.owner, { runs: (prev?.runs ?? 0) + f.runs, seconds: (prev?.seconds ?? 0) + f.seconds });
  }
  return out;
}

const MAX_RELATED = 10;

/** After every family was checked: one error when the file as a whole exceeds a limit. */
export function checkFileBudget(c: Checker): void {
  const t = totalsOf.get(c);
  const limits = c.opts.fileLimits;
  if (!t || !limits) return;
  const memory = t.kept + t.peak;
  const over: [string, (f: Family) => number][] = [];
  if (t.runs > limits.runs) over.push([`the limit of ${limits.runs} runs`, (f) => f.runs]);
  if (t.seconds > limits.seconds) over.push([`the time limit of ${fmtSeconds(limits.seconds)}`, (f) => f.seconds]);
  if (memory > limits.bytes) over.push([`the memory limit of ${fmtBytes(limits.bytes)}`, (f) => f.kept]);
  if (!over.length) return;
  // the families that weigh most in the first exceeded measure: the error sits on the largest
  const weight = over[0][1];
  const ranked = [...t.families].sort((a, b) => weight(b) - weight(a));
  const top = ranked[0].site.node.callee;
  const related = ranked.slice(1, MAX_RELATED + 1).map((f) => ({
    start: f.site.node.callee.start, end: f.site.node.callee.end,
    message: `${f.site.owner ? `'${f.site.owner}'` : 'this run'}: ${f.runs} run${f.runs === 1 ? '' : 's'}, ${about(fmtSeconds(f.seconds))}, ${fmtBytes(f.kept)} kept`,
  }));
  if (ranked.length > MAX_RELATED + 1) related[related.length - 1].message += ` (and ${ranked.length - MAX_RELATED - 1} more families)`;
  c.current = { name: ranked[0].site.owner, deps: [] };
  c.error(top, 'file-too-expensive', `this file is too large to run: ${t.families.length} run famil${t.families.length === 1 ? 'y' : 'ies'} of ${t.runs} runs in all, time ${about(fmtSeconds(t.seconds))}, memory ${about(fmtBytes(memory))} (the results of every run, and the largest run); this exceeds ${over.map(([what]) => what).join(' and ')}${c.opts.limitHint ? ` (${c.opts.limitHint})` : ''}. The largest family is here`, related.length ? { related } : {});
}
