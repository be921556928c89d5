// What the preview shows, as a pure state machine over validated messages (no DOM): unit-tested
// in test/webview/store.test.ts and driven by the Chromium tests.
//
// Revisions (protocol.ts): monotone per uri. A message older than the newest seen for its uri is
// dropped. A newer revision never mixes with the old one: a run takes the new revision's data as
// soon as that revision has any for it; until then the old curve stays, marked stale (faded), so
// the preview does not go blank on every save.
//
// Nothing the user has seen is thrown away by a failure: the last series drawn per run is kept
// (`drawn`) and shown faded with a label when the newest revision has nothing (or less) for that
// run because the run was cancelled, failed, went stale, or vanished from a text with errors (a
// typo drops its definition: the run is missing from the document and its node is 'failed').
// Only a run missing from a clean final document (deleted from the file) goes.
import type { AppendInfo, NodeStatus, RunReuse } from '../src/core/wire/protocol';
import { applyAppend } from '../src/core/wire/append';
import type { PlotSpec, ResultsDoc, RunResult } from '../src/core/wire/results';
import type { WallMs } from '../src/core/wire/wallTime';
import { baseName, defOf, plotRuns } from '../src/core/figures';

export interface ResultsIn {
  uri: string;
  revision: number;
  final: boolean;
  doc: ResultsDoc;
  /** runs left out because they are as in the previous message (protocol.ts, RunReuse) */
  reuse?: RunReuse;
  /** runs sent as the records added since the previous message of this revision (append.ts) */
  append?: AppendInfo;
  /** wall times of the finished runs the server computed (wallTime.ts) */
  wallMs?: WallMs;
}

export interface StatusIn {
  uri: string;
  revision: number;
  nodes: NodeStatus[];
}

/** What the webview persists with setState (and what the extension may pass as initial state). */
export interface WebviewState {
  results?: ResultsIn & { staleRuns?: string[]; labels?: Record<string, string> };
  status?: StatusIn | null;
  hidden?: string[];
}

/** 'need-full': a message reusing runs of a revision this page does not hold (it must ask for the
 *  whole document: `resync`) */
export type Outcome = 'applied' | 'dropped-old-revision' | 'need-full';

const TERMINAL = new Set(['done', 'diverged', 'error', 'cancelled']);
const hasData = (r: RunResult) => (r.step?.length ?? 0) > 0;
const lastStep = (r: RunResult) => r.step?.[r.step.length - 1] ?? -1;
/** statuses whose own data (if any) is a partial or nothing: a longer curve seen before is kept */
const UNFINISHED = new Set(['cancelled', 'error', 'stale', 'blocked']);

/** 13400000 → 13.4M, 25000 → 25k, 812 → 812 */
export function formatStep(n: number): string {
  if (n >= 1e6) return `${+(n / 1e6).toPrecision(3)}M`;
  if (n >= 1e4) return `${+(n / 1e3).toPrecision(3)}k`;
  return String(n);
}

/** What the header says about the shown file (store.headline). */
export interface Headline {
  state: 'up to date' | 'running' | 'queued' | 'stale' | 'cancelled' | 'error';
  /** the error text (with its line when known), or why the page is stale */
  detail: string | null;
}

interface Drawn {
  run: RunResult;
  revision: number;
  /** the last revision in which it was displayed */
  shownIn: number;
  /** the plots (index, kind, metric) that drew it */
  plots: { i: number; kind: string; metric: string }[];
}

export class PreviewStore {
  uri: string | null = null;
  revision = -1;
  final = false;
  /** the displayed document: runs of the current revision plus stale runs of older ones */
  doc: ResultsDoc | null = null;
  /** how many revisions this page has shown (1 for the first): the header counts edits with it,
   *  since the server's revision numbers are large (they must stay monotone across restarts) */
  shown = 0;
  /** revision each displayed run came from */
  runRevision = new Map<string, number>();
  /** runs shown from data the current revision does not have: faded, with this label */
  labels = new Map<string, string>();
  /** wall times of the last results message (null: its sender told none) */
  wallMs: WallMs | null = null;
  /** the newest revision's own document (runs accumulated over its messages) */
  private current: ResultsDoc | null = null;
  /** the last series drawn per run of this file, and the revision shown before this one */
  private drawn = new Map<string, Drawn>();
  private previousRevision = -1;
  /** graph status per uri: a status for a file whose results have not arrived yet waits here,
   *  so one file's graph is never shown with another file's plots */
  private statuses = new Map<string, StatusIn>();
  get status(): StatusIn | null {
    if (this.uri == null) return [...this.statuses.values()].pop() ?? null;
    return this.statuses.get(this.uri) ?? null;
  }
  hidden = new Set<string>();
  /** newest revision seen per uri (results or status) */
  private newest = new Map<string, number>();
  /** the runs of the last results message applied, as sent (not merged with stale ones): what a
   *  message with `reuse` refers to */
  private received: { uri: string; revision: number; runs: Record<string, RunResult> } | null = null;

