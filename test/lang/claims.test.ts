// `expect` claims: syntax, checker diagnostics at the offending argument, and every term and
// comparison evaluated (src/core/claims.ts) on hand-made results documents.
import { describe, expect, it } from 'vitest';
import { check } from '../../src/core/lang/checker';
import { format } from '../../src/core/lang/format';
import { evaluateClaims } from '../../src/core/claims';
import type { ResultsDoc, RunResult } from '../../src/core/wire/results';

const HEAD = `data = teacher(n = 20, p = 3)
net = linear2(width = 6)
dnet = diagonal(alpha = 0.1)
sdata = sparse(n = 10, d = 5, s = 2)
a = train(net, data, gd(lr = 0.01), steps = 100)
b = train(net, data, label_noise(lr = 0.01, delta = 1), steps = 100)
fam = train(net, data, gd(lr = [0.01, 0.02]), steps = 100)
fam2 = train(net, data, sgd(lr = [0.01, 0.02]), steps = 100)
dia = train(dnet, sdata, gd(lr = 0.1), steps = 100)
`;

function claimsOf(text: string) {
  const a = check(HEAD + text);
  return { a, claims: a.program.claims ?? [], diags: a.program.diagnostics.filter((d) => d.severity === 'error') };
}
/** the diagnostic messages, each with the source text it underlines */
function errors(text: string): [string, string][] {
  const { a, diags } = claimsOf(text);
  return diags.map((d) => [a.text.slice(a.lines.offset(d.range.start), a.lines.offset(d.range.end)), d.message]);
}

function run(o: Partial<RunResult> & { loss?: number[]; logdet?: number[] }): RunResult {
  const step = o.step ?? [0, 10, 20, 30];
  const metrics: RunResult['metrics'] = { ...(o.metrics ?? {}) };
  if (o.loss) metrics.loss = o.loss;
  if (o.logdet) metrics.logdet = o.logdet;
  return {
    status: 'done', message: null, model: 'linear2', optimizer: 'gd', params: {}, member: null, def: 'a', coords: {},
    step, time: step, theory: {}, ...o, metrics,
  } as RunResult;
}
function doc(runs: Record<string, RunResult>): ResultsDoc {
  return { format: 'sgdexp-results', version: 1, file: 't.sgdexp', seed: 0, runs, plots: [] };
}
function verdicts(text: string, runs: Record<string, RunResult>) {
  const { claims, diags } = claimsOf(text);
  expect(diags.map((d) => d.message)).toEqual([]);
  return evaluateClaims(doc(runs), claims);
}

describe('expect: syntax', () => {
  it('parses every comparison, arithmetic with precedence, unicode and ASCII operators, and formats back', () => {
    const src = [
      'expect final(loss, a) < final(loss, b)',
      'expect final(loss, a) <= 2 * 3 - 1',
      'expect final(loss, a) > -(1 + 2) ÷ 4',
      'expect final(loss, a) >= 1e-6 × 2',
      'expect final(rank, a) == 1',
      'expect slope(logdet, b) ≈ theory(logdet, b) within 8%',
      'expect slope(logdet, b) ~= theory(logdet, b) within 0.01',
      'expect final(loss, a) − 1 < 3',
    ].join('\n');
    const { claims, diags } = claimsOf(src);
    expect(diags).toEqual([]);
    expect(claims.map((c) => c.op)).toEqual(['<', '<=', '>', '>=', '==', '≈', '≈', '<']);
    expect(claims[5].within).toEqual({ value: 0.08, relative: true });
    expect(claims[6].within).toEqual({ value: 0.01, relative: false });
    // 2 * 3 - 1: the product binds tighter
    expect(claims[1].right).toEqual({ kind: 'arith', op: '-', left: { kind: 'arith', op: '*', left: { kind: 'number', value: 2 }, right: { kind: 'number', value: 3 } }, right: { kind: 'number', value: 1 } });
    const f = format(HEAD + src)!;
    expect(f).toContain('expect slope(logdet, b) ≈ theory(logdet, b) within 8%');
    expect(f).toContain('expect final(loss, a) > -(1 + 2) / 4');
    expect(format(f)).toBe(f);
  });

  it('reports a missing comparison, = for ==, a missing tolerance and a misplaced within', () => {
    expect(errors('expect final(loss, a)')).toEqual([['', 'expected a comparison (<, <=, >, >=, ==, or ≈ … within P%) in the claim']]);
    expect(errors('expect final(loss, a) = 1')[0][1]).toBe('a claim compares with ==, not =');
    expect(errors('expect final(loss, a) ≈ 1')).toEqual([['≈', '≈ needs a tolerance: `≈ b within 5%` (relative) or `≈ b within 0.01` (absolute)']]);
    expect(errors('expect final(loss, a) < 1 within 5%')[0][0]).toBe('within');
  });

  it('outside expect the operators are still unexpected characters', () => {
    expect(check('x = 1 + 2').program.diagnostics.map((d) => d.message)).toContain("unexpected character '+'");
  });
});

