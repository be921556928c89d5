// What one preview page is sent, and when: the ordering rules of the panel, without the panel
// (no `vscode` import, so the rules are unit-tested with a hand-driven clock).
//
// - Messages wait for the page's `ready`; of the waiting ones only the newest results and status
//   are kept (latest wins), other messages keep their order. Every `ready` re-sends the newest
//   state, so the page never needs to have stored anything.
// - Results are guarded by revision: an older revision arriving late is dropped, and within a
//   revision a final message is never followed by a partial one.
// - Status goes out STATUS_DELAY_MS after it came, newest only: after a save the server reports
//   node states next to the results, and the page would spend a frame drawing the old revision's
//   status before the new plots. A status older than the results already sent is never posted:
//   the page would drop it (webview/store.ts keeps the newest revision per file), and the newer
//   revision's own status follows its results.
// - Results are sent as a difference from the results this page load last received (RunReuse and
//   RunAppend, wire/protocol.ts): after an edit of one plot or one run only what changed travels.
import type { ResultsMessage, StatusMessage, ToWebview } from '../../core/wire/protocol';
import type { ResultsDoc } from '../../core/wire/results';
import { sameJson } from '../../core/sameJson';
import { makeAppend } from '../../core/wire/append';

export const STATUS_DELAY_MS = 30;

export interface OutboxPort {
  /** posts `msg` to the loaded page; `logged` is what the page will hold once it applies it (a
   *  results message with `reuse` or `append` is logged whole) */
  send(msg: ToWebview, logged: ToWebview): void;
  /** runs `fn` after `ms`; the returned function cancels it */
  later(fn: () => void, ms: number): () => void;
}

export class PageOutbox {
  private ready = false;
  private pending: ToWebview[] = [];
  private latestResults: ResultsMessage | undefined;
  private latestStatus: StatusMessage | undefined;
  /** the results last sent to the current page load (a later message may reuse its runs) */
  private sent: ResultsMessage | undefined;
  private cancelStatus: (() => void) | undefined;

  constructor(
    private readonly port: OutboxPort,
    /** results the page already holds (a revived panel's saved state) */
    initial?: ResultsMessage,
  ) {
    this.latestResults = initial;
  }

  get isReady(): boolean {
    return this.ready;
  }
  get results(): ResultsMessage | undefined {
    return this.latestResults;
  }
  get status(): StatusMessage | undefined {
    return this.latestStatus;
  }

  /** A new page load (or a hidden page torn down): nothing reaches it until it says `ready`. */
  unload(): void {
    this.ready = false;
    this.sent = undefined;
  }

  /** The page is hidden: VS Code tears it down and rebuilds it when shown; queue until then. */
  hide(): void {
    this.ready = false;
  }

  /** Forgets everything offered (the panel moved to another file, or its file closed). */
  forget(): void {
    this.latestResults = undefined;
    this.latestStatus = undefined;
    this.pending = [];
    this.stopStatusTimer();
  }

  /** Offers results; false when they are older than what the page has (dropped). */
  offerResults(m: ResultsMessage): boolean {
    const cur = this.latestResults;
    if (cur && (m.revision < cur.revision || (m.revision === cur.revision && cur.final && !m.final))) return false;
    this.latestResults = m;
    this.sendResults(m);
    return true;
  }

  /** Offers a status; false when an older revision than the newest status offered (dropped). */
  offerStatus(m: StatusMessage): boolean {
    if (this.latestStatus && m.revision < this.latestStatus.revision) return false;
    this.latestStatus = m;
    this.cancelStatus ??= this.port.later(() => {
      this.cancelStatus = undefined;
      this.sendStatus();
    }, STATUS_DELAY_MS);
    return true;
  }

  post(msg: ToWebview, logged: ToWebview = msg): void {
    if (!this.ready) {
      this.pending = this.pending.filter((p) => p.type !== msg.type || (msg.type !== 'results' && msg.type !== 'status'));
      this.pending.push(logged);
      return;
    }
    this.port.send(msg, logged);
  }

  /** The page said `ready`: it gets the newest state, then the messages that waited. */
  pageReady(): void {
    this.ready = true;
    const queued = this.pending.filter((p) => p.type !== 'results' && p.type !== 'status');
    this.pending = [];
    if (this.latestResults) this.sendResults(this.latestResults);
    this.sendStatus();
    for (const q of queued) this.post(q);
  }

  /** The page could not complete a message from the runs it holds: send it everything. */
  resync(): void {
    if (!this.ready) return;
    this.sent = undefined;
    if (this.latestResults) this.sendResults(this.latestResults);
  }

  dispose(): void {
    this.stopStatusTimer();
  }

  private stopStatusTimer(): void {
    this.cancelStatus?.();
    this.cancelStatus = undefined;
  }

  private sendStatus(): void {
    const s = this.latestStatus;
    if (!s) return;
    // older than the results sent: the page drops it, and the newer revision's status follows
    if (this.latestResults && s.uri === this.latestResults.uri && s.revision < this.latestResults.revision) return;
    this.post({ type: 'status', uri: s.uri, revision: s.revision, nodes: s.nodes });
  }

  private sendResults(m: ResultsMessage): void {
    const full: ToWebview = { type: 'results', uri: m.uri, revision: m.revision, final: m.final, doc: m.doc, ...(m.wallMs ? { wallMs: m.wallMs } : {}) };
    const base = this.ready ? this.sent : undefined;
    if (!base || base.uri !== m.uri) {
      if (this.ready) this.sent = m;
      this.post(full);
      return;
    }
    // within a revision a run's trajectory only grows: send the records added since (append.ts)
    // rather than compare or re-send the whole of it
    const grown = makeAppend({ revision: base.revision, runs: base.doc.runs }, m.revision, m.doc);
    const reused: string[] = [];
    const runs: ResultsDoc['runs'] = {};
    for (const [k, r] of Object.entries(m.doc.runs)) {
      if (grown && k in grown.append.from) runs[k] = grown.doc.runs[k];
      else if (base.doc.runs[k] && sameJson(base.doc.runs[k], r)) reused.push(k);
      else runs[k] = r;
    }
    this.sent = m;
    if (!reused.length && !grown) return this.post(full);
    const wire: ToWebview = {
      ...full,
      doc: { ...m.doc, runs },
      ...(reused.length ? { reuse: { revision: base.revision, runs: reused, order: Object.keys(m.doc.runs) } } : {}),
      ...(grown ? { append: grown.append } : {}),
    };
    this.post(wire, full);
  }
}