  /** A message with `reuse`, completed from the runs of the previous message; null when this page
   *  does not hold them (restored from saved state, or that message was dropped). */
  private complete(m: ResultsIn): ResultsIn | null {
    const r = m.reuse;
    const a = m.append;
    if (!r && !a) return m;
    const prev = this.received;
    if (!prev || prev.uri !== m.uri || prev.revision !== (r?.revision ?? a!.revision)) return null;
    let runs: Record<string, RunResult> = m.doc.runs;
    if (r) {
      const reused = new Set(r.runs);
      runs = {};
      for (const k of r.order) {
        const run = reused.has(k) ? prev.runs[k] : m.doc.runs[k];
        if (!run) return null;
        runs[k] = run;
      }
    }
    // a delta's runs continue those of the message before: appended, or the whole is asked for
    const doc = a ? applyAppend(prev.runs, { ...m.doc, runs }, a) : { ...m.doc, runs };
    if (typeof doc === 'string') return null;
    return { uri: m.uri, revision: m.revision, final: m.final, doc, ...(m.wallMs ? { wallMs: m.wallMs } : {}) };
  }

  /** run keys drawn faded: data of an older revision, or kept for a cancelled/failed/stale run */
  staleRuns(): string[] {
    return [...this.runRevision].filter(([k, rev]) => rev < this.revision || this.labels.has(k)).map(([k]) => k);
  }

  private seen(uri: string, revision: number): boolean {
    const n = this.newest.get(uri);
    if (n != null && revision < n) return false;
    this.newest.set(uri, revision);
    return true;
  }

  applyResults(incoming: ResultsIn): Outcome {
    const n = this.newest.get(incoming.uri);
    if (n != null && incoming.revision < n) return 'dropped-old-revision';
    const m = this.complete(incoming);
    if (!m) return 'need-full';
    this.seen(m.uri, m.revision);
    if (m.uri !== this.uri) this.shown = 0;
    if (m.uri !== this.uri || m.revision !== this.revision) this.shown++;
    this.received = { uri: m.uri, revision: m.revision, runs: m.doc.runs };
    this.wallMs = m.wallMs ?? null;
    if (this.current == null || m.uri !== this.uri) {
      // another file: nothing of the old one is relevant
      this.replace(m);
      return 'applied';
    }
    if (m.revision === this.revision) {
      // within one revision, messages may carry only some runs: keep the others
      const runs: Record<string, RunResult> = { ...m.doc.runs };
      for (const [k, r] of Object.entries(this.current.runs)) if (!(k in runs)) runs[k] = r;
      this.current = { ...m.doc, runs, plots: m.doc.plots.length ? m.doc.plots : this.current.plots };
    } else {
      this.previousRevision = this.revision;
      this.current = m.doc;
    }
    this.revision = m.revision;
    this.final = m.final;
    this.derive();
    return 'applied';
  }

