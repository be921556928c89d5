// The scrub step rule (src/core/lang/scrub.ts): which literal the cursor is on, how it steps,
// and that the literal keeps its format.
import { describe, expect, it } from 'vitest';
import { numberAt, scrubbed, scrubTarget } from '../../src/core/lang/scrub';

const up = (s: string, mode: 'digit' | 'ratio' = 'digit') => scrubbed(s, 1, mode);
const down = (s: string, mode: 'digit' | 'ratio' = 'digit') => scrubbed(s, -1, mode);

describe('numberAt', () => {
  it('finds the literal the cursor is in or touches, and nothing elsewhere', () => {
    const line = 'gd = train(net, data, gd(lr = 0.02), steps = 400) # 7 steps';
    const at = (needle: string, d = 0) => numberAt(line, line.indexOf(needle) + d);
    expect(at('0.02')).toEqual({ start: line.indexOf('0.02'), end: line.indexOf('0.02') + 4, text: '0.02' });
    expect(at('0.02', 4)?.text).toBe('0.02');
    expect(at('400', 1)?.text).toBe('400');
    expect(at('net')).toBeNull();
    expect(at('7 steps')).toBeNull(); // in a comment
    expect(numberAt('x2 = 3', 1)).toBeNull(); // the digit of a name
  });
});

describe('digit steps: one unit of the last significant digit', () => {
  it('steps decimals by their last written digit, keeping the decimals', () => {
    expect(up('0.02')).toBe('0.03');
    expect(down('0.02')).toBe('0.01');
    expect(up('1.5')).toBe('1.6');
    expect(up('0.09')).toBe('0.10');
    expect(up('0.10')).toBe('0.11');
    expect(down('.5')).toBe('.4');
  });
  it('steps integers by their last non-zero digit', () => {
    expect(up('400')).toBe('500');
    expect(down('400')).toBe('300');
    expect(up('9')).toBe('10');
    expect(up('6')).toBe('7');
    expect(up('0')).toBe('1');
  });
  it('goes down from a lone leading 1 by a unit ten times smaller, mirroring the way up', () => {
    expect(down('100')).toBe('90');
    expect(up('90')).toBe('100');
    expect(down('0.01')).toBe('0.009');
    expect(down('1e-3')).toBe('9e-4');
    expect(up('9e-4')).toBe('1e-3');
    expect(down('1')).toBe('0'); // an integer stays an integer
  });
  it('keeps exponent notation, its letter and sign', () => {
    expect(up('2.5e-3')).toBe('2.6e-3');
    expect(up('2E+3')).toBe('3E+3');
    expect(down('-0.5')).toBe('-0.6');
    expect(up('-0.5')).toBe('-0.4');
  });
});

describe('ratio steps: the ladder 1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8 × 10^k', () => {
  it('moves to the next rung above or below', () => {
    expect(up('0.02', 'ratio')).toBe('0.025');
    expect(down('0.02', 'ratio')).toBe('0.015');
    expect(up('0.08', 'ratio')).toBe('0.1');
    expect(down('0.1', 'ratio')).toBe('0.08');
    expect(up('1', 'ratio')).toBe('1.2');
    expect(up('8', 'ratio')).toBe('10');
    expect(up('1e-3', 'ratio')).toBe('1.2e-3');
    expect(down('1e-3', 'ratio')).toBe('8e-4');
    expect(up('0.3', 'ratio')).toBe('0.4'); // 0.3 is a rung, though not exactly in binary
  });
  it('takes a value between rungs to the nearest rung on that side', () => {
    expect(up('0.033', 'ratio')).toBe('0.04');
    expect(down('0.033', 'ratio')).toBe('0.03');
  });
  it('climbs a decade in ten steps and comes back to the same literal', () => {
    let s = '0.01';
    const seen = [s];
    for (let i = 0; i < 10; i++) seen.push((s = up(s, 'ratio')!));
    expect(seen).toEqual(['0.01', '0.012', '0.015', '0.02', '0.025', '0.03', '0.04', '0.05', '0.06', '0.08', '0.1']);
    for (let i = 0; i < 10; i++) s = down(s, 'ratio')!;
    expect(s).toBe('0.01');
  });
});

describe('scrubTarget: the mode follows the parameter', () => {
  const target = (src: string, needle: string) => scrubTarget(src, src.indexOf(needle) + 1);
  it('steps stepsizes and scales by ratio, counts and bounded values by digit', () => {
    const src = 'net = linear2(width = 6, init = gaussian(scale = 1))\ngd = train(net, data, gd(lr = 0.02, momentum = 0.5), steps = 400)\nsch = cosine(0.1, 0.001)\nfam = gd(lr = [0.01, 0.05])\nq = gd(0.07)\n';
    expect(target(src, '0.02')).toMatchObject({ param: 'lr', mode: 'ratio', text: '0.02' });
    expect(target(src, '1))')).toMatchObject({ param: 'scale', mode: 'ratio' });
    expect(target(src, '6,')).toMatchObject({ param: 'width', mode: 'digit' });
    expect(target(src, '0.5')).toMatchObject({ param: 'momentum', mode: 'digit' });
    expect(target(src, '400')).toMatchObject({ param: 'steps', mode: 'digit' });
    expect(target(src, '0.001')).toMatchObject({ mode: 'ratio' });
    expect(target(src, '0.05]')).toMatchObject({ param: 'lr', mode: 'ratio' });
    expect(target(src, '0.07')).toMatchObject({ param: 'lr', mode: 'ratio' });
    expect(target(src, 'net')).toBeNull();
  });
  it('follows a call over line breaks, and stops at the end of a statement', () => {
    const src = 'gd = train(net, data,\n  gd(lr = 0.5),\n  steps = 400)\nexpect final(loss, gd) < 0.1\n';
    expect(target(src, '0.5')).toMatchObject({ param: 'lr' });
    expect(target(src, '0.1\n')).toMatchObject({ param: null, mode: 'digit' });
  });
});
