// csv(path, …): a data set read from a CSV file. A teacher's data written to CSV and read back
// through the language (checker hook, lowering, resolve) trains bit-identically to the teacher;
// the path rules and the bad-file diagnostics land on the path argument, naming row and column;
// the file's content hash keys exactly the runs that read it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, truncateSync, writeFileSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkText } from '../../src/core/lang';
import { numericHooks } from '../../src/core/checkHooks';
import { lowerProgram } from '../../src/core/lower';
import { makeData, rawRegression, type RegressionData } from '../../src/core/numeric/data';
import { runTraining } from '../../src/core/numeric/run';
import { parseCsvData } from '../../src/core/numeric/csvData';
import type { Diagnostic } from '../../src/core/program';
import { bitwiseDiff, gd, linear2, sgd, spec, teacher } from './numeric/helpers';

let dir: string;
let outside: string;
const exp = () => join(dir, 'exp', 'exp.sgdexp');

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'sgdexp-csv-'));
  outside = mkdtempSync(join(tmpdir(), 'sgdexp-csv-out-'));
  mkdirSync(join(dir, 'exp', 'data'), { recursive: true });
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  rmSync(outside, { recursive: true, force: true });
});

const hooks = (o: { trusted?: boolean } = {}) => numericHooks({ file: exp(), roots: [dir], ...o });
const check = (text: string, o: { trusted?: boolean } = {}) => checkText(text, hooks(o));
const dataErrors = (ds: Diagnostic[]) => ds.filter((d) => d.code === 'data-file');
/** the range of the string literal `"…"` on line 0 */
const pathRange = (text: string) => ({ start: { line: 0, character: text.indexOf('"') }, end: { line: 0, character: text.lastIndexOf('"') + 1 } });

/** the teacher's raw rows, every number written so that it reads back to the same double */
function teacherCsv(n: number, p: number, k: number): string {
  const raw = rawRegression(teacher(n, p, k, { noise: 0.1, test: 0 }) as never, 1);
  const lines = [];
  for (let i = 0; i < n; i++) lines.push([...raw.X.subarray(i * p, (i + 1) * p), ...raw.Y.subarray(i * k, (i + 1) * k)].map(String).join(','));
  return lines.join('\n') + '\n';
}