describe('expect: checker diagnostics at the offending argument', () => {
  it('unknown metric, metric not recorded for the model, theory without a theory, unknown run', () => {
    expect(errors('expect final(los, a) < 1')).toEqual([['los', "'los' is not a metric: did you mean 'loss'?"]]);
    expect(errors('expect final(gain_norm, a) < 1')).toEqual([['a', "gain_norm is defined for diagonal; 'a' trains a linear2 model"]]);
    expect(errors('expect theory(loss, a) < 1')).toEqual([['loss', 'loss has no theory: theory(…) is defined for logdet']]);
    expect(errors('expect final(logdet, dia) < 1')).toEqual([['dia', "logdet is defined for linear2; 'dia' trains a diagonal model"]]);
    expect(errors('expect final(loss, nope) < 1')).toEqual([['nope', "unknown name 'nope'"]]);
    expect(errors('expect final(loss, data) < 1')).toEqual([['data', "a claim reads runs; 'data' is a data set"]]);
    expect(errors('expect final(loss, fam[lr = 0.5]) < 1')[0][0]).toBe('0.5');
  });
  it('unknown terms, a bare metric call, options on the wrong term, a bare name', () => {
    expect(errors('expect finl(loss, a) < 1')).toEqual([['finl', "unknown claim term 'finl': did you mean 'final'?"]]);
    expect(errors('expect loss(a) < 1')[0]).toEqual(['loss', 'a claim reads a metric through a term: final(loss, run), slope(loss, run), max(…), min(…)']);
    expect(errors('expect final(loss, a, from = 3) < 1')[0][0]).toBe('from');
    expect(errors('expect a < 1')[0][0]).toBe('a');
    expect(errors('expect slope(loss, a, from = 10, to = 5) < 1')[0][0]).toBe('5');
  });
});

