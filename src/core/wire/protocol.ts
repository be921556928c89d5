// One typed protocol for every message that crosses a process or frame boundary:
//   language server ⇄ extension client (custom LSP requests/notifications), and
//   extension ⇄ webview (postMessage). Each side validates what it receives with the
//   guards below; nothing untyped crosses.
import type { ResultsDoc } from './results';
import type { AppendInfo } from './append';
import type { WallMs } from './wallTime';

export type { AppendInfo } from './append';

export type NodeState = 'cached' | 'running' | 'queued' | 'stale' | 'failed' | 'blocked' | 'done' | 'cancelled';

export interface NodeStatus {
  /** definition name or `plot#i` (i: the plot's position among the file's plot statements) */
  id: string;
  /** what the graph view shows: the definition's name, a plot's title (`title = …`) or
   *  `plot <metric>` (absent: the id) */
  label?: string;
  /** 1-based first and last line of the statement, in the text this status was computed from
   *  (an edited, unsaved text's status has the edited lines) */
  line?: number;
  endLine?: number;
  kind: 'data' | 'model' | 'optimizer' | 'run' | 'plot' | 'value' | 'init' | 'schedule';
  state: NodeState;
  deps: string[];
  message?: string | null;
  progress?: { step: number; steps: number } | null;
}

// ---- language server ⇄ client (custom LSP methods) ----
export const Methods = {
  /** client → server request: run the document now (ignores the on-save setting) */
  runNow: 'sgdexp/runNow',
  /** client → server request: cancel every in-flight computation (optionally for one uri) */
  cancel: 'sgdexp/cancel',
  /** client → server notification: the document was saved (run-on-save); servers may also use didSave */
  didSaveRun: 'sgdexp/didSaveRun',
  /** server → client notification: results (partial while streaming, final when done) */
  results: 'sgdexp/results',
  /** server → client notification: graph node status */
  status: 'sgdexp/status',
  /** client → server request: last known results of a uri (from memory or disk cache) */
  getResults: 'sgdexp/getResults',
  /** benchmarks → server request, only when the server runs with SGDEXP_LOOP_STATS=1: its event
   *  loop's delay since the last such request (LoopDelay, ms), then the histogram is reset */
  loopDelay: 'sgdexp/loopDelay',
} as const;

/** params of sgdexp/runNow (request; answers RunNowResult) and sgdexp/didSaveRun (notification) */
export interface RunNowParams {
  uri: string;
}
export interface RunNowResult {
  /** the revision started, or null when the document is unknown to the server */
  revision: number | null;
}
/** params of sgdexp/cancel (request; answers null): no uri cancels every document's work */
export interface CancelParams {
  uri?: string;
}
/** answer of sgdexp/loopDelay: percentiles of the event loop's delay in ms (perf_hooks) */
export interface LoopDelay {
  p50: number;
  p95: number;
  max: number;
  samples: number;
  /** this thread's ms on streaming since the last request: handling worker progress posts
   *  (`posts` of them, carrying `postRecords` records), building `partials` partial documents
   *  and handing them to the listeners that serialise and send them */
  stream?: { posts: number; postRecords: number; postMs: number; partials: number; buildMs: number; notifyMs: number };
}
/** params of sgdexp/getResults (request; answers ResultsMessage | null) */
export interface GetResultsParams {
  uri: string;
}

export interface ResultsMessage {
  uri: string;
  /** monotone per uri, also across close/reopen and server restarts (each process starts its
   *  numbering from a clock: src/server/graphBridge.ts revisionClock); receivers drop messages older
   *  than the newest seen. 0: the last final results from the disk cache, older than any */
  revision: number;
  /** true when no computation for this revision is still in flight */
  final: boolean;
  doc: ResultsDoc;
  /** a partial message sent as a delta (append.ts): the runs named in `append.from` hold only
   *  the records added since the previous message of this revision (after thinning what the
   *  receiver holds, for the runs named in `append.thin`). The client completes it
   *  before anything else sees it; handlers of the engine's own events never get one */
  append?: AppendInfo;
  /** wall time of the finished runs the server saw computing (wallTime.ts); outside `doc`, which
   *  stays a function of the file and its seeds */
  wallMs?: WallMs;
}

