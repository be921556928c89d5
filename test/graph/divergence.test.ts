// Divergence explained: the checker's stability limit at linear2's initialisation (before the
// run), and the runtime 'diverged' finding saying why, with a quick fix setting lr below the limit.
import { describe, expect, it } from 'vitest';
import { checkDocument, codeActions } from '../../src/core/lang';
import { numericHooks } from '../../src/core/checkHooks';
import { Engine } from '../../src/core/graph/engine';
import type { Diagnostic } from '../../src/core/program';

const text = (lr: string, width = 100, scale = 1) => `seed = 1
data = teacher(n = 100, p = 20, k = 1)
net  = linear2(width = ${width}, init = gaussian(scale = ${scale}))
gd   = train(net, data, gd(lr = ${lr}), steps = 200)
plot loss(gd)
`;
const check = (t: string) => checkDocument(t, numericHooks()).analysis;
const apply = (t: string, a: ReturnType<typeof check>, edit: { range: Diagnostic['range']; newText: string }) =>
  t.slice(0, a.lines.offset(edit.range.start)) + edit.newText + t.slice(a.lines.offset(edit.range.end));

describe('GD stability at initialisation (linear2, Gaussian init)', () => {
  it('warns before the run when lr exceeds 2/λ_max of the loss Hessian at init, and offers a stepsize below it', () => {
    const t = text('0.05');
    const a = check(t);
    const w = a.program.diagnostics.find((d) => d.code === 'unstable-init')!;
    expect(w).toBeDefined();
    expect(w.severity).toBe('warning');
    expect(w.message).toMatch(/2·width·scale²·λ_max\(XᵀX\)/);
    const fix = codeActions(a, w.range)[0];
    expect(fix.title).toMatch(/^Set lr = [\d.]+, below 2\/λ_max ≈ [\d.]+$/);
    const fixed = apply(t, a, fix.edits[0]);
    expect(fixed).toMatch(/gd\(lr = 0\.00\d+\)/);
    expect(check(fixed).program.diagnostics.filter((d) => d.code === 'unstable-init' || d.code === 'unstable-lr')).toEqual([]);
    // a small init is as flat as the linear model: no warning at this lr
    expect(check(text('0.05', 100, 0.01)).program.diagnostics.filter((d) => d.code === 'unstable-init')).toEqual([]);
  });

  it('a diverged run says why and what to try, with a quick fix', async () => {
    const t = text('0.05');
    const a = check(t);
    const e = new Engine({ workers: 0 });
    let diags: Diagnostic[] = [];
    e.on('diagnostics', (d) => (diags = d.diagnostics));
    try {
      const doc = await e.run('file:///div.sgdexp', a.program);
      expect(doc.runs.gd.status).toBe('diverged');
    } finally {
      await e.dispose();
    }
    const d = diags.find((x) => x.code === 'diverged')!;
    expect(d.message).toMatch(/diverged at step \d+ .* — lr = 0\.05 is above GD's stability limit 2\/λ_max ≈ [\d.]+: at initialisation .*Try lr = [\d.]+/);
    const fix = codeActions(a, d.range, diags).find((c) => c.title.startsWith('Set lr'))!;
    expect(fix).toBeDefined();
    const fixed = apply(t, a, fix.edits[0]);
    const e2 = new Engine({ workers: 0 });
    try {
      expect((await e2.run('file:///div.sgdexp', check(fixed).program)).runs.gd.status).toBe('done');
    } finally {
      await e2.dispose();
    }
  });
});
