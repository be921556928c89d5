// Partial results carry what the page can draw (src/core/wire/partialBudget.ts): however many
// records a run makes between two messages, a partial message holds at most PARTIAL_RECORDS per
// run, its deltas (append.ts) complete to exactly the thinned view, and the final document holds
// every record.
import { afterEach, describe, expect, it } from 'vitest';
import { Engine } from '../../src/core/graph/engine';
import type { ResultsMessage } from '../../src/core/protocol';
import { applyAppend, makeAppend } from '../../src/core/wire/append';
import { PARTIAL_RECORDS, partialStride, partialView } from '../../src/core/wire/partialBudget';
import type { RunResult } from '../../src/core/wire/results';
import { validateToWebview } from '../../src/core/wire/webviewMessages';
import { call, fakeRunner, num, program, ref } from './helpers';

const URI = 'file:///budget.sgdexp';
let engine: Engine | undefined;
afterEach(async () => engine?.dispose());

/** one GD run recording every one of its `steps` steps, and a plot of it */
const everyStep = (steps: number) =>
  program({
    defs: [
      ['data', 'data', call('teacher', { n: num(10), p: num(3) })],
      ['net', 'model', call('linear2', { width: num(4) })],
      ['gd', 'run', call('train', { model: ref('net'), data: ref('data'), optimizer: call('gd', { lr: num(1e-5) }), steps: num(steps), record: num(steps + 1) })],
    ],
    plots: [['loss', [ref('gd')]]],
  });

describe('partial results within the point budget', () => {
  it('a run with many records between flushes streams at most the budget per curve; the final document has every record', async () => {
    const steps = 24_000;
    // the core reports only every 8000 steps: thousands of records arrive between two messages
    // and waits until a partial message carried each report (on a loaded machine the run could
    // otherwise end before any partial was emitted)
    let partialSeen: (() => void) | null = null;
    const e = (engine = new Engine({
      workers: 0,
      emitIntervalMs: 0,
      inline: (req, signal, onProgress) =>
        fakeRunner(req, signal, (p) => {
          if (p.step % 8000 !== 0) return;
          const seen = new Promise<void>((r) => (partialSeen = r));
          onProgress(p);
          return seen;
        }),
    }));
    const msgs: ResultsMessage[] = [];
    e.on('results', (m) => {
      msgs.push(m);
      if (!m.final && (m.doc.runs.gd?.step.length ?? 0) > 1) partialSeen?.();
    });
    const rev = e.update(URI, everyStep(steps));
    const fin = await e.whenFinal(URI, rev);
    const partials = msgs.filter((m) => !m.final && m.doc.runs.gd!.step.length > 0);
    expect(partials.length).toBeGreaterThan(0);
    for (const m of partials) {
      const r = m.doc.runs.gd!;
      expect(r.step.length).toBeLessThanOrEqual(PARTIAL_RECORDS);
      expect((r.metrics.loss as number[]).length).toBe(r.step.length);
    }
    // one of them was thinned, not merely short
    expect(partials.some((m) => m.doc.runs.gd!.step[1]! > 1)).toBe(true);
    expect(fin.doc.runs.gd!.step.length).toBe(steps + 1);
    expect((fin.doc.runs.gd!.metrics.loss as number[]).length).toBe(steps + 1);

    // through the wire as the language server sends it (deltas against the last message sent) and
    // as the client completes it: every message completes to what the engine emitted
    let sent: { revision: number; runs: Record<string, RunResult> } | null = null;
    let held: Record<string, RunResult> = {};
    for (const m of msgs) {
      const d = m.final ? null : makeAppend(sent, m.revision, m.doc);
      sent = { revision: m.revision, runs: m.doc.runs };
      const got = d ? applyAppend(held, d.doc, d.append) : m.doc;
      if (typeof got === 'string') throw new Error(got);
      expect(got.runs).toEqual(m.doc.runs);
      held = got.runs;
    }
    expect(held.gd!.step).toEqual(fin.doc.runs.gd!.step);
  });

  it('thinning keeps deltas exact: a view of more records continues a view of fewer, its coarser stride derived by the receiver', () => {
    const traj = (n: number) => ({ step: Array.from({ length: n }, (_, i) => 3 * i), time: Array.from({ length: n }, (_, i) => i), metrics: { loss: Array.from({ length: n }, (_, i) => 1 / (i + 1)), sv: Array.from({ length: n }, (_, i) => [i, -i]) } });
    const run = (n: number, final = false): RunResult => ({ status: 'running', message: null, model: 'm', optimizer: 'gd', params: {}, member: null, theory: {}, ...(final ? traj(n) : partialView(traj(n), n, 100)) });
    const doc = (r: RunResult) => ({ format: 'sgdexp-results' as const, version: 1 as const, file: 'f', seed: 0, plots: [], runs: { a: r } });
    const sizes = [1, 7, 99, 100, 101, 150, 199, 200, 201, 350, 401, 1000, 1001, 5000];
    for (const [i, n] of sizes.entries()) {
      for (const m of sizes.slice(i)) {
        for (const final of [false, true]) {
          const prev = run(n), next = run(m, final);
          expect(next.step.length).toBeLessThanOrEqual(final ? m : 100);
          const d = makeAppend({ revision: 1, runs: { a: prev } }, 1, doc(next));
          const got = d ? applyAppend({ a: prev }, d.doc, d.append) : doc(next);
          expect(typeof got === 'string' ? got : got.runs.a).toEqual(next);
          if (final) continue;
          // between partial views only the records the receiver cannot derive are sent, unless the
          // coarser view keeps only the first record the receiver holds
          const t = partialStride(m, 100) / partialStride(n, 100);
          if (prev.step.length > 1 && t >= prev.step.length) {
            expect(d).toBeNull();
            continue;
          }
          expect(d, `${n} → ${m}`).not.toBeNull();
          if (prev.step.length > 1) expect(d!.append.thin?.a ?? 1).toBe(t);
          expect(d!.doc.runs.a!.step.length).toBe(next.step.length - Math.ceil(prev.step.length / t));
          expect(validateToWebview({ type: 'results', uri: 'u', revision: 1, final: false, doc: d!.doc, append: d!.append }).ok).toBe(true);
        }
      }
    }
    const bad = (thin: unknown) => validateToWebview({ type: 'results', uri: 'u', revision: 1, final: false, doc: doc(run(5)), append: { revision: 1, from: { a: 3 }, thin } }).ok;
    expect(bad({ a: 3 })).toBe(false);
    expect(bad({ b: 2 })).toBe(false);
    expect(bad({ a: 4 })).toBe(true);
  });
});
