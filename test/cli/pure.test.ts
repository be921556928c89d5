// The CLI's pure pieces: diagnostic lines, --shard parsing and selection, merge, CSV, inputs.
import { describe, expect, it } from 'vitest';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatDiagnostic, hasError, sortDiagnostics } from '../../src/cli/diagnostics';
import { parseShard, restrictToShard, shardKeys } from '../../src/cli/shard';
import { mergeDocs, MergeError } from '../../src/cli/merge';
import { toCsv } from '../../src/core/csv';
import { commonBase, expandInputs, outputStem, UsageError } from '../../src/cli/files';
import type { Diagnostic } from '../../src/core/program';
import type { ResultsDoc, RunResult } from '../../src/core/results';

const diag = (line: number, character: number, severity: Diagnostic['severity'], message: string): Diagnostic => ({
  range: { start: { line, character }, end: { line, character: character + 1 } },
  severity,
  message,
  code: 'x',
});

function run(over: Partial<RunResult> = {}): RunResult {
  return {
    status: 'done', message: null, model: 'linear2', optimizer: 'gd', params: { lr: 0.1 }, member: null,
    step: [0, 10], time: [0, 1], metrics: { loss: [2, 1], sv_W1: [[3, 1], [2.5, 0.5]] }, theory: {}, ...over,
  };
}

function doc(keys: string[]): ResultsDoc {
  const runs: ResultsDoc['runs'] = {};
  keys.forEach((k, i) => (runs[k] = run({ member: { lr: i / 10 }, params: { lr: i / 10 } })));
  return { format: 'sgdexp-results', version: 1, file: 'a.sgdexp', seed: 3, runs, plots: [] };
}

describe('diagnostic lines', () => {
  it('are file:line:col: severity: message with 1-based line and column', () => {
    expect(formatDiagnostic('x/a.sgdexp', diag(0, 0, 'error', 'unknown name "foo"'))).toBe('x/a.sgdexp:1:1: error: unknown name "foo"');
    expect(formatDiagnostic('a.sgdexp', diag(4, 11, 'warning', 'two\n  lines'))).toBe('a.sgdexp:5:12: warning: two lines');
  });
  it('sort in source order and detect errors', () => {
    const ds = [diag(3, 1, 'warning', 'b'), diag(1, 5, 'error', 'a'), diag(3, 1, 'error', 'c')];
    expect(sortDiagnostics(ds).map((d) => d.message)).toEqual(['a', 'c', 'b']);
    expect(hasError(ds)).toBe(true);
    expect(hasError([diag(0, 0, 'warning', 'w')])).toBe(false);
  });
});

describe('--shard', () => {
  it('parses i/N, 1-based, and refuses the rest', () => {
    expect(parseShard('2/4')).toEqual({ index: 2, count: 4 });
    for (const bad of ['0/4', '5/4', '1/0', 'a/b', '2', '-1/3']) expect(() => parseShard(bad)).toThrow(UsageError);
  });
  it('partitions the runs: every key in exactly one shard, every N-th member', () => {
    const keys = Array.from({ length: 11 }, (_, i) => `gd[lr=${i}]`);
    const parts = [1, 2, 3].map((i) => shardKeys(keys, { index: i, count: 3 }));
    expect(parts[0]).toEqual(['gd[lr=0]', 'gd[lr=3]', 'gd[lr=6]', 'gd[lr=9]']);
    expect(parts.flat().sort()).toEqual([...keys].sort());
  });
  it('merge of the shards equals the unsharded document, whatever the order of inputs', () => {
    const full = doc(['a', 'b[lr=1]', 'b[lr=2]', 'b[lr=3]', 'c']);
    const shards = [1, 2].map((i) => restrictToShard(full, { index: i, count: 2 }));
    expect(Object.keys(shards[0].runs)).toEqual(['a', 'b[lr=2]', 'c']);
    expect(mergeDocs(shards)).toEqual(full);
    expect(JSON.stringify(mergeDocs([shards[1], shards[0]]))).toBe(JSON.stringify(full));
  });
  it('merge refuses a missing shard, different files and non-documents', () => {
    const full = doc(['a', 'b', 'c']);
    const shards = [1, 2, 3].map((i) => restrictToShard(full, { index: i, count: 3 }));
    expect(() => mergeDocs([shards[0], shards[2]])).toThrow(/missing runs.*: b$/);
    expect(() => mergeDocs([shards[0], { ...shards[1], file: 'other.sgdexp' }])).toThrow(MergeError);
    expect(() => mergeDocs([{ hello: 1 } as never])).toThrow(/not an sgdexp results document/);
    expect(() => mergeDocs([])).toThrow(MergeError);
  });
});

describe('CSV', () => {
  it('holds every value of every series, one row each, vector metrics indexed', () => {
    const d = doc(['gd[lr=0.1,batch=1]', 'x']);
    const csv = toCsv(d).trim().split('\n');
    expect(csv[0]).toBe('run,lr,status,step,time,metric,index,value');
    // per run: loss 2 rows + sv_W1 2×2 rows = 6
    expect(csv.length).toBe(1 + 2 * 6);
    expect(csv[1]).toBe('"gd[lr=0.1,batch=1]",0,done,0,0,loss,,2');
    expect(csv).toContain('x,0.1,done,10,1,sv_W1,1,0.5');
  });
  it('writes non-finite numbers as inf/nan', () => {
    const d = doc(['a']);
    d.runs.a.metrics = { loss: [Infinity, NaN] };
    expect(toCsv(d)).toContain('a,0,done,0,0,loss,,inf');
    expect(toCsv(d)).toContain('a,0,done,10,1,loss,,nan');
  });
  it('stops a series at the last recorded step; a missing time is an empty field; no runs is the header alone', () => {
    const d = doc(['a']);
    d.runs.a.time = [0];
    d.runs.a.metrics = { loss: [3, 2, 1] };
    expect(toCsv(d)).toBe('run,lr,status,step,time,metric,index,value\na,0,done,0,0,loss,,3\na,0,done,10,,loss,,2\n');
    expect(toCsv({ ...d, runs: {} })).toBe('run,status,step,time,metric,index,value\n');
  });
});

describe('inputs', () => {
  it('expands directories to their .sgdexp files, sorted, and mirrors them under --out', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sgdexp-cli-'));
    mkdirSync(join(dir, 'sub'));
    for (const f of ['b.sgdexp', 'a.sgdexp', 'notes.txt', 'sub/c.sgdexp']) writeFileSync(join(dir, f), '');
    const files = expandInputs([dir]);
    expect(files.map((f) => f.slice(dir.length + 1))).toEqual(['a.sgdexp', 'b.sgdexp', 'sub/c.sgdexp']);
    const base = commonBase(files);
    expect(base).toBe(dir);
    expect(outputStem(files[2], base, '/o')).toBe('/o/sub/c');
    expect(() => expandInputs([join(dir, 'nope.sgdexp')])).toThrow(UsageError);
  });
});
