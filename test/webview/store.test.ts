// The preview's state machine (webview/store.ts) on messages that reuse runs of the previous one
// (protocol.ts, RunReuse), and the validator's and sameJson's part in it.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PreviewStore, type ResultsIn } from '../../webview/store';
import { sameJson } from '../../src/core/sameJson';
import { tailOf } from '../../src/core/wire/append';
import { normalizeDoc, validateToWebview } from '../../src/core/wire/webviewMessages';
import type { ResultsDoc, RunResult } from '../../src/core/results';

const FIG1 = normalizeDoc(JSON.parse(readFileSync(join(__dirname, 'fixtures', 'fig1.json'), 'utf8')) as ResultsDoc);
const URI = 'file:///f.sgdexp';
const msg = (revision: number, doc: ResultsDoc, extra: Partial<ResultsIn> = {}): ResultsIn => ({ uri: URI, revision, final: true, doc, ...extra });

describe('partial results sent as deltas (append.ts)', () => {
  it('append to the runs of the previous message of the revision; a gap asks for the whole', () => {
    const s = new PreviewStore();
    const gd = FIG1.runs.gd!;
    const cut = (n: number, from = 0): RunResult => tailOf({ ...gd, step: gd.step.slice(0, n), time: gd.time.slice(0, n), metrics: Object.fromEntries(Object.entries(gd.metrics).map(([k, v]) => [k, v.slice(0, n)])) as RunResult['metrics'], status: 'running' }, from);
    expect(s.applyResults(msg(5, { ...FIG1, runs: { gd: cut(10), ln: FIG1.runs.ln } }, { final: false }))).toBe('applied');
    const d = { ...FIG1, runs: { gd: cut(25, 10) } };
    const wire = { type: 'results', ...msg(5, d, { final: false, append: { revision: 5, from: { gd: 10 } }, reuse: { revision: 5, runs: ['ln'], order: ['gd', 'ln'] } }) };
    expect(validateToWebview(wire).ok).toBe(true);
    expect(s.applyResults(msg(5, d, { final: false, append: { revision: 5, from: { gd: 10 } }, reuse: { revision: 5, runs: ['ln'], order: ['gd', 'ln'] } }))).toBe('applied');
    expect(s.doc!.runs.gd!.step).toEqual(gd.step.slice(0, 25));
    expect(s.doc!.runs.gd!.metrics.loss).toEqual((gd.metrics.loss as number[]).slice(0, 25));
    expect(s.doc!.runs.ln).toBe(FIG1.runs.ln);
    // a delta from 30 records while the page holds 25 (a message lost): the whole is asked for
    expect(s.applyResults(msg(5, { ...FIG1, runs: { gd: cut(40, 30), ln: FIG1.runs.ln } }, { final: false, append: { revision: 5, from: { gd: 30 } } }))).toBe('need-full');
    expect(s.doc!.runs.gd!.step.length).toBe(25);
  });
});

