// Claims are evaluated on the final results document: adding or editing one executes no run and
// no plot (the engine's execution log), a claim's runs are demanded even when no plot draws them,
// and a failed claim is a runtime diagnostic at the comparison.
import { afterEach, describe, expect, it } from 'vitest';
import { Engine } from '../../src/core/graph/engine';
import { check } from '../../src/core/lang/checker';
import type { Diagnostic } from '../../src/core/program';
import { fakeRunner } from './helpers';

const URI = 'file:///claims.sgdexp';
const BASE = 'data = teacher(n = 10, p = 3)\nnet = linear2(width = 4)\nr = train(net, data, gd(lr = 0.05), steps = 100, record = 20)\nplot loss(r)\n';
let engine: Engine;
afterEach(async () => engine?.dispose());

async function settle(e: Engine, text: string) {
  const rev = e.update(URI, check(text).program);
  return (await e.whenFinal(URI, rev)).doc;
}

describe('claims in the reactive graph', () => {
  it('evaluating and editing claims executes nothing', async () => {
    const e = (engine = new Engine({ workers: 0, inline: fakeRunner, emitIntervalMs: 0 }));
    await settle(e, BASE);
    expect(e.log.filter((x) => x.event === 'executed').map((x) => x.node)).toEqual(['r', 'plot#0']);
    e.clearLog();
    const doc = await settle(e, BASE + 'expect final(loss, r) < 2\nexpect max(loss, r) > 100\n');
    expect(doc.claims!.map((c) => c.status)).toEqual(['held', 'failed']);
    expect(e.log.filter((x) => x.event === 'executed')).toEqual([]);
    e.clearLog();
    const edited = await settle(e, BASE + 'expect final(loss, r) > 1e9\n');
    expect(edited.claims!.map((c) => c.status)).toEqual(['failed']);
    expect(e.log.filter((x) => x.event === 'executed')).toEqual([]);
  });

  it("a claim's runs are computed even when no plot draws them; failed claims become diagnostics", async () => {
    const e = (engine = new Engine({ workers: 0, inline: fakeRunner, emitIntervalMs: 0 }));
    const published: Diagnostic[][] = [];
    e.on('diagnostics', (d) => published.push(d.diagnostics));
    const text = BASE + 'other = train(net, data, gd(lr = 0.01), steps = 50, record = 20)\nexpect final(loss, other) > 100\n';
    const doc = await settle(e, text);
    expect(doc.runs.other.status).toBe('done');
    expect(doc.claims![0].status).toBe('failed');
    const last = published[published.length - 1];
    const d = last.find((x) => x.code === 'claim-failed')!;
    expect(d.severity).toBe('warning');
    // at the comparison (line 6, after `expect `)
    expect(d.range.start).toEqual({ line: 5, character: 7 });
    expect(d.message).toMatch(/^✗ the claim does not hold: final\(loss, other\) = [\d.]+ > 100$/);
  });
});
