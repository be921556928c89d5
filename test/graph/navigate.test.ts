// Where things are written, as the engine reports it (report.ts: plot lines and definitions in the
// results document, lines and labels on node statuses), and what a source line designates in the
// preview (src/core/navigate.ts), for the editor ⇄ preview navigation.
import { describe, expect, it } from 'vitest';
import { checkText } from '../../src/core/lang';
import { numericHooks } from '../../src/core/checkHooks';
import { lowerProgram } from '../../src/core/lower';
import { buildResultsDoc, nodeStatuses } from '../../src/core/graph/report';
import { plotSpan, runLine, targetsAt } from '../../src/core/navigate';
import { validateFromWebview, validateResultsDoc, validateToWebview } from '../../src/core/wire/webviewMessages';

const text = `seed = 1
data = teacher(n = 40, p = 3, k = 1)
net  = linear2(width = 6)

gd = train(net, data, gd(lr = 0.02), steps = 100, record = 50)
sweep = train(net, data,
              gd(lr = [0.01, 0.02]), steps = 100, record = 50)

plot logdet(gd, theory = true, title = "GD alone")
plot loss(sweep,
          y = log)
plot final(loss, sweep)
`;

function report(src = text) {
  const lowered = lowerProgram(checkText(src, numericHooks()));
  const doc = buildResultsDoc(lowered, new Map(), 'x.sgdexp', false);
  // every run as a slot-less document would list none: give the document its runs by hand
  for (const r of lowered.runs) doc.runs[r.id] = { status: 'queued', message: null, model: '', optimizer: '', params: {}, member: r.member, def: r.def, step: [], time: [], metrics: {}, theory: {} };
  for (const [i, p] of lowered.plots.entries()) doc.plots[i]!.runs = p.runIds;
  return { doc, nodes: nodeStatuses(lowered, new Map(), new Set()) };
}

describe('source lines of plots and definitions', () => {
  it('the results document carries each plot statement’s lines and each definition’s, and validates', () => {
    const { doc } = report();
    expect(doc.plots.map((p) => [p.line, p.endLine])).toEqual([[9, 9], [10, 11], [12, 12]]);
    expect(doc.definitions).toMatchObject({ data: { line: 2, endLine: 2 }, gd: { line: 5, endLine: 5 }, sweep: { line: 6, endLine: 7 } });
    expect(validateResultsDoc(doc).ok).toBe(true);
    expect(validateResultsDoc({ ...doc, plots: [{ ...doc.plots[0], line: 0 }] }).ok).toBe(false);
    expect(validateResultsDoc({ ...doc, plots: [{ ...doc.plots[0], line: 3, endLine: 2 }] }).ok).toBe(false);
    expect(validateResultsDoc({ ...doc, definitions: { gd: { line: 'five' } } }).ok).toBe(false);
  });

  it('graph nodes are named as written: definitions by name, plots by title or `plot <metric>`, with their lines', () => {
    const { nodes } = report();
    const plots = nodes.filter((n) => n.kind === 'plot');
    expect(plots.map((n) => [n.id, n.label, n.line, n.endLine])).toEqual([
      ['plot#0', 'GD alone', 9, 9],
      ['plot#1', 'plot loss', 10, 11],
      ['plot#2', 'plot final loss', 12, 12],
    ]);
    expect(nodes.find((n) => n.id === 'sweep')).toMatchObject({ kind: 'run', line: 6, endLine: 7 });
    expect(validateToWebview({ type: 'status', uri: 'u', revision: 1, nodes }).ok).toBe(true);
    expect(validateToWebview({ type: 'status', uri: 'u', revision: 1, nodes: [{ ...nodes[0], label: 3 }] }).ok).toBe(false);
  });

  it('a line designates the plot written there, or a run definition’s members and the plots drawing them', () => {
    const src = report();
    expect(targetsAt(src, 9)).toEqual({ plots: [0], runs: [] });
    expect(targetsAt(src, 11)).toEqual({ plots: [1], runs: [] });
    expect(targetsAt(src, 5)).toEqual({ plots: [0], runs: ['gd'] });
    expect(targetsAt(src, 7)).toEqual({ plots: [1, 2], runs: ['sweep[lr=0.01]', 'sweep[lr=0.02]'] });
    for (const line of [1, 2, 4, 8, 99]) expect(targetsAt(src, line), `line ${line}`).toBeNull();
    expect(runLine(src, 'sweep[lr=0.02]')).toBe(6);
    expect(plotSpan(src, 2)).toEqual({ line: 12, endLine: 12 });
  });

  it('the node statuses of an edited, unsaved text move the lines; the document’s stand without them', () => {
    const { doc } = report();
    const { nodes } = report(`\n\n${text}`);
    expect(targetsAt({ doc, nodes }, 11)).toEqual({ plots: [0], runs: [] });
    expect(runLine({ doc, nodes }, 'gd')).toBe(7);
    expect(targetsAt({ doc }, 9)).toEqual({ plots: [0], runs: [] });
    // a plot added by the edit: the plot nodes no longer match the document's plots one to one
    const added = report(text.replace('plot final', 'plot loss(gd)\nplot final')).nodes;
    expect(plotSpan({ doc, nodes: added }, 2)).toEqual({ line: 12, endLine: 12 });
  });

  it('the webview messages of the navigation are validated', () => {
    expect(validateToWebview({ type: 'highlight', uri: 'u', line: 3, plots: [0, 2], runs: ['gd'] }).ok).toBe(true);
    expect(validateToWebview({ type: 'highlight', uri: 'u', line: 0, plots: [], runs: [] }).ok).toBe(false);
    expect(validateToWebview({ type: 'highlight', uri: 'u', line: 3, plots: ['0'], runs: [] }).ok).toBe(false);
    expect(validateFromWebview({ type: 'reveal', uri: 'u', line: 4 }).ok).toBe(true);
    expect(validateFromWebview({ type: 'reveal', uri: 'u', line: 0 }).ok).toBe(false);
    expect(validateFromWebview({ type: 'reveal', line: 4 }).ok).toBe(false);
  });
});
