// Results where the eyes are: the one-line summary of a run definition's or a plot's runs (the
// CodeLens above its line) and the hover of a run's name (final metrics, a sparkline of its
// loss). Pure: (latest results document, wall times seen by the server) → text.
import type { ResultsDoc, RunResult } from '../core/wire/results';
import { formatWallMs } from '../core/wire/wallTime';

/** Wall time of each run key, in milliseconds, as the server saw it run (absent: served from a cache). */
export type WallTimes = ReadonlyMap<string, number>;

const BARS = '▁▂▃▄▅▆▇█';

/**
 * A unicode sparkline of a series: `width` bars, each the mean of its stretch of points; on a log
 * scale when every value is positive (a loss falls over decades: a linear scale shows one drop).
 * Non-finite values are skipped; '' when nothing is left.
 */
export function sparkline(values: readonly number[], width = 24): string {
  const xs = values.filter(Number.isFinite);
  if (!xs.length) return '';
  const log = xs.every((x) => x > 0);
  const ys = log ? xs.map(Math.log10) : xs;
  const n = Math.min(width, ys.length);
  const cells: number[] = [];
  for (let i = 0; i < n; i++) {
    const part = ys.slice(Math.floor((i * ys.length) / n), Math.max(Math.floor(((i + 1) * ys.length) / n), Math.floor((i * ys.length) / n) + 1));
    cells.push(part.reduce((s, v) => s + v, 0) / part.length);
  }
  const lo = Math.min(...cells), hi = Math.max(...cells);
  return cells.map((v) => BARS[hi > lo ? Math.round(((v - lo) / (hi - lo)) * (BARS.length - 1)) : 0]).join('');
}

/** A compact number: `3e-29`, `−108`, `0.0123`; a minus sign, not a hyphen. */
export function fmtNum(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  const a = Math.abs(x);
  const s = a === 0 ? '0' : a >= 1e4 || a < 1e-3 ? x.toExponential(1).replace(/\.0e/, 'e').replace('e+', 'e') : String(Number(x.toPrecision(3)));
  return s.replace(/^-/, '−');
}

/** The last finite value of a scalar metric, or null. */
export function finalOf(run: RunResult, metric: string): number | null {
  const ys = run.metrics?.[metric];
  if (!Array.isArray(ys)) return null;
  for (let i = ys.length - 1; i >= 0; i--) {
    const y = ys[i];
    if (typeof y === 'number' && Number.isFinite(y)) return y;
  }
  return null;
}

const defOf = (key: string, r: RunResult): string => r.def ?? key.split('[')[0]!;

/** The runs of a definition (a family: every member), in document order. */
export function runsOfDef(doc: ResultsDoc, name: string): [string, RunResult][] {
  return Object.entries(doc.runs).filter(([k, r]) => defOf(k, r) === name);
}

const ICON: Record<string, string> = { done: '✓', diverged: '⚠', error: '✗', cancelled: '⏹', running: '⟳', queued: '⟳', stale: '○', blocked: '✗' };

/** `min … max` of a metric's final values over the runs (one run: its value). */
function spread(runs: RunResult[], metric: string): string | null {
  const v = runs.map((r) => finalOf(r, metric)).filter((x): x is number => x !== null);
  if (!v.length) return null;
  const lo = Math.min(...v), hi = Math.max(...v);
  return lo === hi ? fmtNum(lo) : `${fmtNum(lo)} … ${fmtNum(hi)}`;
}

/**
 * One line about a set of runs: `✓ 8000 steps · 0.6 s · loss 3e-29 · log det −108` for one run,
 * `✓ 5 runs · 2.1 s · loss 1e-3 … 4e-2` for a family; while running, their progress; a diverged,
 * failed or cancelled run says so first.
 */
