// Source lines ⇄ preview elements, for the navigation between the editor and the preview (both
// ways, by definition rather than by line as the Markdown preview's scroll sync does). The
// extension and the page call the same functions on what they both hold: the newest results
// document and, fresher, the newest node statuses (the status of an edited, unsaved text carries
// the edited text's lines; the document keeps those of the text it was computed from).
import type { NodeStatus } from './wire/protocol';
import type { ResultsDoc, SourceLines } from './wire/results';

export interface NavSources {
  doc: ResultsDoc | null | undefined;
  nodes?: readonly NodeStatus[] | null;
}

/** What the editor's cursor line designates in the preview. */
export interface NavTargets {
  /** indices into doc.plots */
  plots: number[];
  /** run keys of doc.runs */
  runs: string[];
}

const span = (s: { line?: number; endLine?: number } | undefined): SourceLines | null =>
  s?.line != null ? { line: s.line, endLine: s.endLine ?? s.line } : null;

/** The i-th plot node is the i-th plot of the document (both list the plots that lowered, in
 *  order); when an edit added or removed one, the counts differ and the document's lines stand. */
function plotNodes(src: NavSources): NodeStatus[] | null {
  const nodes = src.nodes?.filter((n) => n.kind === 'plot') ?? [];
  return src.doc && nodes.length === src.doc.plots.length ? nodes : null;
}

export function plotSpan(src: NavSources, i: number): SourceLines | null {
  return span(plotNodes(src)?.[i]) ?? span(src.doc?.plots[i]);
}

export function defSpan(src: NavSources, name: string): SourceLines | null {
  return span(src.nodes?.find((n) => n.id === name && n.kind !== 'plot')) ?? span(src.doc?.definitions?.[name]);
}

/** The definition a run key comes from (documents before `def`: the key up to `[`). */
export function runDef(doc: ResultsDoc | null | undefined, key: string): string {
  return doc?.runs[key]?.def ?? key.replace(/\[.*$/, '');
}

/** The line to reveal for a run (its definition's first line), or null when unknown. */
export function runLine(src: NavSources, key: string): number | null {
  return defSpan(src, runDef(src.doc, key))?.line ?? null;
}

const within = (s: SourceLines | null, line: number) => s != null && s.line <= line && line <= s.endLine;

/**
 * A 1-based line → the plot written there, or the runs of the run definition written there and
 * the plots that draw them; null for any other line (a comment, data, a model…).
 */
export function targetsAt(src: NavSources, line: number): NavTargets | null {
  const doc = src.doc;
  if (!doc) return null;
  for (let i = 0; i < doc.plots.length; i++) if (within(plotSpan(src, i), line)) return { plots: [i], runs: [] };
  const defs = new Set<string>();
  for (const key of Object.keys(doc.runs)) defs.add(runDef(doc, key));
  for (const name of defs) {
    if (!within(defSpan(src, name), line)) continue;
    const runs = Object.keys(doc.runs).filter((k) => runDef(doc, k) === name);
    const mine = new Set(runs);
    const plots = doc.plots.flatMap((p, i) => (p.runs.some((k) => mine.has(k)) ? [i] : []));
    return { plots, runs };
  }
  return null;
}
