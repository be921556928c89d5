// The results table's rows and order (webview/resultsTable.ts): one row per run with its final
// values; sorting numeric columns numerically with missing values last either way.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { nextSort, readSort, sortRows, tableRows, type TableRow } from '../../webview/resultsTable';
import { normalizeDoc, validateToWebview } from '../../src/core/wire/webviewMessages';
import type { ResultsDoc } from '../../src/core/wire/results';
import { formatWallMs } from '../../src/core/wire/wallTime';

const FIG1 = normalizeDoc(JSON.parse(readFileSync(join(__dirname, 'fixtures', 'fig1.json'), 'utf8')) as ResultsDoc);
const DIV = normalizeDoc(JSON.parse(readFileSync(join(__dirname, 'fixtures', 'diverged.json'), 'utf8')) as ResultsDoc);

const row = (run: string, index: number, loss: number | null, name = run): TableRow => ({
  run, index, name, status: 'done', steps: 10, wall: null, cached: false, loss, test_loss: null, logdet: null, diverged_at: null,
});

describe('results table', () => {
  it('one row per run with its last finite values', () => {
    const rows = tableRows(FIG1);
    expect(rows.map((r) => r.run)).toEqual(['gd', 'ln']);
    const gd = FIG1.runs.gd!;
    expect(rows[0]!.loss).toBe((gd.metrics.loss as number[]).at(-1));
    expect(rows[0]!.logdet).toBe((gd.metrics.logdet as number[]).at(-1));
    expect(rows[0]!.steps).toBe(10000);
    expect(rows[0]!.wall).toBeNull();
    expect(tableRows(FIG1, new Set(['ln']))[1]!.status).toBe('stale');
  });

  it('a diverged run: its last finite loss and where it diverged', () => {
    const rows = tableRows(DIV);
    const d = rows.find((r) => r.status === 'diverged')!;
    expect(d.diverged_at).toBe(DIV.runs[d.run]!.diverged_at);
    expect(Number.isFinite(d.loss)).toBe(true);
  });

  it('sorts numerically both ways, missing and NaN last, ties in document order', () => {
    const rows = [row('a', 0, 10), row('b', 1, null), row('c', 2, 9), row('d', 3, NaN), row('e', 4, 100), row('f', 5, 9)];
    expect(sortRows(rows, { col: 'loss', dir: 'asc' }).map((r) => r.run)).toEqual(['c', 'f', 'a', 'e', 'b', 'd']);
    expect(sortRows(rows, { col: 'loss', dir: 'desc' }).map((r) => r.run)).toEqual(['e', 'a', 'c', 'f', 'b', 'd']);
    expect(sortRows(rows, null).map((r) => r.run)).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
  });

  it('names sort with their numbers read as numbers', () => {
    const rows = ['w[n=10]', 'w[n=2]', 'w[n=1]'].map((k, i) => row(k, i, 0));
    expect(sortRows(rows, { col: 'name', dir: 'asc' }).map((r) => r.run)).toEqual(['w[n=1]', 'w[n=2]', 'w[n=10]']);
  });

  it('a header click sorts ascending, the same one again flips; a saved sort is validated', () => {
    expect(nextSort(null, 'loss')).toEqual({ col: 'loss', dir: 'asc' });
    expect(nextSort({ col: 'loss', dir: 'asc' }, 'loss')).toEqual({ col: 'loss', dir: 'desc' });
    expect(nextSort({ col: 'loss', dir: 'desc' }, 'steps')).toEqual({ col: 'steps', dir: 'asc' });
    expect(readSort({ col: 'loss', dir: 'desc' })).toEqual({ col: 'loss', dir: 'desc' });
    expect(readSort({ col: 'evil', dir: 'asc' })).toBeNull();
    expect(readSort('x')).toBeNull();
  });

  it('wall time: measured, served from a cache, or unknown; sorted with cached and unknown last', () => {
    const running = { ...FIG1.runs.ln!, status: 'running' as const };
    const doc = { ...FIG1, runs: { gd: FIG1.runs.gd!, ln: FIG1.runs.ln!, busy: running, slow: FIG1.runs.gd! } };
    const rows = tableRows(doc, new Set(), { gd: 270, slow: 1500, busy: 99 });
    expect(rows.map((r) => [r.run, r.wall, r.cached])).toEqual([['gd', 270, false], ['ln', null, true], ['busy', 99, false], ['slow', 1500, false]]);
    // no times sent (an older server): unknown, never `cached`
    expect(tableRows(doc).every((r) => r.wall === null && !r.cached)).toBe(true);
    // a running run with no time: unknown
    expect(tableRows(doc, new Set(), {}).find((r) => r.run === 'busy')).toMatchObject({ wall: null, cached: false });
    expect(sortRows(rows, { col: 'wall', dir: 'asc' }).map((r) => r.run)).toEqual(['busy', 'gd', 'slow', 'ln']);
    expect(sortRows(rows, { col: 'wall', dir: 'desc' }).map((r) => r.run)).toEqual(['slow', 'gd', 'busy', 'ln']);
  });

  it('wall times are worded as the CodeLens words them', () => {
    expect([40, 0.2, 270, 1500, 61_000, 190_000].map(formatWallMs)).toEqual(['40 ms', '1 ms', '0.27 s', '1.5 s', '61 s', '3.2 min']);
  });
});

describe('validating wall times (beside the document, never in it)', () => {
  const msg = (extra: Record<string, unknown>, doc: unknown = FIG1) => validateToWebview({ type: 'results', uri: 'file:///x', revision: 1, final: true, doc, ...extra });
  it('accepts durations by run key, also of runs a reusing message leaves out', () => {
    expect(msg({ wallMs: { gd: 270, ln: 0 } }).ok).toBe(true);
    expect(msg({ wallMs: { 'other[lr=0.1]': 5 } }).ok).toBe(true);
    expect(msg({}).ok).toBe(true);
  });
  it('refuses what is no duration, with its path', () => {
    for (const bad of [{ gd: -1 }, { gd: 'slow' }, { gd: null }, { gd: Infinity }, [1, 2], 'fast', null]) {
      const v = msg({ wallMs: bad });
      expect(v.ok, JSON.stringify(bad)).toBe(false);
      if (!v.ok) expect(v.error).toMatch(/^message\.wallMs/);
    }
  });
  it('a document that still carries the old run field wall_ms stays valid, and the table ignores it', () => {
    const doc = { ...FIG1, runs: { gd: { ...FIG1.runs.gd!, wall_ms: 1234 }, ln: { ...FIG1.runs.ln!, wall_ms: 'slow' } } };
    const v = msg({}, doc);
    expect(v.ok).toBe(true);
    if (v.ok && v.value.type === 'results') expect(tableRows(v.value.doc).map((r) => r.wall)).toEqual([null, null]);
  });
});
