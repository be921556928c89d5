// The y domain of a time-series figure when a run diverged: it fits the healthy runs, so one run
// going to 1e30 does not flatten every other curve against the axis. The diverged run is drawn
// up to where it leaves the frame (clipped there) and marked "↑ diverged at step N".
import type { ResultsDoc, RunResult } from '../results';
import type { RunNote } from './runs';
import type { SeriesRow } from './series';

/**
 * How far beyond the healthy runs' range a diverged run may still widen the axis, as a fraction
 * of that range on each side (on a log axis: of its decades, at least one decade). Within it the
 * diverged curve is drawn whole; beyond it, clipped.
 */
export const DIVERGED_MARGIN = 0.5;

export interface ContainedDomain {
  domain: [number, number];
  /** one per diverged run that leaves the frame: where it leaves (x) and which edge (y) */
  markers: RunNote[];
}

/** First step at which the run's metric is no longer finite (where it diverged), else what the
 *  core said: its message "diverged at step N", or the last finite step. */
export function divergedStep(run: RunResult, metric: string): number {
  const s = run.metrics?.[metric] as unknown[] | undefined;
  if (s) {
    for (let i = 0; i < Math.min(s.length, run.step.length); i++) {
      const v = Array.isArray(s[i]) ? (s[i] as unknown[])[0] : s[i];
      if (typeof v !== 'number' || !Number.isFinite(v)) return run.step[i]!;
    }
  }
  const m = /diverged at step (\d+)/.exec(run.message ?? '');
  if (m) return Number(m[1]);
  return run.diverged_at ?? run.step[run.step.length - 1] ?? 0;
}

/**
 * The contained y domain of a series figure, or null when no diverged run leaves the healthy
 * range (then the figure keeps Plot's own domain: nothing changes for healthy figures).
 * `rows`/`theory`: the drawn rows; a row belongs to a diverged run when `doc.runs[row.run]` has
 * status 'diverged' (a seed group's mean row counts as healthy).
 */
export function containedYDomain(doc: ResultsDoc, metric: string, rows: SeriesRow[], theory: SeriesRow[], log: boolean): ContainedDomain | null {
  const diverged = (run: string) => doc.runs[run]?.status === 'diverged';
  // on a log axis the range and margin are measured in decades
  const t = log ? Math.log10 : (v: number) => v;
  const inv = log ? (v: number) => 10 ** v : (v: number) => v;
  let lo = Infinity, hi = -Infinity;
  const see = (v: number | undefined) => {
    if (v == null || !Number.isFinite(v) || (log && v <= 0)) return;
    const u = t(v);
    if (u < lo) lo = u;
    if (u > hi) hi = u;
  };
  let sick = false;
  for (const r of rows) {
    if (diverged(r.run)) { sick = true; continue; }
    see(r.y); see(r.lo); see(r.hi);
  }
  if (!sick) return null;
  for (const r of theory) if (!diverged(r.run)) see(r.y);
  if (!(hi >= lo)) return null;
  const span = hi - lo;
  const pad = Math.max(span * DIVERGED_MARGIN, log ? 1 : Math.abs(hi) * 1e-6 || 1e-300);
  const a = lo - pad, b = hi + pad;
  // diverged points inside the allowed band still widen the domain (drawn whole)
  let out = false;
  for (const r of rows) {
    if (!diverged(r.run)) continue;
    const u = t(r.y);
    if (u < a || u > b) { out = true; continue; }
    if (u < lo) lo = u;
    if (u > hi) hi = u;
  }
  if (!out) return null;
  const domain: [number, number] = [inv(lo), inv(hi)];
  // where each diverged line first leaves the domain: its marker, on that edge
  const markers: RunNote[] = [];
  const done = new Set<string>();
  for (const r of rows) {
    if (!diverged(r.run) || done.has(r.line)) continue;
    const above = r.y > domain[1], below = r.y < domain[0];
    if (!above && !below) continue;
    done.add(r.line);
    if (markers.some((m) => m.run === r.run)) continue;
    const step = divergedStep(doc.runs[r.run]!, metric);
    markers.push({ run: r.run, x: r.x, y: above ? domain[1] : domain[0], text: `${above ? '↑' : '↓'} diverged at step ${step}`, status: 'diverged' });
  }
  return { domain, markers };
}
