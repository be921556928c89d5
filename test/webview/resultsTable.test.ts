// The results table's rows and order (webview/resultsTable.ts): one row per run with its final
// values; sorting numeric columns numerically with missing values last either way.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { nextSort, readSort, sortRows, tableRows, type TableRow } from '../../webview/resultsTable';
import { normalizeDoc, validateToWebview } from '../../src/core/wire/webviewMessages';
import type { ResultsDoc } from '../../src/core/wire/results';

const FIG1 = normalizeDoc(JSON.parse(readFileSync(join(__dirname, 'fixtures', 'fig1.json'), 'utf8')) as ResultsDoc);
const DIV = normalizeDoc(JSON.parse(readFileSync(join(__dirname, 'fixtures', 'diverged.json'), 'utf8')) as ResultsDoc);

const row = (run: string, index: number, loss: number | null, name = run): TableRow => ({
  run, index, name, status: 'done', steps: 10, wall: null, loss, test_loss: null, logdet: null, diverged_at: null,
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

  it('wall_ms is optional: shown where a writer records it, refused when not a number', () => {
    const doc = { ...FIG1, runs: { ...FIG1.runs, gd: { ...FIG1.runs.gd!, wall_ms: 1234 } } };
    expect(tableRows(doc)[0]!.wall).toBe(1234);
    const bad = validateToWebview({ type: 'results', uri: 'file:///x', revision: 1, final: true, doc: { ...FIG1, runs: { gd: { ...FIG1.runs.gd!, wall_ms: 'slow' } } } });
    expect(bad.ok).toBe(false);
  });
});