describe('expect: evaluation on hand-made results', () => {
  const a = run({ loss: [4, 3, NaN, 1], logdet: [10, 9, 8, 7] });
  const b = run({ def: 'b', loss: [5, 6, 2, 3], logdet: [10, 8, 6, 4], theory: { logdet_rate_per_step: -0.2 } });

  it('final (last finite), max, min, slope and arithmetic', () => {
    const v = verdicts(
      [
        'expect final(loss, a) == 1',
        'expect max(loss, b) == 6',
        'expect min(loss, b) == 2',
        'expect slope(logdet, a) ≈ -0.1 within 1e-12',
        'expect slope(logdet, b, from = 10, to = 20) ≈ -0.2 within 1e-12',
        'expect final(loss, a) + 2 * final(loss, b) == 7',
        'expect final(loss, b) / final(loss, a) - 1 == 2',
        'expect final(loss, a) < final(loss, b)',
        'expect final(loss, a) > final(loss, b)',
      ].join('\n'),
      { a, b },
    );
    expect(v.map((x) => x.status)).toEqual(['held', 'held', 'held', 'held', 'held', 'held', 'held', 'held', 'failed']);
    expect(v[8].values).toEqual({ left: 1, right: 3 });
    expect(v[0].line).toBe(10);
  });

  it('the comparisons at their boundaries', () => {
    const v = verdicts(['<', '<=', '>', '>=', '=='].map((op) => `expect final(loss, a) ${op} 1`).join('\n'), { a });
    expect(v.map((x) => x.status)).toEqual(['failed', 'held', 'failed', 'held', 'held']);
  });

  it('≈ within P% is relative to the right side, within X absolute', () => {
    const v = verdicts(
      [
        'expect slope(logdet, b) ≈ theory(logdet, b) within 1%',
        'expect slope(logdet, b) ≈ -0.21 within 5%',
        'expect slope(logdet, b) ≈ -0.21 within 4%',
        'expect final(loss, a) ≈ 1.5 within 0.5',
        'expect final(loss, a) ≈ 1.5 within 0.4',
      ].join('\n'),
      { a, b },
    );
    expect(v.map((x) => x.status)).toEqual(['held', 'held', 'failed', 'held', 'failed']);
    expect(v[0].summary).toBe('slope(logdet, b) = −0.2 ≈ theory −0.2 (+0%, within 1%)');
    expect(v[1].values.deviation).toBeCloseTo(-0.2 / -0.21 - 1, 12); // l/r − 1
  });

  it('theory beside a final value predicts the final value: first + rate × last step', () => {
    const v = verdicts('expect final(logdet, b) ≈ theory(logdet, b) within 1e-12', { b: { ...b, metrics: { logdet: [10, 8, 6, 4] } } });
    expect(v[0]).toMatchObject({ status: 'held', values: { left: 4, right: 4 } });
  });

  it('a family must hold for every member; families pair by coordinates; mean(…) averages', () => {
    const m = (def: string, lr: number, loss: number) => run({ def, member: { lr }, coords: { lr }, loss: [9, loss] , step: [0, 10] });
    const runs = { 'fam[lr=0.01]': m('fam', 0.01, 1), 'fam[lr=0.02]': m('fam', 0.02, 3), 'fam2[lr=0.01]': m('fam2', 0.01, 2), 'fam2[lr=0.02]': m('fam2', 0.02, 2.5) };
    const v = verdicts(
      [
        'expect final(loss, fam) < 2.5',
        'expect final(loss, fam) < 4',
        'expect final(loss, fam) < final(loss, fam2)',
        'expect mean(final(loss, fam)) < mean(final(loss, fam2))',
        'expect final(loss, fam[lr = 0.01]) < 1.5',
      ].join('\n'),
      runs,
    );
    expect(v.map((x) => x.status)).toEqual(['failed', 'held', 'failed', 'held', 'held']);
    expect(v[0]).toMatchObject({ members: 2, failing: 1, member: 'fam[lr=0.02]', values: { left: 3 } });
    // lr = 0.02: 3 < 2.5 fails; the failing member is the one shown
    expect(v[2]).toMatchObject({ member: 'fam[lr=0.02], fam2[lr=0.02]', values: { left: 3, right: 2.5 } });
    expect(v[3].values).toEqual({ left: 2, right: 2.25 });
  });

  it('a diverged run fails the claim and says so; a failed run or a missing value is an error', () => {
    const div = run({ status: 'diverged', message: 'diverged at step 30 (loss = Infinity)', diverged_at: 20, loss: [4, 3, 2] , step: [0, 10, 20] });
    const v = verdicts('expect final(loss, a) < 10\nexpect final(loss, b) < 10\nexpect final(logdet, a) < 10', {
      a: div, b: run({ def: 'b', status: 'error', message: 'boom', loss: [] }),
    });
    expect(v[0].status).toBe('failed');
    expect(v[0].message).toBe('a diverged at step 30 (loss = Infinity): final(loss, a) has no final value, so the claim fails');
    expect(v[1]).toMatchObject({ status: 'error', message: 'b is error (boom): final(loss, b) cannot be read' });
    expect(v[2].status).toBe('failed'); // a diverged: before the missing series is looked at
    const w = verdicts('expect final(logdet, a) < 10\nexpect theory(logdet, a) < 1', { a: run({ loss: [1, 1, 1, 1] }) });
    expect(w.map((x) => [x.status, x.message])).toEqual([
      ['error', 'logdet was not recorded for a'],
      ['error', 'the theory gives no logdet prediction for a'],
    ]);
  });
});

describe('expect: a metric of the final state only (bias_gap)', () => {
  it('final(bias_gap, run) reads the end-of-run value the run carries in its theory entries', () => {
    const dia = run({ def: 'dia', model: 'diagonal', loss: [1, 0.5, 0.1, 0.01], theory: { bias_gap_exact: 0.002, bias_gap_flow: 0.4 } });
    const v = verdicts('expect final(bias_gap, dia) < 0.01', { dia });
    expect(v[0]).toMatchObject({ status: 'held', values: { left: 0.002, right: 0.01 } });
  });
  it('slope, max and min of it are errors at the metric: it has no curve along training', () => {
    for (const fn of ['slope', 'max', 'min']) {
      expect(errors(`expect ${fn}(bias_gap, dia) < 1`)).toEqual([['bias_gap', `bias_gap is computed at the end of a run only: read it with final(bias_gap, run)`]]);
    }
  });
});