describe('results that reuse runs', () => {
  it('are completed from the runs of the previous message, in document order', () => {
    const s = new PreviewStore();
    expect(s.applyResults(msg(1, FIG1))).toBe('applied');
    const plots = FIG1.plots.slice(0, 1);
    expect(s.applyResults(msg(2, { ...FIG1, runs: {}, plots }, { reuse: { revision: 1, runs: ['ln', 'gd'], order: ['gd', 'ln'] } }))).toBe('applied');
    expect(Object.keys(s.doc!.runs)).toEqual(['gd', 'ln']);
    expect(s.doc!.runs.gd).toBe(FIG1.runs.gd);
    expect(s.doc!.plots).toEqual(plots);
    expect(s.staleRuns()).toEqual([]);
    // the next one may reuse runs of revision 2 (themselves reused from 1)
    const gd = { ...FIG1.runs.gd!, message: 'new' };
    expect(s.applyResults(msg(3, { ...FIG1, runs: { gd } }, { reuse: { revision: 2, runs: ['ln'], order: ['gd', 'ln'] } }))).toBe('applied');
    expect(s.doc!.runs.gd!.message).toBe('new');
    expect(s.doc!.runs.ln).toBe(FIG1.runs.ln);
  });

  it('need the whole document when the base is not the last message applied, and change nothing', () => {
    const s = new PreviewStore();
    s.applyResults(msg(1, FIG1));
    s.applyResults(msg(2, FIG1));
    const stale = msg(3, { ...FIG1, runs: {} }, { reuse: { revision: 1, runs: ['gd', 'ln'], order: ['gd', 'ln'] } });
    expect(s.applyResults(stale)).toBe('need-full');
    expect(s.revision).toBe(2);
    // revision 3 is still welcome in whole (need-full did not count it as seen)
    expect(s.applyResults(msg(3, FIG1))).toBe('applied');
    // a page restored from saved state holds no message to reuse
    const r = new PreviewStore();
    r.restore({ results: { ...msg(3, FIG1), staleRuns: [] } });
    expect(r.applyResults(msg(4, { ...FIG1, runs: {} }, { reuse: { revision: 3, runs: ['gd', 'ln'], order: ['gd', 'ln'] } }))).toBe('need-full');
    // older revisions are dropped as before, reuse or not
    expect(s.applyResults(msg(1, { ...FIG1, runs: {} }, { reuse: { revision: 0, runs: ['gd', 'ln'], order: ['gd', 'ln'] } }))).toBe('dropped-old-revision');
  });

  it('are validated: left-out runs must be in order and not also sent', () => {
    const base = { type: 'results', uri: URI, revision: 2, final: true };
    const ok = validateToWebview({ ...base, doc: { ...FIG1, runs: { gd: FIG1.runs.gd } }, reuse: { revision: 1, runs: ['ln'], order: ['gd', 'ln'] } });
    expect(ok.ok).toBe(true);
    const bad = (reuse: unknown, runs: object = { gd: FIG1.runs.gd }) => {
      const v = validateToWebview({ ...base, doc: { ...FIG1, runs }, reuse });
      return v.ok ? 'ok' : v.error;
    };
    expect(bad({ revision: 1, runs: ['gd'], order: ['gd', 'ln'] })).toMatch(/"gd" is also sent/);
    expect(bad({ revision: 1, runs: ['ln'], order: ['ln'] })).toMatch(/order: misses "gd"/);
    expect(bad({ revision: 1, runs: ['ln'], order: ['gd', 'ln', 'x'] })).toMatch(/neither sent nor reused/);
    expect(bad({ revision: 1, runs: ['ln'], order: ['gd', 'ln', 'ln'] })).toMatch(/twice/);
    expect(bad({ revision: -1, runs: ['ln'], order: ['gd', 'ln'] })).toMatch(/revision/);
    expect(bad({ revision: 1, runs: [3], order: ['gd', 'ln'] })).toMatch(/runs\[0\]/);
  });
});

describe('sameJson', () => {
  it('is exact structural equality of JSON values', () => {
    const a = JSON.parse(JSON.stringify(FIG1.runs.gd));
    expect(sameJson(a, FIG1.runs.gd)).toBe(true);
    const b = JSON.parse(JSON.stringify(FIG1.runs.gd));
    (b.metrics.logdet as number[])[500] += 1e-12;
    expect(sameJson(b, FIG1.runs.gd)).toBe(false);
    const c = JSON.parse(JSON.stringify(FIG1.runs.gd));
    (c.metrics.sv_W1 as number[][])[10][2] = null as unknown as number;
    expect(sameJson(c, FIG1.runs.gd)).toBe(false);
    expect(sameJson({ a: 1, b: [1, 2] }, { b: [1, 2], a: 1 })).toBe(true);
    expect(sameJson({ a: 1 }, { a: 1, b: undefined })).toBe(false);
    expect(sameJson([1, [2]], [1, [2, 3]])).toBe(false);
    expect(sameJson([], {})).toBe(false);
    expect(sameJson(null, {})).toBe(false);
    expect(sameJson('1', 1)).toBe(false);
  });
});

describe('the revision count the header shows', () => {
  it('counts the revisions this page has shown, whatever the server numbers them', () => {
    const s = new PreviewStore();
    const big = 60_458_025_013; // a server's first revision of a file (ms since 2025: monotone across restarts)
    s.applyResults({ ...msg(big, FIG1), final: false });
    s.applyResults(msg(big, FIG1)); // the same revision, final
    expect(s.shown).toBe(1);
    s.applyResults(msg(big + 1, FIG1));
    expect(s.shown).toBe(2);
    s.applyResults(msg(big - 5, FIG1)); // dropped: counts nothing
    expect(s.shown).toBe(2);
    s.applyResults({ ...msg(7, FIG1), uri: 'file:///other.sgdexp' });
    expect(s.shown).toBe(1); // another file starts again
  });
});

