// The bridge between the language server (src/server/server.ts) and the reactive
// graph (src/core/graph). The server calls `attachEngine` once at start-up; the engine
// registers the custom sgdexp/* methods of src/core/wire/protocol.ts on the connection and reports
// runtime findings (divergence at step k, NaN in data) through `publishRuntimeDiagnostics`,
// which the server merges with the checker's diagnostics.
//
// When runs start (settings.runOn):
//   'save'   — on save (and sgdexp/didSaveRun); opening a document shows what is cached at once;
//   'type'   — on every checked change (the server debounces typing); so does an untitled
//              document under 'save' (it has no save of its own);
//   'manual' — only on sgdexp/runNow; opening still shows what is cached.
// sgdexp/runNow computes every run of the file (not only the plotted ones).
import { join } from 'node:path';
import type { Connection } from 'vscode-languageserver/node';
import type { TextDocuments } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { CheckedProgram, Diagnostic } from '../core/program';
import { Methods, REVISION_EPOCH_MS, type CancelParams, type GetResultsParams, type ResultsMessage, type RunNowParams } from '../core/wire/protocol';
import { normalizeSettings, type RunOn } from '../core/wire/settings';
import { Engine as GraphEngine, type EngineOptions } from '../core/graph/engine';
import { makeAppend } from '../core/wire/append';
import { lensRefresher, type RefreshSupport, type ResultsLookup } from './resultsFeatures';
import { RunClock } from './runSummary';
import { wallMsOf } from '../core/wire/wallTime';

export interface EngineHost {
  connection: Connection;
  documents: TextDocuments<TextDocument>;
  /** the checked program of a document at its current version (memoised by the server) */
  getProgram(uri: string): CheckedProgram | null;
  /** runtime findings for a document; replaces the previous set */
  publishRuntimeDiagnostics(uri: string, diagnostics: Diagnostic[]): void;
  /** the refresh requests the client supports (lenses and hints are refreshed as results arrive) */
  refreshSupport?: RefreshSupport;
  /** workspace storage folder given by the client (initializationOptions.storagePath), or null */
  storagePath: string | null;
  /** settings from initializationOptions: { runOn: 'save' | 'type' | 'manual', workers, cache, cacheMB } */
  settings: Record<string, unknown>;
}

export interface Engine {
  /** the document changed (called after the server re-checked it) */
  onChange(uri: string): void;
  /** the document was saved */
  onSave(uri: string): void;
  onClose(uri: string): void;
  /** new settings (same shape as EngineHost.settings); runOn and the memory budget apply at once */
  updateSettings(settings: Record<string, unknown>): void;
  /** the latest results of each document and the wall times seen (CodeLens, hover) */
  readonly lookup: ResultsLookup;
  /** the graph engine itself (tests, benchmarks) */
  readonly graph: GraphEngine;
  dispose(): Promise<void>;
}


/**
 * Whether an edit runs the document: with run.on = type, and with run.on = save for an untitled
 * document, which has no save of its own (saving names it: a new document), so it would never
 * run; as with typing, the server's debounce makes the run wait for a pause.
 */
export function runsOnEdit(runOn: RunOn, uri: string): boolean {
  return runOn === 'type' || (runOn === 'save' && uri.startsWith('untitled:'));
}

function runOnOf(s: Record<string, unknown>): RunOn {
  return normalizeSettings(s).runOn;
}


/**
 * The first revision of a document in this server process. The client outlives the server
 * (a crash or "Restart Language Server" keeps the preview open) and drops every revision older
 * than the newest it has seen, so a new process must start above anything an old one sent.
 * Within a process a document's revisions count up by one from here (also across close and
 * reopen: the engine keeps its counters), so an old process stays below a new one's clock
 * unless it averaged over 1000 revisions a second of one document — impossible, each is a
 * re-check and a lowering, and typing is debounced. Coarser units would give shorter numbers
 * but not that margin: ten edits within a second and a quick restart would collide at tenths.
 * So the preview shows an 11-digit "revision N" that counts up by one per save; a small number
 * would need a session id, and every receiver (preview, webview store, status bar) resetting
 * its newest-seen revision on a new session.
 */
export function revisionClock(nowMs = Date.now()): number {
  return Math.max(1, Math.floor(nowMs - REVISION_EPOCH_MS));
}

/** Engine options from the client's settings: workers ≤ 0 means "as many as the machine has". */
export function engineOptions(storagePath: string | null, settings: Record<string, unknown>): EngineOptions {
  const s = normalizeSettings(settings);
  const cacheMB = s.cacheMB;
  return {
    workers: s.workers >= 1 ? s.workers : undefined,
    cacheDir: storagePath ? join(storagePath, 'cache') : null,
    noCache: !s.cache,
    diskMB: cacheMB,
    memoryMB: Math.max(16, Math.min(cacheMB, 512)),
    revisionBase: () => revisionClock(),
    // partial results at most about every 150 ms per document (more often than a page redraws a
    // streamed figure gains nothing; the first message of a revision and a run's first points
    // still go out at once): the rest of this thread's time answers the editor
    emitIntervalMs: 150,
  };
}