  /**
   * The displayed document: the current revision's runs, each replaced by the last series drawn
   * for it when the current one has nothing or less to show (then faded and labelled), plus the
   * runs the current revision lost to an error. Recomputed on status too: the node that says a
   * definition failed arrives after the results without it.
   */
  private derive(): void {
    const cur = this.current!;
    const R = this.revision;
    const runs: Record<string, RunResult> = {};
    const runRevision = new Map<string, number>();
    const labels = new Map<string, string>();
    const plots: PlotSpec[] = cur.plots.map((p) => ({ ...p }));
    const keep = (k: string, g: Drawn, status: RunResult['status'], message: string | null, label: string, progress = g.run.progress ?? null) => {
      runs[k] = { ...g.run, status, message, progress };
      runRevision.set(k, g.revision);
      labels.set(k, label);
    };
    for (const k of displayOrder([...new Set([...Object.keys(this.doc?.runs ?? {}), ...this.drawn.keys()])], Object.keys(cur.runs))) {
      const r = cur.runs[k];
      const g = this.drawn.get(k);
      const fresh = r && (!g || g.run === r || (hasData(r) ? !UNFINISHED.has(r.status) || lastStep(r) >= lastStep(g.run) : r.status === 'done' || r.status === 'diverged'));
      if (r && fresh) {
        runs[k] = r;
        runRevision.set(k, R);
        if (r.status === 'cancelled' && hasData(r)) labels.set(k, `cancelled at step ${formatStep(r.progress?.step ?? lastStep(r))}`);
        else if (r.status === 'stale' && hasData(r)) labels.set(k, `stale — ${this.why(k, r)}`);
        continue;
      }
      if (!g) continue;
      if (r) {
        if (r.status === 'cancelled') keep(k, g, 'cancelled', r.message, `cancelled at step ${formatStep(r.progress?.step ?? g.run.progress?.step ?? lastStep(g.run))}`);
        else if (UNFINISHED.has(r.status)) keep(k, g, r.status, r.message, `${r.status === 'error' ? 'failed' : 'stale'} — ${this.why(k, r)}`);
        // queued or running in the new revision, nothing computed yet: the old curve meanwhile
        else keep(k, g, 'stale', null, 'stale — re-running', r.progress ?? null);
        continue;
      }
      // missing from the current revision: kept while it streams, or when the text has errors
      // that explain it (a typo drops a definition); gone when the file no longer has it. Only
      // what the previous revision (or this one) showed comes back.
      if (g.shownIn < this.previousRevision) continue;
      const failed = this.failedDef(k);
      if (this.final && failed == null) continue;
      keep(k, g, 'stale', null, `stale — ${failed ?? 'the file changed'}`);
      for (const p of g.plots) {
        const q = plots[p.i];
        if (q && q.kind === p.kind && q.metric === p.metric && !q.runs.includes(k)) q.runs = [...q.runs, k];
      }
    }
    const doc: ResultsDoc = { ...cur, runs, plots };
    // remember what is drawn now: fresh data as received (identity tells a reused run), and
    // when a kept series was last shown
    for (const [k, r] of Object.entries(runs)) {
      const g = this.drawn.get(k);
      if (cur.runs[k] === r && hasData(r)) this.drawn.set(k, { run: r, revision: R, shownIn: R, plots: drawnBy(doc, k) });
      else if (g) g.shownIn = R;
    }
    // the same picture as before (a status that changes nothing shown) keeps the same document,
    // so the page reuses its figures
    if (!this.doc || !sameDisplay(this.doc, doc)) this.doc = doc;
    this.runRevision = runRevision;
    this.labels = labels;
  }

  /** Why run `k` has nothing current: the error on its definition (with its line when the
   *  document carries it), the run's own message, or "the file changed". */
  private why(k: string, r?: RunResult): string {
    return this.failedDef(k) ?? r?.message ?? 'the file changed';
  }

  /** The error of run `k`'s definition in the current revision, or null when there is none. */
  private failedDef(k: string): string | null {
    // by the run's definition (RunResult.def), also for a run the current revision lost
    const run = this.current?.runs[k] ?? this.drawn.get(k)?.run;
    const def = run ? defOf(k, run) : baseName(k);
    const errs = (this.current?.diagnostics ?? []).filter((d) => d.severity === 'error');
    const diag = errs.find((d) => d.def === def) ?? (errs.length && !errs.some((d) => d.def) ? errs[0] : undefined);
    const node = this.status?.revision != null && this.status.revision >= this.revision
      ? this.status.nodes.find((n) => n.id === def && n.kind !== 'plot' && (n.state === 'failed' || n.state === 'blocked'))
      : undefined;
    if (diag) return `line ${diag.line}: ${diag.message}`;
    if (node) return node.message ?? node.state;
    return null;
  }

  /** What the header says: the first of error, running, queued, stale, cancelled, up to date. */
  headline(): Headline {
    const doc = this.doc;
    const err = (this.current?.diagnostics ?? []).find((d) => d.severity === 'error');
    if (err) return { state: 'error', detail: `error on line ${err.line}: ${err.message}` };
    const st = this.status;
    const failed = st && st.revision >= this.revision ? st.nodes.find((n) => n.kind !== 'plot' && n.state === 'failed' && n.message) : undefined;
    if (failed) return { state: 'error', detail: `error in ${failed.id}: ${failed.message}` };
    const runs = Object.values(this.current?.runs ?? {});
    if (runs.some((r) => r.status === 'running')) return { state: 'running', detail: null };
    if (!this.final || runs.some((r) => r.status === 'queued')) return { state: runs.some((r) => r.status === 'queued') ? 'queued' : 'running', detail: null };
    const edited = st && st.revision >= this.revision && st.nodes.some((n) => n.state === 'stale');
    if (edited || [...this.labels.values()].some((l) => l.startsWith('stale'))) return { state: 'stale', detail: edited ? 'the file changed: save to run' : null };
    if (doc && Object.values(doc.runs).some((r) => r.status === 'cancelled')) return { state: 'cancelled', detail: null };
    return { state: 'up to date', detail: null };
  }

