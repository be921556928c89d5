// The results the editor shows: the CodeLens line of a run or a plot, the hover of a run's name.
import { describe, expect, it } from 'vitest';
import { checkDocument } from '../../src/core/lang';
import type { ResultsDoc, RunResult } from '../../src/core/wire/results';
import { fmtNum, RunClock, runHover, sparkline, summarize } from '../../src/server/runSummary';
import { codeLenses, notRunYet, resultsHover } from '../../src/server/resultsFeatures';

const run = (over: Partial<RunResult> = {}): RunResult => ({
  status: 'done', message: null, model: 'linear2', optimizer: 'gd', params: {}, member: null, theory: {},
  step: [0, 4000, 8000], time: [0, 1, 2], metrics: { loss: [1, 1e-10, 3e-29], logdet: [-2, -50, -108.4] }, ...over,
});
const doc = (runs: Record<string, RunResult>): ResultsDoc => ({
  format: 'sgdexp-results', version: 1, file: 'x', seed: 0, runs,
  plots: [{ title: 'loss', kind: 'series', metric: 'loss', runs: Object.keys(runs), x: 'step', y: 'log', theory: false }],
});

describe('run summaries', () => {
  it('one run: steps, wall time, final loss and log det', () => {
    expect(summarize([['gd', run()]], new Map([['gd', 612]]))).toBe('✓ 8000 steps · 0.61 s · loss 3e-29 · log det −108');
    expect(summarize([['gd', run()]])).toBe('✓ 8000 steps · cached · loss 3e-29 · log det −108');
  });
  it('a family: its runs and the spread of their finals; what went wrong first', () => {
    const s = summarize([['f[lr=0.1]', run()], ['f[lr=9]', run({ status: 'diverged', diverged_at: 12, metrics: { loss: [1, 1e30] } })]]);
    expect(s).toBe('⚠ 2 runs (1 diverged) · cached · loss 3e-29 … 1e30 · log det −108');
  });
  it('in flight: progress; never run: says so; cancelled: no repeated word', () => {
    expect(summarize([['gd', run({ status: 'running', progress: { step: 100, steps: 400 } })]])).toBe('⟳ running · 25%');
    expect(summarize([])).toBe('○ not run yet');
    expect(summarize([['gd', run({ status: 'cancelled', message: 'cancelled' })]])).toMatch(/^⏹ cancelled at step 8000/);
  });
  it('numbers and sparklines', () => {
    expect([fmtNum(3e-29), fmtNum(-108.4), fmtNum(0.0123), fmtNum(12345)]).toEqual(['3e-29', '−108', '0.0123', '1.2e4']);
    expect(sparkline([1, 1e-1, 1e-2, 1e-3], 4)).toBe('█▆▃▁');
    expect(sparkline([NaN])).toBe('');
  });
});

describe('wall times from the results stream', () => {
  it('time a run from running to done; a run first seen done is cached', () => {
    let t = 0;
    const c = new RunClock(() => t);
    c.see('u', doc({ a: run({ status: 'running' }), b: run() }));
    t = 250;
    c.see('u', doc({ a: run(), b: run() }));
    expect([...c.times('u')]).toEqual([['a', 250]]);
  });
});

const text = 'data = teacher(n = 40, p = 3, k = 1)\nnet = linear2(width = 6)\ngd = train(net, data, gd(lr = 0.02), steps = 8000)\nplot loss(gd)\n';

describe('CodeLens and hover', () => {
  it('a summary, ▶ Run and ⏹ Cancel above each train and plot line', () => {
    const a = checkDocument(text).analysis;
    const lenses = codeLenses('file:///x.sgdexp', a, doc({ gd: run() }), new Map());
    expect(lenses.map((l) => [l.range.start.line, l.command!.title, l.command!.command])).toEqual([
      [2, '✓ 8000 steps · cached · loss 3e-29 · log det −108', ''],
      [2, '▶ Run', 'sgdexp.runNow'],
      [2, '⏹ Cancel', 'sgdexp.cancel'],
      [3, '✓ 8000 steps · cached · loss 3e-29 · log det −108', ''],
      [3, '▶ Run', 'sgdexp.runNow'],
      [3, '⏹ Cancel', 'sgdexp.cancel'],
    ]);
    expect(lenses[1]!.command!.arguments).toEqual(['file:///x.sgdexp']);
    expect(codeLenses('u', a, null, new Map())[0]!.command!.title).toBe('○ not run yet');
  });
  it("a run name's hover has its final metrics and the loss's sparkline", () => {
    const a = checkDocument(text).analysis;
    const h = resultsHover(a, 'gd', doc({ gd: run() }), new Map())!;
    expect(h).toContain('loss `█▆▁`');
    expect(h).toContain('| logdet | −108 |');
    expect(resultsHover(a, 'net', doc({ gd: run() }), new Map())).toBeNull();
    expect(runHover(doc({}), 'gd')).toBeNull();
  });
});

describe('cost hints', () => {
  it('go once a run has results', () => {
    const hints = [{ label: ' 3 runs' }, { label: ' ≈ 2 s', cost: 'gd' }, { label: ' ≈ 5 s', cost: 'other' }];
    expect(notRunYet(hints, doc({ gd: run() })).map((h) => h.label)).toEqual([' 3 runs', ' ≈ 5 s']);
    expect(notRunYet(hints, doc({ gd: run({ status: 'running' }) })).length).toBe(3);
    expect(notRunYet(hints, null).length).toBe(3);
  });
});