describe('csv round trip', () => {
  it('a teacher written to CSV and read back through the language trains bit-identically', async () => {
    writeFileSync(join(dir, 'exp', 'data', 'teacher.csv'), teacherCsv(40, 3, 2));
    // root seed 1: the teacher's data were drawn with it, and the model's init comes from it too
    const text = [
      'seed = 1',
      'data = csv("data/teacher.csv", targets = 2, test = 0)',
      'net = linear2(width = 6)',
      'a = train(net, data, gd(lr = 0.05), steps = 50)',
      'b = train(net, data, sgd(lr = 0.05, batch = 8), steps = 50)',
    ].join('\n');
    const program = check(text);
    expect(program.diagnostics).toEqual([]);
    const runs = lowerProgram(program).runs;
    expect(runs.map((r) => r.id)).toEqual(['a', 'b']);
    const t = teacher(40, 3, 2, { noise: 0.1, test: 0 });
    const fromCsv = makeData(runs[0]!.spec.data, runs[0]!.spec.rootSeed) as RegressionData;
    const fromTeacher = makeData(t, 1) as RegressionData;
    expect(bitwiseDiff(fromCsv.X, fromTeacher.X)).toBeNull();
    expect(bitwiseDiff(fromCsv.Y, fromTeacher.Y)).toBeNull();
    for (const [r, o] of [[runs[0]!, gd(0.05)], [runs[1]!, sgd(0.05, 8)]] as const) {
      const mine = await runTraining(r.spec);
      const theirs = await runTraining(spec(t, linear2(6), o, 50, r.spec.record, { rootSeed: r.spec.rootSeed }));
      expect(mine.status).toBe('done');
      expect(r.spec.rootSeed).toBe(1);
      expect(mine.trajectory.step.length).toBeGreaterThan(10);
      // the one series a teacher has and a file has not: the distance to the teacher's U*
      expect(Object.keys(theirs.trajectory.metrics).filter((m) => !(m in mine.trajectory.metrics))).toEqual(['distance']);
      delete (theirs.trajectory.metrics as Record<string, unknown>).distance;
      expect(bitwiseDiff(mine.trajectory, theirs.trajectory)).toBeNull();
      expect(bitwiseDiff(mine.checkpoint!.arrays, theirs.checkpoint!.arrays)).toBeNull();
    }
  });

  it('test = 0.2 holds out round(0.2·rows) rows drawn by the seed; the training rows keep the file order', () => {
    writeFileSync(join(dir, 'exp', 'data', 'split.csv'), Array.from({ length: 50 }, (_, i) => `${i},${-i}`).join('\n'));
    const specOf = (seed: number) => lowerProgram(check(`data = csv("data/split.csv", seed = ${seed})\nr = train(linear2(width = 2), data, gd(lr = 0.1), steps = 1)`)).runs[0]!.spec;
    const d = makeData(specOf(0).data, 0) as RegressionData;
    expect([d.n, d.ntest]).toEqual([40, 10]);
    const train = Array.from(d.X, (x) => Math.round(x * Math.sqrt(40)));
    const test = Array.from(d.Xtest, (x) => Math.round(x * Math.sqrt(10)));
    expect(train).toEqual([...train].sort((a, b) => a - b));
    expect([...train, ...test].sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    const other = makeData(specOf(1).data, 0) as RegressionData;
    expect(bitwiseDiff(other.Xtest, d.Xtest)).not.toBeNull();
  });
});

describe('csv path rules', () => {
  beforeAll(() => {
    writeFileSync(join(dir, 'exp', 'data', 'ok.csv'), '1,2\n3,4\n5,6\n');
    writeFileSync(join(dir, 'top.csv'), '1,2\n3,4\n5,6\n');
    writeFileSync(join(outside, 'secret.csv'), '1,2\n3,4\n5,6\n');
    symlinkSync(join(outside, 'secret.csv'), join(dir, 'exp', 'data', 'link.csv'));
  });
  const one = (path: string, o: { trusted?: boolean } = {}) => {
    const text = `data = csv("${path}", test = 0)\nr = train(linear2(width = 2), data, gd(lr = 0.1), steps = 1)`;
    return { text, errs: dataErrors(check(text, o).diagnostics) };
  };

  it('inside the root: relative to the experiment file, also above it', () => {
    expect(one('data/ok.csv').errs).toEqual([]);
    expect(one('../top.csv').errs).toEqual([]);
    expect(one('./data/../data/ok.csv').errs).toEqual([]);
  });
  it('an absolute path is an error at the argument', () => {
    const { text, errs } = one(join(dir, 'exp', 'data', 'ok.csv'));
    expect(errs).toHaveLength(1);
    expect(errs[0]!.message).toMatch(/absolute path/);
    expect(errs[0]!.range).toEqual(pathRange(text));
  });
  it('a path escaping the root with .. is an error at the argument', () => {
    const { text, errs } = one(`../../${outside.split('/').pop()}/secret.csv`);
    expect(errs).toHaveLength(1);
    expect(errs[0]!.message).toMatch(/leaves/);
    expect(errs[0]!.range).toEqual(pathRange(text));
  });
  it('a symbolic link out of the root is an error', () => {
    expect(one('data/link.csv').errs[0]?.message).toMatch(/links outside/);
  });
  it('an untrusted workspace reads no data file and says why', () => {
    expect(one('data/ok.csv', { trusted: false }).errs[0]?.message).toMatch(/untrusted workspace/);
  });
  it('an unsaved document has no place to read from', () => {
    const text = 'data = csv("data/ok.csv")';
    expect(dataErrors(checkText(text, numericHooks({ file: null, roots: [dir] })).diagnostics)[0]?.message).toMatch(/save the experiment/);
  });
});

describe('csv bad files', () => {
  const bad = (name: string, content: string | null) => {
    if (content !== null) writeFileSync(join(dir, 'exp', 'data', name), content);
    const text = `data = csv("data/${name}")`;
    const errs = dataErrors(check(text).diagnostics);
    expect(errs).toHaveLength(1);
    expect(errs[0]!.range).toEqual(pathRange(text));
    return errs[0]!;
  };
  it('a ragged row names its row and column', () => {
    const e = bad('ragged.csv', 'a,b,c\n1,2,3\n4,5\n');
    expect(e.message).toMatch(/row 3 has 2 columns/);
    expect(e.data).toEqual({ row: 3, col: 3 });
  });
  it('a non-number names its row and column', () => {
    const e = bad('word.csv', '1,2,3\n4,5,6\n7,x8,9\n');
    expect(e.message).toMatch(/row 3, column 2: 'x8' is not a number/);
    expect(e.data).toEqual({ row: 3, col: 2 });
    expect(bad('hole.csv', '1,2,3\n4,,6\n').message).toMatch(/row 2, column 2: an empty field/);
  });
  it('an empty file, and a header without rows', () => {
    expect(bad('empty.csv', '').message).toMatch(/empty/);
    expect(bad('header.csv', 'x,y\n').message).toMatch(/no rows/);
  });
  it('a file over 50 MB is refused before it is read', () => {
    writeFileSync(join(dir, 'exp', 'data', 'huge.csv'), '');
    truncateSync(join(dir, 'exp', 'data', 'huge.csv'), 51 * 2 ** 20);
    expect(bad('huge.csv', null).message).toMatch(/above the 50 MB/);
  });
  it('more than 10⁶ rows are refused, naming the row', () => {
    const r = parseCsvData('1\n'.repeat(1_000_001));
    expect(r.ok).toBe(false);
    expect(!r.ok && r.row).toBe(1_000_001);
  });
  it('targets must leave an input column', () => {
    writeFileSync(join(dir, 'exp', 'data', 'two.csv'), '1,2\n3,4\n');
    const errs = check('data = csv("data/two.csv", targets = 2)').diagnostics.filter((d) => d.severity === 'error');
    expect(errs.map((d) => d.message)).toEqual([expect.stringMatching(/leaves no input column/)]);
  });
});

describe('csv: a test fraction that rounds to no row', () => {
  it('test_loss on it warns as test = 0 does, saying the fraction rounds to 0 rows', () => {
    writeFileSync(join(dir, 'exp', 'data', 'three.csv'), '1,2\n3,4\n5,7\n');
    const text = 'data = csv("data/three.csv", test = [0.1, 0.5])\nr = train(linear2(width = 2), data, gd(lr = 0.01), steps = 10)\nplot test_loss(r)';
    const warns = check(text).diagnostics.filter((d) => d.code === 'empty-test-set');
    expect(warns.map((d) => d.message)).toEqual(["'r' holds out no test row: test = 0.1 of 3 rows rounds to 0"]);
  });
});

describe('csv keys', () => {
  it("editing the CSV changes the keys of the runs that read it, and nothing else's", () => {
    writeFileSync(join(dir, 'exp', 'data', 'k1.csv'), '1,2\n3,4\n5,6\n');
    writeFileSync(join(dir, 'exp', 'data', 'k2.csv'), '1,2\n3,4\n5,6\n');
    const text = [
      'd1 = csv("data/k1.csv")',
      'd2 = csv("data/k2.csv")',
      'net = linear2(width = 2)',
      'a = train(net, d1, gd(lr = 0.1), steps = 10)',
      'b = train(net, d2, gd(lr = 0.1), steps = 10)',
      'c = train(net, teacher(n = 10, p = 1), gd(lr = 0.1), steps = 10)',
    ].join('\n');
    const keys = () => Object.fromEntries(lowerProgram(check(text)).runs.map((r) => [r.id, r.key]));
    const before = keys();
    expect(before.a).toBe(before.b); // same content, same run: the key reads the content, not the name
    appendFileSync(join(dir, 'exp', 'data', 'k1.csv'), '7,8\n');
    const after = keys();
    expect(after.a).not.toBe(before.a);
    expect(after.b).toBe(before.b);
    expect(after.c).toBe(before.c);
  });
});