const uriOf = (p: unknown): string | undefined =>
  p && typeof p === 'object' && typeof (p as { uri?: unknown }).uri === 'string' ? (p as { uri: string }).uri : undefined;

export function attachEngine(host: EngineHost): Engine {
  const { connection } = host;
  let settings = normalizeSettings(host.settings);
  const graph = new GraphEngine(engineOptions(host.storagePath, host.settings));
  const shown = new Set<string>();
  if (graph.pool.fallback) connection.console.warn(`sgdexp: ${graph.pool.fallback}`);

  // a notification fails only when the client is gone: nothing to tell it, and no rejection left unhandled
  const ignore = () => {};
  // partial results go out as deltas of the last message sent for their uri (append.ts): only
  // the records added since, so serialising them costs this thread in proportion to what is new
  const lastSent = new Map<string, { revision: number; runs: ResultsMessage['doc']['runs'] }>();
  // wall times as the results stream (the lenses' and the preview's), a lens refresh when they change
  const clock = new RunClock();
  const refreshLenses = lensRefresher(connection, host.refreshSupport);
  // sent beside the document, never in it (core/wire/wallTime.ts)
  const wallOfDoc = (m: ResultsMessage) => wallMsOf(m.doc.runs, clock.times(m.uri));
  graph.on('results', (m) => {
    clock.see(m.uri, m.doc);
    const d = m.final ? null : makeAppend(lastSent.get(m.uri) ?? null, m.revision, m.doc);
    lastSent.set(m.uri, { revision: m.revision, runs: m.doc.runs });
    const wallMs = wallOfDoc(m);
    const wire: ResultsMessage = d ? { ...m, doc: d.doc, append: d.append, wallMs } : { ...m, wallMs };
    void connection.sendNotification(Methods.results, wire).catch(ignore);
    refreshLenses(m.final);
  });
  graph.on('status', (m) => void connection.sendNotification(Methods.status, m).catch(ignore));
  graph.on('diagnostics', ({ uri, diagnostics }) => host.publishRuntimeDiagnostics(uri, diagnostics));
  graph.on('error', ({ message, error }) => connection.console.error(`sgdexp: engine: ${message}${error instanceof Error && error.stack ? `\n${error.stack}` : ''}`));

  const update = (uri: string, mode: 'run' | 'cached', runAll = false): number | null => {
    const program = host.getProgram(uri);
    if (!program) return null;
    shown.add(uri);
    try {
      return graph.update(uri, program, { mode, runAll, file: fileOf(uri) });
    } catch (e) {
      connection.console.error(`sgdexp: engine failed on ${uri}: ${(e as Error).stack ?? e}`);
      return null;
    }
  };

  connection.onRequest(Methods.runNow, (p: RunNowParams) => {
    const uri = uriOf(p);
    // an untrusted workspace runs nothing, whatever asks (the extension asks for trust first)
    if (!uri || !settings.trusted) return { revision: null };
    return { revision: update(uri, 'run', true) };
  });
  connection.onRequest(Methods.cancel, (p: CancelParams) => {
    graph.cancel(uriOf(p));
    return null;
  });
  connection.onRequest(Methods.getResults, (p: GetResultsParams): ResultsMessage | null => {
    const uri = uriOf(p);
    const m = uri ? graph.getResults(uri) : null;
    return m && { ...m, wallMs: wallOfDoc(m) };
  });
  connection.onNotification(Methods.didSaveRun, (p: RunNowParams) => {
    const uri = uriOf(p);
    if (uri && settings.runOn !== 'manual') update(uri, 'run');
  });

  const api: Engine = {
    graph,
    lookup: { results: (uri) => graph.getResults(uri), times: (uri) => clock.times(uri) },
    onChange(uri) {
      if (runsOnEdit(settings.runOn, uri)) update(uri, 'run');
      // first sight of a document: show what the caches hold, start nothing
      else if (!shown.has(uri)) update(uri, 'cached');
      else {
        // edited, not saved: tell the graph view which nodes are now stale
        const program = host.getProgram(uri);
        if (program) graph.markStale(uri, program);
      }
    },
    onSave(uri) {
      if (settings.runOn !== 'manual') update(uri, 'run');
    },
    onClose(uri) {
      shown.delete(uri);
      lastSent.delete(uri);
      clock.forget(uri);
      graph.close(uri);
    },
    updateSettings(raw) {
      settings = normalizeSettings(raw);
      // the memory budget follows at once; workers and the cache folder apply at the next start
      const o = engineOptions(host.storagePath, raw);
      graph.memory.setBudget((o.memoryMB ?? 256) * 2 ** 20);
    },
    dispose: () => graph.dispose(),
  };
  return api;
}

/** The `file` field of a results document: the path of a file: URI, else the URI. */
function fileOf(uri: string): string {
  if (!uri.startsWith('file://')) return uri;
  try {
    return decodeURIComponent(new URL(uri).pathname);
  } catch {
    return uri;
  }
}