describe('expect: families that cannot be paired', () => {
  const more = 'fam3 = train(net, data, sgd(lr = 0.01, batch = [1, 2]), steps = 100)\n';
  const warnings = (tail: string) => {
    const a = check(HEAD + more + tail);
    return a.program.diagnostics.filter((d) => d.code === 'claim-pairing').map((d) => [a.text.slice(a.lines.offset(d.range.start), a.lines.offset(d.range.end)), d.message]);
  };
  it('a family sweeping what the other does not: a warning at it, before anything runs', () => {
    expect(warnings('expect final(loss, fam) < final(loss, fam3)')).toEqual([
      ['final(loss, fam3)', "cannot pair the members of final(loss, fam3) with those of final(loss, fam): fam3 sweeps batch, which fam does not (use mean(…) or select a member)"],
    ]);
  });
  it('families sharing their swept parameters, a single run, a member or mean(…) pair fine', () => {
    expect(warnings('expect final(loss, fam) < final(loss, fam2)')).toEqual([]);
    expect(warnings('expect final(loss, fam) < final(loss, a)')).toEqual([]);
    expect(warnings('expect final(loss, fam) < final(loss, fam3[batch = 1])')).toEqual([]);
    expect(warnings('expect mean(final(loss, fam)) < mean(final(loss, fam3))')).toEqual([]);
  });
});

describe('expect: a claim that reads no run', () => {
  it('is a warning at the comparison: it says nothing about the results', () => {
    const { a } = claimsOf('expect 1 < 2\nexpect 2 * 3 == 6');
    const w = a.program.diagnostics.filter((d) => d.severity === 'warning');
    expect(w.map((d) => [a.text.slice(a.lines.offset(d.range.start), a.lines.offset(d.range.end)), d.message])).toEqual([
      ['1 < 2', 'this claim reads no run (only numbers): it says nothing about the results; read a run with final(…), slope(…), max(…) or min(…)'],
      ['2 * 3 == 6', 'this claim reads no run (only numbers): it says nothing about the results; read a run with final(…), slope(…), max(…) or min(…)'],
    ]);
  });
});

describe('expect: a relative tolerance around 0', () => {
  it('≈ 0 within P% holds only at exactly 0: a warning at the tolerance that suggests an absolute one', () => {
    const { a } = claimsOf('expect slope(logdet, b) ≈ 0 within 5%\nexpect slope(logdet, b) ≈ -0 within 5%\nexpect slope(logdet, b) ≈ 0 within 1e-4\nexpect final(loss, a) ≈ 1 within 5%');
    const w = a.program.diagnostics.filter((d) => d.severity === 'warning');
    expect(w.map((d) => [a.text.slice(a.lines.offset(d.range.start), a.lines.offset(d.range.end)), d.message])).toEqual([
      ['5%', 'within 5% of 0 holds only when the left side is exactly 0 (the tolerance is relative to the right side): give an absolute tolerance, e.g. `≈ 0 within 1e-4`'],
      ['5%', 'within 5% of 0 holds only when the left side is exactly 0 (the tolerance is relative to the right side): give an absolute tolerance, e.g. `≈ 0 within 1e-4`'],
    ]);
  });
});