describe('what the user has seen is kept', () => {
  const cut = (r: RunResult, n: number, status: RunResult['status']): RunResult => ({
    ...r, status, step: r.step.slice(0, n), time: r.time.slice(0, n),
    metrics: Object.fromEntries(Object.entries(r.metrics).map(([k, v]) => [k, v.slice(0, n)])) as RunResult['metrics'],
  });

  it('a cancel that ends a run with no trajectory keeps the partial curve it streamed, labelled', () => {
    const s = new PreviewStore();
    s.applyResults(msg(1, FIG1));
    const partial = { ...FIG1, runs: { gd: FIG1.runs.gd!, ln: { ...cut(FIG1.runs.ln!, 40, 'running'), progress: { step: 13_400_000, steps: 20_000_000 } } } };
    s.applyResults({ ...msg(2, partial), final: false });
    // the server's final message after a cancel: the run cancelled, its partial dropped
    s.applyResults(msg(2, { ...FIG1, runs: { gd: FIG1.runs.gd!, ln: { ...cut(FIG1.runs.ln!, 0, 'cancelled'), message: 'cancelled', progress: null } } }));
    expect(s.doc!.runs.ln!.step).toHaveLength(40);
    expect(s.doc!.runs.ln!.status).toBe('cancelled');
    expect(s.labels.get('ln')).toBe('cancelled at step 13.4M');
    expect(s.staleRuns()).toEqual(['ln']);
    expect(s.headline().state).toBe('cancelled');
  });

  it('a run a typo dropped comes back faded when the status names its failed definition', () => {
    const s = new PreviewStore();
    s.applyResults(msg(1, FIG1));
    const typo = { ...FIG1, runs: { gd: FIG1.runs.gd! }, plots: FIG1.plots.map((p) => ({ ...p, runs: ['gd'] })) };
    s.applyResults(msg(2, typo));
    // results come first: without a reason the run is gone, as a deleted one would be
    expect(Object.keys(s.doc!.runs)).toEqual(['gd']);
    s.applyStatus({ uri: URI, revision: 2, nodes: [{ id: 'ln', kind: 'run', state: 'failed', deps: [], message: "unknown parameter 'deltaa'" }] });
    expect(Object.keys(s.doc!.runs)).toEqual(['gd', 'ln']);
    expect(s.doc!.runs.ln!.step).toEqual(FIG1.runs.ln!.step);
    expect(s.doc!.plots.every((p) => p.runs.includes('ln'))).toBe(true);
    expect(s.labels.get('ln')).toBe("stale — unknown parameter 'deltaa'");
    expect(s.headline()).toEqual({ state: 'error', detail: "error in ln: unknown parameter 'deltaa'" });
    // fixed: the new revision's data replaces it
    s.applyResults(msg(3, FIG1));
    expect(s.staleRuns()).toEqual([]);
    expect(s.headline().state).toBe('up to date');
    // deleted from a clean file: gone
    s.applyResults(msg(4, typo));
    expect(Object.keys(s.doc!.runs)).toEqual(['gd']);
  });

  it('a failed run without data keeps the curve of the previous revision; a longer new one replaces it', () => {
    const s = new PreviewStore();
    s.applyResults(msg(1, FIG1));
    s.applyResults(msg(2, { ...FIG1, runs: { gd: FIG1.runs.gd!, ln: { ...cut(FIG1.runs.ln!, 0, 'error'), message: 'data has NaN in row 3' } } }));
    expect(s.doc!.runs.ln!.step).toHaveLength(FIG1.runs.ln!.step.length);
    expect(s.labels.get('ln')).toBe('failed — data has NaN in row 3');
    s.applyResults({ ...msg(3, { ...FIG1, runs: { gd: FIG1.runs.gd!, ln: cut(FIG1.runs.ln!, 5, 'running') } }), final: false });
    expect(s.doc!.runs.ln!.step).toHaveLength(5);
    expect(s.labels.has('ln')).toBe(false);
  });

  it('saved state keeps the labels', () => {
    const s = new PreviewStore();
    s.applyResults(msg(1, FIG1));
    s.applyResults(msg(2, { ...FIG1, runs: { gd: FIG1.runs.gd!, ln: { ...cut(FIG1.runs.ln!, 0, 'error'), message: 'boom' } } }));
    const t = new PreviewStore();
    t.restore(JSON.parse(JSON.stringify(s.snapshot())));
    expect(t.staleRuns()).toEqual(['ln']);
    expect(t.labels.get('ln')).toBe('failed — boom');
  });
});

