// Edits of real `.sgdexp` text, checked by the real checker (src/core/lang) and computed by the
// real stepping core in worker threads: the execution log says exactly what each edit recomputed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkText } from '../../src/core/lang/index';
import { Engine, type ExecEvent } from '../../src/core/graph/engine';
import { hashRunValue } from '../../src/core/graph/hash';
import type { ResultsDoc } from '../../src/core/results';
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

// An offshoot continues from its parent's final weights; label noise makes it draw from its own
// noise stream (the next generation of its seed), so a wrong stream or start would show.
const chain = (o: { record?: string; seed?: string; lr?: string; coolSteps?: string; cold?: boolean; test?: string } = {}) => `seed = 1
data = teacher(n = 30, p = 4, k = 1)
net  = linear2(width = 6, init = gaussian(scale = 0.5))
warm = train(net, ${o.test ? `teacher(n = 30, p = 4, k = 1, test = ${o.test})` : 'data'}, gd(lr = ${o.lr ?? '0.02'}), steps = 300, record = ${o.record ?? '100'}${o.seed ? `, seed = ${o.seed}` : ''})
cool = train(warm, data, label_noise(lr = 0.01, delta = 1), steps = ${o.coolSteps ?? '300'}, record = 100)
${o.cold ? 'cold = train(cool, data, gd(lr = 0.01), steps = 200, record = 50)\n' : ''}
plot loss(warm)
plot loss(cool${o.cold ? ', cold' : ''})
`;

/** every recorded double of every run, bit for bit */
const fingerprint = (d: ResultsDoc) =>
  Object.fromEntries(Object.entries(d.runs).map(([id, r]) => [id, [r.status, r.step.length, hashRunValue({ ...r, theory: r.theory })]]));

async function fresh(text: string): Promise<ResultsDoc> {
  const e = new Engine({ workers: 1, workerScript: worker.file });
  try {
    return await e.run('file:///fresh.sgdexp', checkText(text));
  } finally {
    await e.dispose();
  }
}

/** like edit(), for a sequence of texts; returns the events and document of the last one */
async function edits(...texts: string[]): Promise<{ events: ExecEvent[]; doc: ResultsDoc }> {
  const u = `file:///chain${++uri}.sgdexp`;
  let from = 0;
  let doc: ResultsDoc | null = null;
  for (const t of texts) {
    const p = checkText(t);
    expect(p.ok).toBe(true);
    from = engine.log.length;
    const m = await engine.whenFinal(u, engine.update(u, p));
    expect(Object.values(m.doc.runs).every((r) => r.status === 'done')).toBe(true);
    doc = m.doc;
  }
  return { events: engine.log.slice(from).filter((e) => e.uri === u), doc: doc! };
}
const names = (evs: ExecEvent[]) => evs.map((e) => `${e.node}:${e.event}`).sort();

describe('an offshoot is keyed by its parent\'s final state, not its parent\'s spec', () => {
  // (this one held before the offshoot was keyed by state: the core's spec key leaves out every record count)
  it('a denser parent trajectory (record 100 → 400) re-executes the parent only: the offshoot is reused', async () => {
    const { events, doc } = await edits(chain(), chain({ record: '400' }));
    expect(names(events)).toEqual(['cool:reused', 'plot#0:executed', 'plot#1:reused', 'warm:executed']);
    expect(doc.runs.warm.step.length).toBeGreaterThan(300);
    expect(fingerprint(doc)).toEqual(fingerprint(await fresh(chain({ record: '400' }))));
  });

  it('a parent seed full-batch GD never draws from: the parent is backdated, its offshoots (and theirs) reused', async () => {
    const { events, doc } = await edits(chain({ cold: true }), chain({ cold: true, seed: '5' }));
    expect(names(events)).toEqual(['cold:reused', 'cool:reused', 'plot#0:reused', 'plot#1:reused', 'warm:backdated']);
    expect(fingerprint(doc)).toEqual(fingerprint(await fresh(chain({ cold: true, seed: '5' }))));
  });

  it('a parent evaluated on a smaller test set (its training data and weights unchanged): the offshoot is reused', async () => {
    const { events, doc } = await edits(chain({ test: '1000' }), chain({ test: '200' }));
    expect(names(events)).toEqual(['cool:reused', 'plot#0:executed', 'plot#1:reused', 'warm:executed']);
    expect(doc.runs.warm.metrics.test_loss).not.toEqual((await fresh(chain({ test: '1000' }))).runs.warm.metrics.test_loss);
    expect(fingerprint(doc)).toEqual(fingerprint(await fresh(chain({ test: '200' }))));
  });

  it('a parent edit that changes its final state re-executes the offshoot', async () => {
    const { events, doc } = await edits(chain(), chain({ lr: '0.03' }));
    expect(names(events)).toEqual(['cool:executed', 'plot#0:executed', 'plot#1:executed', 'warm:executed']);
    expect(fingerprint(doc)).toEqual(fingerprint(await fresh(chain({ lr: '0.03' }))));
  });

  it('an offshoot reused under an edited parent still resumes when its steps grow, bit-identically', async () => {
    // the reused offshoot's checkpoint was made under the parent's old seed: the engine vouches for it
    const { events, doc } = await edits(chain(), chain({ seed: '5' }), chain({ seed: '5', coolSteps: '600' }));
    expect(names(events.filter((e) => e.kind === 'run'))).toEqual(['cool:executed', 'warm:reused']);
    expect(events.find((e) => e.node === 'cool')).toMatchObject({ fromStep: 300, steps: 300 });
    expect(fingerprint(doc)).toEqual(fingerprint(await fresh(chain({ seed: '5', coolSteps: '600' }))));
  });

  it('after a restart the disk cache serves the offshoot of an edited parent under its new key', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sgdexp-offshoot-'));
    try {
      const e1 = new Engine({ workers: 1, workerScript: worker.file, cacheDir: dir });
      await e1.run('file:///disk.sgdexp', checkText(chain()));
      await e1.dispose();
      const e2 = new Engine({ workers: 1, workerScript: worker.file, cacheDir: dir });
      try {
        // the edited parent is not on disk: it is stepped again (and found equal)
        const doc = await e2.run('file:///disk.sgdexp', checkText(chain({ seed: '5' })));
        const ev = e2.log.filter((e) => e.kind === 'run').map((e) => `${e.node}:${e.event}:${e.source ?? ''}`).sort();
        expect(ev).toEqual(['cool:reused:disk', 'warm:executed:']);
        expect(fingerprint(doc)).toEqual(fingerprint(await fresh(chain({ seed: '5' }))));
      } finally {
        await e2.dispose();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
