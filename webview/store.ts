// What the preview shows, as a pure state machine over validated messages (no DOM): unit-tested
// in test/webview/store.test.ts and driven by the Chromium tests.
//
// Revisions (protocol.ts): monotone per uri. A message older than the newest seen for its uri is
// dropped. A newer revision never mixes with the old one: a run takes the new revision's data as
// soon as that revision has any for it; until then the old curve stays, marked stale (faded), so
// the preview does not go blank on every save. The final message of a revision removes whatever
// old data is left.
import type { NodeStatus, RunReuse } from '../src/core/wire/protocol';
import type { ResultsDoc, RunResult } from '../src/core/wire/results';

export interface ResultsIn {
  uri: string;
  revision: number;
  final: boolean;
  doc: ResultsDoc;
  /** runs left out because they are as in the previous message (protocol.ts, RunReuse) */
  reuse?: RunReuse;
}

export interface StatusIn {
  uri: string;
  revision: number;
  nodes: NodeStatus[];
}

/** What the webview persists with setState (and what the extension may pass as initial state). */
export interface WebviewState {
  results?: ResultsIn & { staleRuns?: string[] };
  status?: StatusIn | null;
  hidden?: string[];
}

/** 'need-full': a message reusing runs of a revision this page does not hold (it must ask for the
 *  whole document: `resync`) */
export type Outcome = 'applied' | 'dropped-old-revision' | 'need-full';

const TERMINAL = new Set(['done', 'diverged', 'error', 'cancelled']);
const hasData = (r: RunResult) => (r.step?.length ?? 0) > 0;

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
    if (!r) return m;
    const prev = this.received;
    if (!prev || prev.uri !== m.uri || prev.revision !== r.revision) return null;
    const reused = new Set(r.runs);
    const runs: Record<string, RunResult> = {};
    for (const k of r.order) {
      const run = reused.has(k) ? prev.runs[k] : m.doc.runs[k];
      if (!run) return null;
      runs[k] = run;
    }
    return { uri: m.uri, revision: m.revision, final: m.final, doc: { ...m.doc, runs } };
  }

  /** run keys whose data belongs to an older revision than the one being shown */
  staleRuns(): string[] {
    return [...this.runRevision].filter(([, rev]) => rev < this.revision).map(([k]) => k);
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
    if (this.doc == null || m.uri !== this.uri) {
      // another file: nothing of the old one is relevant
      this.replace(m);
      return 'applied';
    }
    const old = this.doc;
    const runs: Record<string, RunResult> = {};
    const runRevision = new Map<string, number>();
    const sameRevision = m.revision === this.revision;
    for (const [k, r] of Object.entries(m.doc.runs)) {
      const prev = old.runs[k];
      const prevRev = this.runRevision.get(k) ?? -1;
      // keep an older revision's curve (as stale) only while the new revision has nothing for it
      if (!m.final && prev && prevRev < m.revision && !hasData(r) && !TERMINAL.has(r.status) && hasData(prev)) {
        runs[k] = prev;
        runRevision.set(k, prevRev);
      } else {
        runs[k] = r;
        runRevision.set(k, m.revision);
      }
    }
    for (const [k, r] of Object.entries(old.runs)) {
      if (k in runs) continue;
      const prevRev = this.runRevision.get(k) ?? -1;
      // within one revision, messages may carry only some runs: keep the others;
      // a run missing from a newer revision stays (stale) until that revision is final
      if (sameRevision && prevRev === m.revision) {
        runs[k] = r;
        runRevision.set(k, prevRev);
      } else if (!m.final) {
        runs[k] = r;
        runRevision.set(k, prevRev);
      }
    }
    this.doc = { ...m.doc, runs, plots: m.doc.plots.length || !sameRevision ? m.doc.plots : old.plots };
    this.runRevision = runRevision;
    this.revision = m.revision;
    this.final = m.final;
    return 'applied';
  }

  private replace(m: ResultsIn & { staleRuns?: string[] }) {
    this.uri = m.uri;
    this.revision = m.revision;
    this.final = m.final;
    this.doc = m.doc;
    const stale = new Set(m.staleRuns ?? []);
    this.runRevision = new Map(Object.keys(m.doc.runs).map((k) => [k, stale.has(k) ? m.revision - 1 : m.revision]));
    for (const u of [...this.statuses.keys()]) if (u !== m.uri) this.statuses.delete(u);
  }

  applyStatus(s: StatusIn): Outcome {
    if (!this.seen(s.uri, s.revision)) return 'dropped-old-revision';
    this.statuses.delete(s.uri);
    this.statuses.set(s.uri, s);
    // keep only the shown file's status and the newest other one
    while (this.statuses.size > 2) this.statuses.delete([...this.statuses.keys()].find((u) => u !== this.uri)!);
    return 'applied';
  }

  toggle(key: string): void {
    if (this.hidden.has(key)) this.hidden.delete(key);
    else this.hidden.add(key);
  }

  snapshot(): WebviewState {
    return {
      results: this.doc && this.uri != null ? { uri: this.uri, revision: this.revision, final: this.final, doc: this.doc, staleRuns: this.staleRuns() } : undefined,
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