describe('thinned partial results, then the final document', () => {
  // the engine streams a run of 24 001 records thinned to the point budget (partialBudget.ts); the
  // page receives them as the preview posts them (deltas against the last message it posted)
  async function stream(cancelAfterFirst: boolean) {
    const { Engine } = await import('../../src/core/graph/engine');
    const { makeAppend } = await import('../../src/core/wire/append');
    const { call, fakeRunner, num, program, ref } = await import('../graph/helpers');
    const steps = 24_000;
    const p = program({
      defs: [
        ['data', 'data', call('teacher', { n: num(10), p: num(3) })],
        ['net', 'model', call('linear2', { width: num(4) })],
        ['gd', 'run', call('train', { model: ref('net'), data: ref('data'), optimizer: call('gd', { lr: num(1e-5) }), steps: num(steps), record: num(steps + 1) })],
      ],
      plots: [['loss', [ref('gd')]]],
    });
    // after each reported block of 6000 steps the run waits until the page got a partial message
    // with it: on a loaded machine the run could otherwise end before any partial was emitted
    let partialSeen: (() => void) | null = null;
    const e = new Engine({
      workers: 0,
      emitIntervalMs: 0,
      inline: (req, signal, onProgress) =>
        fakeRunner(req, signal, (x) => {
          if (x.step % 6000 !== 0) return;
          const seen = new Promise<void>((r) => (partialSeen = r));
          onProgress(x);
          return seen;
        }),
    });
    const s = new PreviewStore();
    let sent: { revision: number; runs: Record<string, RunResult> } | null = null;
    const sizes: number[] = [];
    e.on('results', (m) => {
      if (!m.final && (m.doc.runs.gd?.step.length ?? 0) > 1) partialSeen?.();
      const d = makeAppend(sent, m.revision, m.doc);
      sent = { revision: m.revision, runs: m.doc.runs };
      expect(s.applyResults({ uri: m.uri, revision: m.revision, final: m.final, doc: d ? d.doc : m.doc, ...(d ? { append: d.append } : {}) })).toBe('applied');
      if (!m.final) sizes.push(s.doc!.runs.gd!.step.length);
      if (cancelAfterFirst && !m.final && m.doc.runs.gd!.step.length > 0) queueMicrotask(() => e.cancel(URI));
    });
    try {
      const rev = e.update(URI, p);
      const fin = await e.whenFinal(URI, rev);
      return { s, fin, sizes };
    } finally {
      await e.dispose();
    }
  }

  it('the page holds at most the budget while streaming, and exactly the final curves at the end', async () => {
    const { PARTIAL_RECORDS } = await import('../../src/core/wire/partialBudget');
    for (const cancel of [false, true]) {
      const { s, fin, sizes } = await stream(cancel);
      expect(sizes.some((n) => n > 1)).toBe(true);
      for (const n of sizes) expect(n).toBeLessThanOrEqual(PARTIAL_RECORDS);
      expect(fin.doc.runs.gd!.status).toBe(cancel ? 'cancelled' : 'done');
      expect(fin.doc.runs.gd!.step.length).toBeGreaterThan(PARTIAL_RECORDS);
      const shown = s.doc!.runs.gd!;
      expect(shown.step).toEqual(fin.doc.runs.gd!.step);
      expect(shown.metrics).toEqual(fin.doc.runs.gd!.metrics);
      // nothing older is drawn in its place (a cancelled run is labelled so, with its own data)
      expect(s.staleRuns()).toEqual(cancel ? ['gd'] : []);
    }
  });
});

describe('wall times beside the document', () => {
  it('the newest message tells them, also one that reuses runs; saved and restored with the state', () => {
    const s = new PreviewStore();
    expect(s.wallMs).toBeNull();
    s.applyResults(msg(1, FIG1, { wallMs: { gd: 270 } }));
    expect(s.wallMs).toEqual({ gd: 270 });
    s.applyResults(msg(2, { ...FIG1, runs: {} }, { reuse: { revision: 1, runs: ['gd', 'ln'], order: ['gd', 'ln'] }, wallMs: { gd: 300, ln: 12 } }));
    expect(s.wallMs).toEqual({ gd: 300, ln: 12 });
    const saved = JSON.parse(JSON.stringify(s.snapshot()));
    expect(validateToWebview({ ...saved.results, type: 'results' }).ok).toBe(true);
    const r = new PreviewStore();
    r.restore(saved);
    expect(r.wallMs).toEqual({ gd: 300, ln: 12 });
    // a sender that tells none: unknown again
    s.applyResults(msg(3, FIG1));
    expect(s.wallMs).toBeNull();
  });
});
