// Edits of real `.sgdexp` text, checked by the real checker (src/core/lang) and computed by the
// real stepping core in worker threads: the execution log says exactly what each edit recomputed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkText } from '../../src/core/lang/index';
import { Engine, type ExecEvent } from '../../src/core/graph/engine';
import { buildWorker } from './buildWorker';

let worker: Awaited<ReturnType<typeof buildWorker>>;
let engine: Engine;
beforeAll(async () => {
  worker = await buildWorker();
  engine = new Engine({ workers: 2, workerScript: worker.file });
});
afterAll(async () => {
  await engine?.dispose();
  worker?.cleanup();
});

const src = (o: { lr?: string; name?: string; title?: string; comment?: string; seed?: string; reorder?: boolean } = {}) => {
  const gd = o.name ?? 'gd';
  const runs = [
    `${gd}   = train(net, data, gd(lr = ${o.lr ?? '0.02'}), steps = 400, record = 100${o.seed ? `, seed = ${o.seed}` : ''})`,
    `ln   = train(net, data, label_noise(lr = 0.02, delta = 2), steps = 400, record = 100)`,
  ];
  if (o.reorder) runs.reverse();
  return `# ${o.comment ?? 'GD vs label noise'}
seed = 1
data = teacher(n = 30, p = 4, k = 1)
net  = linear2(width = 6, init = gaussian(scale = 0.5))
${runs.join('\n')}

plot logdet(${gd}, ln, theory = true)
plot loss(${gd}, y = log${o.title ? `, title = "${o.title}"` : ''})
plot loss(ln)
`;
};

let uri = 0;
/** a fresh document per test; returns the events of the edit (the second revision) */
async function edit(before: string, after: string): Promise<string[]> {
  const u = `file:///edit${++uri}.sgdexp`;
  const p0 = checkText(before);
  expect(p0.ok).toBe(true);
  await engine.whenFinal(u, engine.update(u, p0));
  const from = engine.log.length;
  const p1 = checkText(after);
  expect(p1.ok).toBe(true);
  const m = await engine.whenFinal(u, engine.update(u, p1));
  expect(m.final).toBe(true);
  expect(Object.values(m.doc.runs).every((r) => r.status === 'done')).toBe(true);
  return engine.log.slice(from).filter((e: ExecEvent) => e.uri === u).map((e) => `${e.node}:${e.event}`).sort();
}

describe('edits of .sgdexp text recompute exactly what changed', () => {
  it('editing one stepsize re-executes that run and the plots drawing it, nothing else', async () => {
    expect(await edit(src(), src({ lr: '0.03' }))).toEqual(['gd:executed', 'ln:reused', 'plot#0:executed', 'plot#1:executed', 'plot#2:reused']);
  });

  it('editing a plot option re-executes no run', async () => {
    expect(await edit(src(), src({ title: 'GD loss' }))).toEqual(['gd:reused', 'ln:reused', 'plot#0:reused', 'plot#1:executed', 'plot#2:reused']);
  });

  it('renaming, re-commenting and reordering execute nothing', async () => {
    const none = ['gd:reused', 'ln:reused', 'plot#0:reused', 'plot#1:reused', 'plot#2:reused'];
    expect(await edit(src(), src({ comment: 'a different comment' }))).toEqual(none);
    expect(await edit(src(), src({ reorder: true }))).toEqual(none);
    expect(await edit(src(), src({ name: 'plain' }))).toEqual(none.map((x) => x.replace('gd:', 'plain:')).sort());
  });

  it('a GD run given another noise seed is re-executed, found equal and backdated: its plots are not redone', async () => {
    expect(await edit(src(), src({ seed: '5' }))).toEqual(['gd:backdated', 'ln:reused', 'plot#0:reused', 'plot#1:reused', 'plot#2:reused']);
  });
});