  private replace(m: ResultsIn & { staleRuns?: string[]; labels?: Record<string, string> }) {
    this.uri = m.uri;
    this.revision = m.revision;
    this.previousRevision = -1;
    this.final = m.final;
    this.doc = m.doc;
    this.current = m.doc;
    const stale = new Set(m.staleRuns ?? []);
    this.runRevision = new Map(Object.keys(m.doc.runs).map((k) => [k, stale.has(k) ? m.revision - 1 : m.revision]));
    this.labels = new Map(Object.entries(m.labels ?? {}));
    this.wallMs = m.wallMs ?? null;
    for (const k of stale) if (!this.labels.has(k)) this.labels.set(k, 'stale');
    this.drawn = new Map();
    for (const [k, r] of Object.entries(m.doc.runs)) if (hasData(r)) this.drawn.set(k, { run: r, revision: this.runRevision.get(k)!, shownIn: m.revision, plots: drawnBy(m.doc, k) });
    for (const u of [...this.statuses.keys()]) if (u !== m.uri) this.statuses.delete(u);
  }

  applyStatus(s: StatusIn): Outcome {
    if (!this.seen(s.uri, s.revision)) return 'dropped-old-revision';
    this.statuses.delete(s.uri);
    this.statuses.set(s.uri, s);
    // keep only the shown file's status and the newest other one
    while (this.statuses.size > 2) this.statuses.delete([...this.statuses.keys()].find((u) => u !== this.uri)!);
    // a failed definition named now may explain a run the last results left out
    if (s.uri === this.uri && this.current) this.derive();
    return 'applied';
  }

  toggle(key: string): void {
    if (this.hidden.has(key)) this.hidden.delete(key);
    else this.hidden.add(key);
  }

  snapshot(): WebviewState {
    return {
      results: this.doc && this.uri != null ? { uri: this.uri, revision: this.revision, final: this.final, doc: this.doc, staleRuns: this.staleRuns(), labels: Object.fromEntries(this.labels), ...(this.wallMs ? { wallMs: this.wallMs } : {}) } : undefined,
      status: this.status,
      hidden: [...this.hidden],
    };
  }

  restore(s: WebviewState): void {
    if (s.results) {
      this.replace(s.results);
      this.shown = 1;
      this.newest.set(s.results.uri, s.results.revision);
    }
    if (s.status && (!this.uri || s.status.uri === this.uri)) this.statuses.set(s.status.uri, s.status);
    this.hidden = new Set(s.hidden ?? []);
  }

  /** overall progress of the displayed revision: (steps done, steps total) over runs with progress */
  progress(): { done: number; total: number; running: number } {
    let done = 0, total = 0, running = 0;
    for (const r of Object.values(this.doc?.runs ?? {})) {
      const steps = r.progress?.steps ?? Number(r.params?.steps ?? 0);
      if (!steps) continue;
      total += steps;
      if (r.status === 'running' || r.status === 'queued') running++;
      done += TERMINAL.has(r.status) ? steps : Math.min(steps, r.progress?.step ?? 0);
    }
    return { done, total, running };
  }
}

/** The plots of `doc` that draw run `k`. */
function drawnBy(doc: ResultsDoc, k: string): Drawn['plots'] {
  const out: Drawn['plots'] = [];
  doc.plots.forEach((p, i) => {
    if (plotRuns(doc, p).includes(k)) out.push({ i, kind: p.kind, metric: p.metric });
  });
  return out;
}

/** The current revision's run order, with the runs only the previous display had put back after
 *  their predecessor there (a kept run keeps its place, hence its colour). */
function displayOrder(previous: string[], current: string[]): string[] {
  const out = [...current];
  const have = new Set(current);
  previous.forEach((k, i) => {
    if (have.has(k)) return;
    let at = 0;
    for (let j = i - 1; j >= 0; j--) {
      const p = out.indexOf(previous[j]!);
      if (p >= 0) { at = p + 1; break; }
    }
    out.splice(at, 0, k);
    have.add(k);
  });
  return out;
}

/** Whether two displayed documents draw the same: same runs (the same data arrays), statuses,
 *  messages, plots and document fields. */
function sameDisplay(a: ResultsDoc, b: ResultsDoc): boolean {
  const ka = Object.keys(a.runs), kb = Object.keys(b.runs);
  if (ka.length !== kb.length || ka.some((k, i) => k !== kb[i])) return false;
  for (const k of ka) {
    const x = a.runs[k]!, y = b.runs[k]!;
    if (x !== y && (x.step !== y.step || x.metrics !== y.metrics || x.status !== y.status || x.message !== y.message || x.progress !== y.progress)) return false;
  }
  const { runs: _a, plots: pa, ...ra } = a;
  const { runs: _b, plots: pb, ...rb } = b;
  return JSON.stringify(pa) === JSON.stringify(pb) && JSON.stringify(ra) === JSON.stringify(rb);
}