/** 2025-01-01T00:00:00Z: a server numbers a document's revisions in milliseconds from here
 *  (src/server/graphBridge.ts revisionClock), so a revision also tells when it started. */
export const REVISION_EPOCH_MS = Date.UTC(2025, 0, 1);

/**
 * A revision in words a user knows: `from the cache` (revision 0, the last final results kept on
 * disk), else the time its computation started (`as of 14:03:12`; another day: with the date).
 */
export function revisionWords(revision: number, now: Date = new Date()): string {
  if (revision <= 0) return 'from the cache';
  // a revision below a year's milliseconds is no clock reading (a test's engine counts from 1)
  if (revision < 365 * 86_400_000) return `update ${revision}`;
  const t = new Date(REVISION_EPOCH_MS + revision);
  const time = t.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
  return t.toDateString() === now.toDateString() ? `as of ${time}` : `as of ${t.toLocaleDateString()} ${time}`;
}

export interface StatusMessage {
  uri: string;
  revision: number;
  nodes: NodeStatus[];
}

// ---- extension → webview ----
export type ToWebview =
  | { type: 'results'; uri: string; revision: number; final: boolean; doc: ResultsDoc; reuse?: RunReuse; append?: AppendInfo; wallMs?: WallMs }
  | { type: 'status'; uri: string; revision: number; nodes: NodeStatus[] }
  | { type: 'message'; level: 'info' | 'error'; text: string }
  /** Export Figures: the extension asks for every plot serialized; the webview answers with one
   *  `export` message per plot carrying the same requestId (plotIndex i of `total`), each the
   *  standalone figure (title and legend inside) in the print theme or the preview's (`theme`,
   *  default print). */
  | { type: 'export'; requestId: number; format: 'svg' | 'png'; theme?: 'print' | 'editor' }
  /** the editor's cursor is on line `line` (1-based) of `uri`: a plot statement (`plots`, indices
   *  into doc.plots) or a run's definition (`runs`, its run keys, and the plots drawing them).
   *  The page scrolls to the first and marks them for a moment (sgdexp.preview.scrollSync). */
  | { type: 'highlight'; uri: string; line: number; plots: number[]; runs: string[] };

/**
 * A results message may leave out runs that are exactly as they were in the results message the
 * page was sent just before (revision `revision`): an edit of a plot, or of one run among many,
 * then crosses the extension → webview boundary with only what changed (Fig. 1 whole: ~450 KB of
 * JSON, most of the time from save to redrawn plot). `runs` are the left-out keys, `order` every
 * run key of the document in document order. A page that does not hold that revision answers
 * `resync` and is sent the whole document.
 */
export interface RunReuse {
  revision: number;
  runs: string[];
  order: string[];
}

// ---- webview → extension ----
export type FromWebview =
  | { type: 'ready' }
  /** the page could not rebuild a results message from the runs it holds: send the whole document */
  | { type: 'resync' }
  | { type: 'rendered'; revision: number; plots: number; ms: number }
  | { type: 'cancel' }
  /** `data`: SVG markup, or a PNG as a `data:image/png;base64,` URL. In answer to an export request it
   *  carries that request's `requestId` and the number of plots `total` (0 when there is none:
   *  then one message with plotIndex null); `title` names the plot for the file name. */
  | {
      type: 'export';
      format: 'svg' | 'png' | 'csv' | 'json';
      plotIndex: number | null;
      data?: string;
      requestId?: number;
      total?: number;
      title?: string;
    }
  | { type: 'error'; text: string }
  /** a click on a figure title, a legend entry, a curve, a graph node or a run row: show line
   *  `line` (1-based) of `uri` (the preview's own file) in an editor */
  | { type: 'reveal'; uri: string; line: number };
