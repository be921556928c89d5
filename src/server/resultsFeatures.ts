// Results in the editor: a CodeLens above each `train` definition and each `plot` line (the
// summary of its runs, then ▶ Run and ⏹ Cancel, commands the extension registers) and the results
// part of a run name's hover. The server holds the latest results of each document (the graph's
// last message), so the lenses follow the runs without the client asking for anything else.
import type { CodeLens, Connection } from 'vscode-languageserver/node';
import type * as lang from '../core/lang';
import type { ResultsMessage } from '../core/wire/protocol';
import type { ResultsDoc, RunResult } from '../core/wire/results';
import { runHover, runsOfDef, summarize, type WallTimes } from './runSummary';

export interface ResultsLookup {
  /** the latest results of a document (streamed or final), or null */
  results(uri: string): ResultsMessage | null;
  /** the wall times the server saw for its runs */
  times(uri: string): WallTimes;
}

/** The lenses of a document: one summary (no command: a label) and Run / Cancel per line. */
export function codeLenses(uri: string, a: lang.Analysis, doc: ResultsDoc | null, times: WallTimes): CodeLens[] {
  const out: CodeLens[] = [];
  const add = (range: CodeLens['range'], summary: string) => {
    const line = { start: range.start, end: range.start };
    out.push(
      { range: line, command: { title: summary, command: '' } },
      { range: line, command: { title: '▶ Run', command: 'sgdexp.runNow', arguments: [uri] } },
      { range: line, command: { title: '⏹ Cancel', command: 'sgdexp.cancel', arguments: [uri] } },
    );
  };
  for (const d of a.program.definitions) {
    if (d.category !== 'run') continue;
    add(d.range, summarize(doc ? runsOfDef(doc, d.name) : [], times));
  }
  for (const p of a.program.plots) {
    // the document's plot of the same position, when it plots the same runs (the results may be
    // of an earlier text: then the runs of this plot's definitions)
    const spec = doc?.plots[p.index];
    const keys = spec ? spec.runs.filter((k) => doc!.runs[k]) : [];
    const entries: [string, RunResult][] = keys.length
      ? keys.map((k) => [k, doc!.runs[k]!])
      : doc ? p.deps.flatMap((n) => runsOfDef(doc, n)) : [];
    add(p.range, summarize(entries, times));
  }
  return out;
}

/** The results part of the hover on a run definition's name (where defined or used), or null. */
export function resultsHover(a: lang.Analysis, name: string, doc: ResultsDoc | null, times: WallTimes): string | null {
  const d = a.program.definitions.find((x) => x.name === name);
  if (!d || d.category !== 'run' || !doc) return null;
  return runHover(doc, name, times);
}

/** The inlay hints without the cost estimates of runs that have results (their lens tells the time taken). */
export function notRunYet<H extends { cost?: string }>(hints: H[], doc: ResultsDoc | null): H[] {
  return doc ? hints.filter((h) => !h.cost || !runsOfDef(doc, h.cost).some(([, r]) => r.status === 'done' || r.status === 'diverged')) : hints;
}

export function registerResultsFeatures(connection: Connection, analysisOf: (uri: string) => lang.Analysis | null, lookup: () => ResultsLookup | null): void {
  connection.onCodeLens((p) => {
    const a = analysisOf(p.textDocument.uri);
    if (!a) return [];
    const l = lookup();
    return codeLenses(p.textDocument.uri, a, l?.results(p.textDocument.uri)?.doc ?? null, l?.times(p.textDocument.uri) ?? new Map());
  });
}

/** Which refresh requests the client supports (its workspace capabilities). */
export interface RefreshSupport {
  codeLens: boolean;
  inlayHint: boolean;
}

/**
 * Asks the client to re-request lenses (and inlay hints) after results arrive: at once for a
 * final message, else at most every `everyMs` while runs stream (each refresh re-asks for every
 * visible document's lenses).
 */
export function lensRefresher(connection: Connection, support: RefreshSupport = { codeLens: true, inlayHint: true }, everyMs = 1000): (final: boolean) => void {
  let timer: ReturnType<typeof setTimeout> | null = null;
  const ignore = () => {};
  const send = () => {
    timer = null;
    if (support.codeLens) void connection.sendRequest('workspace/codeLens/refresh').catch(ignore);
    // the cost hints of runs that now have results go; claims get their verdicts
    if (support.inlayHint) void connection.sendRequest('workspace/inlayHint/refresh').catch(ignore);
  };
  return (final) => {
    if (final) {
      if (timer) clearTimeout(timer);
      send();
    } else if (!timer) timer = setTimeout(send, everyMs);
  };
}
