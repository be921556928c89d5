// Wall times of runs, beside the results document and never in it: a document stays a function of
// the file and its seeds (merged shards equal the unsharded run, a cached re-run gives the same
// bytes), while how long a run took is a fact about one computation on one machine. The language
// server measures them as the results stream (src/server/runSummary.ts, RunClock) and sends them
// with each results message (ResultsMessage.wallMs); the CodeLens and the preview's results table
// word them alike (formatWallMs).
import type { RunResult } from './results';

/**
 * Wall time in ms of each run key the server saw computing, for the runs that are done or diverged
 * in the message's document. A finished run missing from it was served from a cache. A message
 * without the map tells nothing (an older sender): every time is unknown.
 */
export type WallMs = Record<string, number>;

/** `40 ms`, `0.27 s`, `3.1 min`: two significant digits, in the unit a reader expects. */
export function formatWallMs(ms: number): string {
  return ms < 100 ? `${Math.max(1, Math.round(ms))} ms` : ms < 120_000 ? `${Number((ms / 1000).toPrecision(2))} s` : `${Number((ms / 60_000).toPrecision(2))} min`;
}

/** What is known of one run's wall time: a measured time, served from a cache, or unknown. */
export type WallOf = { ms: number } | 'cached' | null;

export function wallOf(times: WallMs | null | undefined, key: string, run: Pick<RunResult, 'status'>): WallOf {
  if (!times) return null;
  const ms = times[key];
  if (typeof ms === 'number' && Number.isFinite(ms)) return { ms };
  return run.status === 'done' || run.status === 'diverged' ? 'cached' : null;
}

/** The map sent with a results message: the measured times of its finished runs only (a time
 *  kept from an earlier computation of a run now running, failed or cancelled would mislead). */
export function wallMsOf(runs: Record<string, Pick<RunResult, 'status'>>, times: ReadonlyMap<string, number>): WallMs {
  const out: WallMs = {};
  for (const [k, r] of Object.entries(runs)) {
    const t = times.get(k);
    if (t !== undefined && (r.status === 'done' || r.status === 'diverged')) out[k] = t;
  }
  return out;
}
