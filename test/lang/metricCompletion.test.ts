// Completion of a metric ranks those defined for the models the file trains first.
import { describe, expect, it } from 'vitest';
import { checkDocument, complete } from '../../src/core/lang';
import { cursor } from './helpers';

const linear = `data = teacher(n = 40, p = 3, k = 1)
net  = linear2(width = 6)
gd   = train(net, data, gd(lr = 0.02), steps = 400)
`;

function ranked(src: string): { label: string; detail?: string }[] {
  const { text, offset } = cursor(src);
  const items = complete(checkDocument(text).analysis, offset);
  return [...items].sort((x, y) => (x.sortText ?? x.label).localeCompare(y.sortText ?? y.label));
}

describe('metric completion', () => {
  it("after `plot `: the metrics of the file's models first, the others last and saying whom they are for", () => {
    const items = ranked(linear + 'plot |');
    const labels = items.map((i) => i.label);
    const pos = (n: string) => labels.indexOf(n);
    for (const fits of ['loss', 'logdet', 'singular_values', 'final']) for (const misfit of ['gain', 'alignment', 'missing_error'])
      expect(pos(fits), `${fits} before ${misfit}`).toBeLessThan(pos(misfit));
    expect(items.find((i) => i.label === 'gain')!.detail).toContain('for diagonal; this file trains linear2');
    expect(items.find((i) => i.label === 'logdet')!.detail).not.toContain('this file trains');
  });
  it('in the metric slot of final(…), the same order', () => {
    const labels = ranked(linear + 'plot final(|').map((i) => i.label);
    expect(labels.indexOf('logdet')).toBeLessThan(labels.indexOf('gain'));
    expect(labels.indexOf('test_loss')).toBeLessThan(labels.indexOf('alignment'));
  });
  it('with models of two kinds, those for both before those for one', () => {
    const src = linear + 'dnet = diagonal(p = 3)\ndg = train(dnet, data, gd(lr = 0.02), steps = 400)\nplot |';
    const labels = ranked(src).map((i) => i.label);
    expect(labels.indexOf('distance')).toBeLessThan(labels.indexOf('logdet'));
    expect(labels.indexOf('logdet')).toBeLessThan(labels.indexOf('alignment'));
  });
});
