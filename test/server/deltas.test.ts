// Partial results as deltas (src/core/wire/append.ts): the language server sends a run's records
// once; the receiver completes each partial message from the previous one.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Methods } from '../../src/core/protocol';
import { appendRun, applyAppend, makeAppend, tailOf } from '../../src/core/wire/append';
import type { ResultsDoc, RunResult } from '../../src/core/wire/results';
import { validateToWebview } from '../../src/core/wire/webviewMessages';
import { bundleServer, startServer, waitFor } from './serverProcess';

const run = (steps: number[], status: RunResult['status'] = 'running'): RunResult => ({
  status, message: null, model: 'linear2', optimizer: 'gd', params: {}, member: null, theory: {},
  step: steps, time: steps.map((s) => s / 10), metrics: { loss: steps.map((s) => 1 / (1 + s)), sv: steps.map((s) => [s, 1]) },
});
const doc = (runs: Record<string, RunResult>): ResultsDoc => ({ format: 'sgdexp-results', version: 1, file: 'f', seed: 0, runs, plots: [] });

describe('append.ts', () => {
  it('a delta of a grown trajectory completes to the whole one; other runs go whole', () => {
    const prev = { revision: 7, runs: { a: run([0, 1, 2]), b: run([0, 5]) } };
    const next = doc({ a: run([0, 1, 2, 3, 4]), b: run([0, 6, 7]), c: run([0]) });
    const d = makeAppend(prev, 7, next)!;
    expect(d.append).toEqual({ revision: 7, from: { a: 3 } });
    expect(d.doc.runs.a.step).toEqual([3, 4]);
    expect(d.doc.runs.b).toBe(next.runs.b); // its step 5 is not in the new trajectory: whole
    expect(validateToWebview({ type: 'results', uri: 'u', revision: 7, final: false, doc: d.doc, append: d.append }).ok).toBe(true);
    expect(applyAppend(prev.runs, d.doc, d.append)).toEqual(next);
    // another revision: no delta
    expect(makeAppend(prev, 8, next)).toBeNull();
  });
  it('refuses what does not continue what the receiver holds', () => {
    expect(appendRun(run([0, 1]), tailOf(run([0, 1, 2, 3]), 3), 3)).toMatch(/holds 2 records/);
    expect(appendRun(run([0, 1, 5]), tailOf(run([0, 1, 2, 3]), 3), 3)).toMatch(/do not increase/);
    const other = { ...run([0, 1, 2, 3]), metrics: { loss: [1, 2, 3, 4] } };
    expect(appendRun(run([0, 1, 2]), tailOf(other, 3), 3)).toMatch(/metrics differ/);
    const bad = validateToWebview({ type: 'results', uri: 'u', revision: 7, final: false, doc: doc({ a: run([3]) }), append: { revision: 6, from: { a: 3 } } });
    expect(bad.ok).toBe(false);
    const notSent = validateToWebview({ type: 'results', uri: 'u', revision: 7, final: false, doc: doc({ a: run([3]) }), append: { revision: 7, from: { b: 3 } } });
    expect(notSent.ok).toBe(false);
  });
});

describe('the language server streams deltas', () => {
  let bundle: Awaited<ReturnType<typeof bundleServer>>;
  beforeAll(async () => {
    bundle = await bundleServer('sgdexp-deltas-');
  }, 60_000);
  afterAll(() => bundle?.cleanup());

  it('partial messages after the first carry only new records, and complete to consistent documents', async () => {
    const s = await startServer(bundle.dir, { runOn: 'manual', workers: 1, cache: false });
    try {
      const uri = 'file:///tmp/deltas.sgdexp';
      const text = `data = teacher(n = 20, p = 4, k = 1)
net  = linear2(width = 6)
gd   = train(net, data, gd(lr = 0.02), steps = 3000000, record = 400)
plot loss(gd)
`;
      await s.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'sgdexp', version: 1, text } });
      const { revision } = (await s.conn.sendRequest(Methods.runNow, { uri })) as { revision: number };
      const fin = await waitFor(() => s.results.find((m) => m.uri === uri && m.final && m.revision === revision));
      const wire = s.wire.filter((m) => m.uri === uri && m.revision === revision);
      const deltas = wire.filter((m) => m.append);
      expect(deltas.length).toBeGreaterThan(0);
      expect(wire.at(-1)!.append).toBeUndefined(); // the final message is whole
      // a delta carries fewer records than the document it completes to
      for (const d of deltas) expect(d.doc.runs.gd.step.length).toBeLessThan(s.results[s.wire.indexOf(d)].doc.runs.gd.step.length);
      // every completed partial is a prefix of the final trajectory
      const full = fin.doc.runs.gd;
      for (const m of s.results.filter((x) => x.uri === uri && x.revision === revision && !x.final)) {
        const r = m.doc.runs.gd;
        expect(r.step).toEqual(full.step.slice(0, r.step.length));
        expect(r.metrics.loss ?? []).toEqual((full.metrics.loss as number[]).slice(0, r.step.length));
      }
      const sent = wire.reduce((a, m) => a + m.doc.runs.gd.step.length, 0);
      const whole = s.results.filter((x) => x.uri === uri && x.revision === revision).reduce((a, m) => a + m.doc.runs.gd.step.length, 0);
      console.log(`${wire.length} messages, ${deltas.length} deltas: ${sent} records sent for ${whole} records received`);
    } finally {
      await s.stop();
    }
  });
});
