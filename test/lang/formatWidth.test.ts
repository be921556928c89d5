// The formatter's print width (setting sgdexp.format.printWidth) and the calls a user wrapped.
import { describe, expect, it } from 'vitest';
import { format } from '../../src/core/lang';

describe('formatting: print width and wrapped calls', () => {
  it('keeps a call the user wrapped broken, one argument per line, even when it would fit', () => {
    const src = 'r = train(net, data,\n  gd(lr = 0.1), steps = 10)\n';
    const out = format(src)!;
    expect(out).toBe('r = train(\n  net,\n  data,\n  gd(lr = 0.1),\n  steps = 10\n)\n');
    expect(format(out)).toBe(out);
  });
  it('still lays out a call written on one line on one line', () => {
    expect(format('r = train(net,data, gd(lr=0.1), steps=10)\n')).toBe('r = train(net, data, gd(lr = 0.1), steps = 10)\n');
  });
  it('breaks at the print width given', () => {
    const src = 'run = train(net, data, label_noise(lr = 0.01, delta = 2), steps = 4000, record = 50)\n'; // 86 columns
    expect(format(src)).toBe(src);
    expect(format(src, undefined, { printWidth: 60 })).toBe(
      'run = train(\n  net,\n  data,\n  label_noise(lr = 0.01, delta = 2),\n  steps = 4000,\n  record = 50\n)\n',
    );
    const long = 'run = train(net, data, label_noise(lr = 0.01, delta = 2), steps = 4000, record = 50, seed = [1, 2, 3])\n'; // 104
    expect(format(long)).not.toBe(long);
    expect(format(long, undefined, { printWidth: 120 })).toBe(long);
  });
  it('aligns `=` only over one-line definitions, so a wrapped one ends the block', () => {
    const src = 'a = 1\nbb = 2\nr = train(net,\n  data)\nccc = 3\n';
    expect(format(src)).toBe('a  = 1\nbb = 2\nr = train(\n  net,\n  data\n)\nccc = 3\n');
  });
});
