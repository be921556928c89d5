// The sgdexp language server: a thin adapter over src/core/lang (every handler: get the document,
// call the language, convert). It re-checks a document at most once per version (memoised),
// publishes the checker's diagnostics merged with the engine's runtime findings (debounced on
// typing), and hosts the reactive graph through `attachEngine` (src/server/graphBridge.ts).
import {
  createConnection, ProposedFeatures, TextDocuments, TextDocumentSyncKind, type InitializeParams, type InitializeResult,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import * as lang from '../core/lang';
import { numericHooks } from '../core/checkHooks';
import { normalizeSettings, SETTINGS_DEFAULTS } from '../core/wire/settings';
import type { CheckedProgram, Diagnostic } from '../core/program';
import { attachEngine, type Engine } from './graphBridge';
import { registerFeatures, semanticLegend } from './features';
import { registerResultsFeatures } from './resultsFeatures';
import { toLspDiagnostic } from './convert';
import { installCrashGuards } from './crashGuard';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { Methods, type LoopDelay } from '../core/wire/protocol';

const connection = createConnection(ProposedFeatures.all);
installCrashGuards(process, (m) => connection.console.error(m));
const documents = new TextDocuments(TextDocument);

const analyses = new Map<string, { version: number; analysis: lang.Analysis | null }>();
const runtime = new Map<string, Diagnostic[]>();
const timers = new Map<string, ReturnType<typeof setTimeout>>();
let engine: Engine | null = null;
let storagePath: string | null = null;
let settings: Record<string, unknown> = {};
let debounceMs = SETTINGS_DEFAULTS.debounceMs;
let refreshSupport = { codeLens: false, inlayHint: false };
/** the workspace folders (file paths): a csv(…) file must be inside one of them */
let workspaceRoots: string[] = [];

/**
 * Where a document's csv(…) files may come from: relative to the document, inside a workspace
 * folder; an untrusted workspace reads none (the checker says why at the path).
 */
function dataAccess(uri: string): { file: string | null; roots: string[]; trusted: boolean } {
  let file: string | null = null;
  try {
    file = uri.startsWith('file:') ? fileURLToPath(uri) : null;
  } catch {
    file = null;
  }
  return { file, roots: workspaceRoots, trusted: settings.trusted !== false };
}

function analysisOf(uri: string): lang.Analysis | null {
  const doc = documents.get(uri);
  if (!doc) return null;
  const memo = analyses.get(uri);
  if (memo && memo.version === doc.version) return memo.analysis;
  let analysis: lang.Analysis;
  try {
    analysis = lang.checkDocument(doc.getText(), numericHooks(dataAccess(uri))).analysis;
  } catch (e) {
    // the checker never throws by design; if it does, report it instead of killing the server
    connection.console.error(`sgdexp: checker failed on ${uri}: ${(e as Error).stack ?? e}`);
    // memoised too: every request of this version would otherwise pay for the failure again
    const previous = memo?.analysis ?? null;
    analyses.set(uri, { version: doc.version, analysis: previous });
    return previous;
  }
  analyses.set(uri, { version: doc.version, analysis });
  return analysis;
}

/**
 * Runtime findings were placed on their definition's range in the revision that ran; after an
 * edit that is not run yet (run on save), they move with their definition to its range in the
 * current text, and go when the definition does.
 */
function anchored(a: lang.Analysis, found: Diagnostic[]): Diagnostic[] {
  const ranges = new Map(a.program.definitions.map((d) => [d.name, d.range]));
  const out: Diagnostic[] = [];
  for (const d of found) {
    const def = (d.data as { def?: unknown } | undefined)?.def;
    if (typeof def !== 'string') out.push(d);
    else if (ranges.has(def)) out.push({ ...d, range: ranges.get(def)! });
  }
  return out;
}

function publish(uri: string): void {
  const a = analysisOf(uri);
  if (!a) return;
  const all = [...a.program.diagnostics, ...anchored(a, runtime.get(uri) ?? [])];
  // the document version the diagnostics describe: a client drops those of an older text
  void connection.sendDiagnostics({ uri, version: documents.get(uri)?.version, diagnostics: all.map((d) => toLspDiagnostic(uri, d)) });
}

/** Engine calls never take the language features down with them. */
function safely(what: string, f: () => void): void {
  try {
    f();
  } catch (e) {
    connection.console.error(`sgdexp: engine ${what} failed: ${(e as Error).stack ?? e}`);
  }
}

function checkNow(uri: string): void {
  const t = timers.get(uri);
  if (t) clearTimeout(t);
  timers.delete(uri);
  publish(uri);
  // after the current I/O (requests already received are answered first): the engine's own
  // bookkeeping on a large file can take a while and must not delay diagnostics or completion
  setImmediate(() => {
    if (documents.get(uri)) safely('onChange', () => engine?.onChange(uri));
  });
}

function schedule(uri: string): void {
  const t = timers.get(uri);
  if (t) clearTimeout(t);
  timers.set(uri, setTimeout(() => checkNow(uri), debounceMs));
}

/** Settings from the client, clamped to their ranges (core/wire/settings.ts). */
function receiveSettings(raw: unknown): void {
  const s = normalizeSettings(raw);
  // trust decides whether data files are read: a change re-checks every document
  if (s.trusted !== (settings.trusted !== false)) analyses.clear();
  settings = { ...s };
  debounceMs = s.debounceMs;
}

connection.onInitialize((params: InitializeParams): InitializeResult => {
  const init = (params.initializationOptions ?? {}) as Record<string, unknown>;
  storagePath = typeof init.storagePath === 'string' ? init.storagePath : null;
  refreshSupport = {
    codeLens: params.capabilities.workspace?.codeLens?.refreshSupport === true,
    inlayHint: params.capabilities.workspace?.inlayHint?.refreshSupport === true,
  };
  const folders = params.workspaceFolders?.map((f) => f.uri) ?? (params.rootUri ? [params.rootUri] : []);
  workspaceRoots = folders.filter((u) => u.startsWith('file:')).map((u) => fileURLToPath(u));
  receiveSettings(init.settings && typeof init.settings === 'object' ? init.settings : init);
  return {
    capabilities: {
      textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
      completionProvider: { triggerCharacters: ['(', ',', '=', '['], resolveProvider: false },
      hoverProvider: true,
      signatureHelpProvider: { triggerCharacters: ['(', ','], retriggerCharacters: ['='] },
      definitionProvider: true,
      referencesProvider: true,
      documentHighlightProvider: true,
      renameProvider: { prepareProvider: true },
      documentSymbolProvider: true,
      foldingRangeProvider: true,
      documentFormattingProvider: true,
      codeActionProvider: { codeActionKinds: ['quickfix'] },
      semanticTokensProvider: { legend: semanticLegend, full: true },
      inlayHintProvider: true,
      codeLensProvider: { resolveProvider: false },
    },
    serverInfo: { name: 'sgdexp-language-server', version: '0.1.0' },
  };
});

connection.onInitialized(() => {
  engine = attachEngine({
    connection,
    documents,
    getProgram: (uri: string): CheckedProgram | null => analysisOf(uri)?.program ?? null,
    publishRuntimeDiagnostics: (uri: string, diagnostics: Diagnostic[]) => {
      runtime.set(uri, diagnostics);
      publish(uri);
    },
    storagePath,
    settings,
    refreshSupport,
  });
});

// the client sends its settings (same shape as initializationOptions.settings) when they change
connection.onDidChangeConfiguration((p) => {
  const raw = p.settings as Record<string, unknown> | null;
  if (!raw || typeof raw !== 'object') return;
  const fresh = analyses.size;
  receiveSettings(raw.sgdexp && typeof raw.sgdexp === 'object' ? raw.sgdexp : raw);
  if (fresh > 0 && analyses.size === 0) for (const d of documents.all()) checkNow(d.uri);
  safely('updateSettings', () => engine?.updateSettings(settings));
});

documents.onDidOpen((e) => checkNow(e.document.uri));
documents.onDidChangeContent((e) => {
  // didOpen also fires a content change; the open handler already checked this version
  const memo = analyses.get(e.document.uri);
  if (memo && memo.version === e.document.version && !timers.has(e.document.uri)) return;
  schedule(e.document.uri);
});
// A data file changed on disk (the client watches **/*.csv): every open document is checked
// again (the reader compares the file's size and time), and one that reads csv(…) data runs as on
// a save — its runs are keyed on the file's content hash, so only those reading it recompute.
connection.onDidChangeWatchedFiles(() => {
  analyses.clear();
  for (const doc of documents.all()) {
    checkNow(doc.uri);
    if (doc.getText().includes('csv(')) safely('onSave', () => engine?.onSave(doc.uri));
  }
});
documents.onDidSave((e) => {
  if (timers.has(e.document.uri)) checkNow(e.document.uri);
  safely('onSave', () => engine?.onSave(e.document.uri));
});
documents.onDidClose((e) => {
  const uri = e.document.uri;
  const t = timers.get(uri);
  if (t) clearTimeout(t);
  timers.delete(uri);
  analyses.delete(uri);
  runtime.delete(uri);
  safely('onClose', () => engine?.onClose(uri));
  void connection.sendDiagnostics({ uri, diagnostics: [] });
});

registerFeatures(connection, documents, analysisOf, (uri) => {
  const a = analysisOf(uri);
  return a ? anchored(a, runtime.get(uri) ?? []) : [];
}, (uri) => {
  try {
    return engine?.graph.getClaims(uri) ?? null;
  } catch {
    return null;
  }
}, () => engine?.lookup ?? null, () => normalizeSettings(settings).printWidth);
registerResultsFeatures(connection, analysisOf, () => engine?.lookup ?? null);

// Benchmarks measure how far this thread falls behind its input while runs stream (a cancel or a
// didChange waits that long before it is even read): only on request, it samples every 10 ms.
if (process.env.SGDEXP_LOOP_STATS === '1') {
  const h = monitorEventLoopDelay({ resolution: 10 });
  h.enable();
  let since: NonNullable<LoopDelay['stream']> | null = null;
  connection.onRequest(Methods.loopDelay, (): LoopDelay => {
    // the histogram holds the intervals between samples: the delay is what exceeds the resolution
    const ms = (ns: number) => Math.max(0, ns / 1e6 - 10);
    const r: LoopDelay = { p50: ms(h.percentile(50)), p95: ms(h.percentile(95)), max: ms(h.max), samples: h.count };
    h.reset();
    const now = engine?.graph.streamCost() ?? null;
    if (now) {
      const was = since;
      r.stream = Object.fromEntries(Object.entries(now).map(([k, v]) => [k, v - (was?.[k as keyof typeof now] ?? 0)])) as typeof now;
      since = now;
    }
    return r;
  });
}

connection.onShutdown(async () => {
  for (const t of timers.values()) clearTimeout(t);
  timers.clear();
  await engine?.dispose();
});

documents.listen(connection);
connection.listen();