describe('expect: theory of a run Theorem 4.2 does not cover', () => {
  it('momentum or weight decay on every member: a warning at the run, before anything runs', () => {
    const warnings = (tail: string) => {
      const a = check(HEAD + tail);
      return a.program.diagnostics.filter((d) => d.severity === 'warning' && d.code === 'no-theory').map((d) => [a.text.slice(a.lines.offset(d.range.start), a.lines.offset(d.range.end)), d.message]);
    };
    expect(warnings('m = train(net, data, label_noise(lr = 0.01, delta = 1, momentum = 0.5), steps = 100)\nexpect slope(logdet, m) ≈ theory(logdet, m) within 5%')).toEqual([
      ['m', "the theory gives no logdet prediction for 'm': Theorem 4.2 is stated for momentum 0 and weight decay 0 (here momentum = 0.5)"],
    ]);
    expect(warnings('w = train(net, data, label_noise(lr = 0.01, delta = 1, weight_decay = [0.1, 0.2]), steps = 100)\nexpect final(logdet, w) < theory(logdet, w)')[0][1]).toContain('(here weight_decay = 0.1, 0.2)');
    // a family with a plain member keeps its theory there: no warning
    expect(warnings('f = train(net, data, label_noise(lr = 0.01, delta = 1, momentum = [0, 0.5]), steps = 100)\nexpect slope(logdet, f) ≈ theory(logdet, f) within 5%')).toEqual([]);
    expect(warnings('expect slope(logdet, b) ≈ theory(logdet, b) within 5%')).toEqual([]);
  });
  it('so does plot logdet(…, theory = true) at such a run: it gets no theory line', () => {
    const a = check(HEAD + 'm = train(net, data, label_noise(lr = 0.01, delta = 1, momentum = 0.5), steps = 100)\nplot logdet(b, m, theory = true)\nplot logdet(m)');
    const w = a.program.diagnostics.filter((d) => d.code === 'no-theory');
    expect(w.map((d) => [a.text.slice(a.lines.offset(d.range.start), a.lines.offset(d.range.end)), d.message])).toEqual([
      ['m', "'m' gets no theory line: Theorem 4.2 is stated for momentum 0 and weight decay 0 (here momentum = 0.5)"],
    ]);
  });
});

describe('expect: theory under a stepsize schedule', () => {
  // under a schedule the run carries the fall per unit of Σ η_t² (logdet_rate_per_lr2) and records
  // that sum (lr_sq_sum), as the theory curve of the plots reads them
  const sched = run({ def: 'b', logdet: [10, 9, 7, 4], metrics: { lr_sq_sum: [0, 0.5, 1.5, 3] }, theory: { logdet_rate_per_lr2: -2 } });
  it('beside a final value: first + rate × (Σ η² at the last step − at the first)', () => {
    const v = verdicts('expect final(logdet, b) ≈ theory(logdet, b) within 1e-12', { b: sched });
    expect(v[0]).toMatchObject({ status: 'held', values: { left: 4, right: 4 } });
  });
  it('beside a slope: an error that says why (the rate per step is not constant)', () => {
    const v = verdicts('expect slope(logdet, b) ≈ theory(logdet, b) within 5%', { b: sched });
    expect(v[0]).toMatchObject({ status: 'error', message: 'b runs under a stepsize schedule: the theory gives no constant logdet rate per step; compare final values, final(logdet, b) ≈ theory(logdet, b)' });
  });
});

describe('expect: completion offers what a claim accepts', () => {
  it('the run slot offers defined runs, not train(…); slope/max/min do not offer bias_gap, final does', async () => {
    const { complete } = await import('../../src/core/lang/complete');
    const labels = (tail: string) => complete(check(HEAD + tail), (HEAD + tail).length).map((i) => i.label);
    const runs = labels('expect final(loss, ');
    expect(runs).toEqual(expect.arrayContaining(['a', 'b', 'fam', 'dia']));
    expect(runs).not.toContain('train');
    expect(labels('expect slope(')).not.toContain('bias_gap');
    expect(labels('expect max(')).not.toContain('bias_gap');
    expect(labels('expect final(')).toContain('bias_gap');
    expect(labels('expect slope(logdet, b) ≈ theory(').filter((l) => !['metric', 'run'].includes(l))).toEqual(['logdet']);
  });
});

describe('expect: editor features from the claim-term table', () => {
  it('completion offers expect and the claim terms; hover on a term and the keyword', async () => {
    const { complete, hover } = await import('../../src/core/lang/complete');
    const text = HEAD + 'expect slope(logdet, b) < 1\n';
    const a = check(text);
    const at = (s: string, d = 0) => text.lastIndexOf(s) + d;
    expect(complete(check(HEAD + 'exp').program && check(HEAD + 'exp'), (HEAD + 'exp').length).map((i) => i.label)).toContain('expect');
    const inClaim = check(HEAD + 'expect ');
    expect(complete(inClaim, (HEAD + 'expect ').length).map((i) => i.label)).toEqual(expect.arrayContaining(['final', 'slope', 'theory', 'max', 'min', 'mean']));
    expect(hover(a, at('slope', 2))!.contents).toContain('Least-squares slope');
    expect(hover(a, at('expect', 2))!.contents).toContain('a claim checked against the results');
    // the metric and run arguments of a claim term are found like a plot's
    expect(hover(a, at('logdet', 2))!.contents).toContain('log det(θᵀθ)');
  });
});