export function summarize(entries: [string, RunResult][], times: WallTimes = new Map()): string {
  if (!entries.length) return '○ not run yet';
  const runs = entries.map(([, r]) => r);
  const count = (s: string[]) => runs.filter((r) => s.includes(r.status)).length;
  const inFlight = count(['running', 'queued']);
  if (inFlight) {
    const p = runs.map((r) => r.progress).filter((x): x is { step: number; steps: number } => !!x && x.steps > 0);
    const pct = p.length ? ` · ${Math.floor((100 * p.reduce((s, x) => s + x.step, 0)) / p.reduce((s, x) => s + x.steps, 0))}%` : '';
    return `⟳ running${runs.length > 1 ? ` · ${runs.length - inFlight} of ${runs.length} done` : ''}${pct}`;
  }
  const worst = ['error', 'blocked', 'diverged', 'cancelled', 'stale'].find((s) => count([s]) > 0) ?? 'done';
  const parts: string[] = [];
  if (runs.length === 1) {
    const r = runs[0]!;
    if (r.status === 'diverged') parts.push(`diverged${r.diverged_at != null ? ` after step ${r.diverged_at}` : ''}`);
    else if (r.status === 'error' || r.status === 'blocked') parts.push(r.message ?? r.status);
    else if (r.status === 'cancelled') parts.push(`cancelled${r.step.length ? ` at step ${r.step[r.step.length - 1]}` : ''}`);
    else if (r.status === 'stale') parts.push('stale: edited since it ran');
    else if (r.step.length) parts.push(`${r.step[r.step.length - 1]} steps`);
  } else {
    const bad = ['diverged', 'error', 'cancelled', 'stale'].map((s) => [s, count([s])] as const).filter(([, n]) => n > 0);
    parts.push(`${runs.length} runs${bad.length ? ` (${bad.map(([s, n]) => `${n} ${s}`).join(', ')})` : ''}`);
  }
  const ms = entries.map(([k]) => times.get(k)).filter((x): x is number => x !== undefined);
  if (ms.length) parts.push(formatWallMs(ms.reduce((s, x) => s + x, 0)));
  else if (count(['done', 'diverged']) === runs.length) parts.push('cached');
  const loss = spread(runs, 'loss');
  if (loss) parts.push(`loss ${loss}`);
  const logdet = spread(runs, 'logdet');
  if (logdet) parts.push(`log det ${logdet}`);
  return `${ICON[worst] ?? '✓'} ${parts.join(' · ')}`;
}

const MAX_METRICS = 10;

/** Markdown for the hover of a run definition's name: its summary, the loss's sparkline, final metrics. */
export function runHover(doc: ResultsDoc, name: string, times: WallTimes = new Map()): string | null {
  const entries = runsOfDef(doc, name);
  if (!entries.length) return null;
  const lines = ['---', '', `**Results** — ${summarize(entries, times)}`];
  const shown = entries.slice(0, 6);
  for (const [key, r] of shown) {
    const loss = (r.metrics?.loss ?? []) as number[];
    const spark = Array.isArray(loss) && typeof loss[0] === 'number' ? sparkline(loss) : '';
    if (entries.length > 1 || spark) lines.push('', `${entries.length > 1 ? `\`${key}\` ` : ''}${spark ? `loss \`${spark}\`` : ''}`.trim());
  }
  if (entries.length > shown.length) lines.push('', `… and ${entries.length - shown.length} more runs`);
  if (entries.length === 1) {
    const r = entries[0]![1];
    const rows = Object.keys(r.metrics ?? {})
      .map((m) => [m, finalOf(r, m)] as const)
      .filter((x): x is readonly [string, number] => x[1] !== null)
      .slice(0, MAX_METRICS);
    if (rows.length) lines.push('', '| metric | final |', '|---|---|', ...rows.map(([m, v]) => `| ${m} | ${fmtNum(v)} |`));
  }
  return lines.join('\n');
}

/**
 * Wall time of each run as seen in the results stream: from the first message showing it running
 * to the first showing it finished. A run that is finished the first time it is seen came from a
 * cache and gets no time (its summary says `cached`).
 */
export class RunClock {
  private readonly started = new Map<string, number>();
  private readonly took = new Map<string, Map<string, number>>();

  constructor(private readonly now: () => number = () => performance.now()) {}

  see(uri: string, doc: ResultsDoc): void {
    let took = this.took.get(uri);
    if (!took) this.took.set(uri, (took = new Map()));
    const t = this.now();
    for (const [k, r] of Object.entries(doc.runs)) {
      const id = `${uri}\n${k}`;
      if (r.status === 'running') {
        if (!this.started.has(id)) this.started.set(id, t);
      } else if (r.status === 'done' || r.status === 'diverged') {
        const t0 = this.started.get(id);
        if (t0 !== undefined) {
          took.set(k, t - t0);
          this.started.delete(id);
        }
      } else if (r.status !== 'queued') this.started.delete(id);
    }
  }

  times(uri: string): WallTimes {
    return this.took.get(uri) ?? new Map();
  }

  forget(uri: string): void {
    this.took.delete(uri);
    for (const id of [...this.started.keys()]) if (id.startsWith(`${uri}\n`)) this.started.delete(id);
  }
}
