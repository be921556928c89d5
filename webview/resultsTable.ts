// The results table: one row per run of the displayed document (a family's members by their
// full name), sortable by any column. The rows and their order are pure functions (tableRows,
// sortRows; unit-tested in test/webview/resultsTable.test.ts); the table element is made once
// and its rows are moved, not rebuilt, so a header click that straddles a streamed update lands.
import type { ResultsDoc, RunResult } from '../src/core/wire/results';
import { formatWallMs, wallOf, type WallMs } from '../src/core/wire/wallTime';
import { button, h, setAttr, setClass, setText, syncChildren } from './dom';
import { formatStep } from './store';

export type Column = 'name' | 'status' | 'steps' | 'wall' | 'loss' | 'test_loss' | 'logdet' | 'diverged_at';
export type SortDir = 'asc' | 'desc';
export interface TableSort {
  col: Column;
  dir: SortDir;
}

export const COLUMNS: { col: Column; label: string; numeric: boolean; title: string }[] = [
  { col: 'name', label: 'run', numeric: false, title: 'run (family members by their coordinates)' },
  { col: 'status', label: 'status', numeric: false, title: 'status in the shown revision' },
  { col: 'steps', label: 'steps', numeric: true, title: 'steps computed (while running: so far)' },
  { col: 'wall', label: 'wall time', numeric: true, title: 'wall time of the computation, as the language server saw it run (cached: served from a cache)' },
  { col: 'loss', label: 'final loss', numeric: true, title: 'last finite recorded loss' },
  { col: 'test_loss', label: 'test loss', numeric: true, title: 'last finite recorded test loss' },
  { col: 'logdet', label: 'log det', numeric: true, title: 'last finite recorded log det(θᵀθ), where recorded' },
  { col: 'diverged_at', label: 'diverged at', numeric: true, title: 'last finite step of a diverged run' },
];

export interface TableRow {
  run: string;
  /** position in the document: the order of an unsorted table, and the tie-break of a sorted one */
  index: number;
  name: string;
  status: string;
  steps: number | null;
  /** ms; null when served from a cache (`cached`) or unknown */
  wall: number | null;
  cached: boolean;
  loss: number | null;
  test_loss: number | null;
  logdet: number | null;
  diverged_at: number | null;
}

const isSortCol = (v: unknown): v is Column => COLUMNS.some((c) => c.col === v);
/** A saved sort, or null when it is not one (the state is read back from an untrusted store). */
export function readSort(v: unknown): TableSort | null {
  if (typeof v !== 'object' || v == null) return null;
  const s = v as Record<string, unknown>;
  return isSortCol(s.col) && (s.dir === 'asc' || s.dir === 'desc') ? { col: s.col, dir: s.dir } : null;
}

/** The last finite value of a scalar metric, or null. */
function lastFinite(r: RunResult, metric: string): number | null {
  const s = r.metrics?.[metric];
  if (!s) return null;
  for (let i = s.length - 1; i >= 0; i--) {
    const v = s[i];
    if (typeof v === 'number' && Number.isFinite(v)) return v;
  }
  return null;
}

function stepsOf(r: RunResult): number | null {
  const last = r.step?.length ? r.step[r.step.length - 1]! : null;
  if (r.status === 'done') {
    const n = Number(r.params?.steps);
    return Number.isFinite(n) && n > 0 ? n : last;
  }
  return r.progress?.step ?? last;
}

/** `wallMs`: the wall times sent beside the document (null: none sent, every time unknown). */
export function tableRows(doc: ResultsDoc, stale: ReadonlySet<string> = new Set(), wallMs: WallMs | null = null): TableRow[] {
  return Object.entries(doc.runs).map(([k, r], index) => {
    const w = wallOf(wallMs, k, r);
    return {
      run: k,
      index,
      name: k,
      status: stale.has(k) ? 'stale' : r.status,
      steps: stepsOf(r),
      wall: w && w !== 'cached' ? w.ms : null,
      cached: w === 'cached',
      loss: lastFinite(r, 'loss'),
      test_loss: lastFinite(r, 'test_loss'),
      logdet: lastFinite(r, 'logdet'),
      diverged_at: r.status === 'diverged' && typeof r.diverged_at === 'number' ? r.diverged_at : null,
    };
  });
}

const missing = (v: unknown) => v == null || (typeof v === 'number' && Number.isNaN(v));
const collator = new Intl.Collator(undefined, { numeric: true });

/** Rows sorted by a column: numbers numerically, text with digit runs read as numbers (`w[n=2]`
 *  before `w[n=10]`); missing values and NaN last in either direction; ties keep the document
 *  order. Null sort: the document order. */
export function sortRows(rows: readonly TableRow[], sort: TableSort | null): TableRow[] {
  const out = [...rows];
  if (!sort) return out.sort((a, b) => a.index - b.index);
  const sign = sort.dir === 'asc' ? 1 : -1;
  return out.sort((a, b) => {
    const x = a[sort.col], y = b[sort.col];
    const mx = missing(x), my = missing(y);
    if (mx || my) return mx && my ? a.index - b.index : mx ? 1 : -1;
    const c = typeof x === 'number' && typeof y === 'number' ? x - y : collator.compare(String(x), String(y));
    return c !== 0 ? sign * c : a.index - b.index;
  });
}

/** A header click: a new column sorts ascending, the same column flips. */
export function nextSort(sort: TableSort | null, col: Column): TableSort {
  return sort?.col === col ? { col, dir: sort.dir === 'asc' ? 'desc' : 'asc' } : { col, dir: 'asc' };
}

const num = (v: number) => (Math.abs(v) >= 1e4 || (v !== 0 && Math.abs(v) < 1e-3) ? v.toExponential(3) : String(+v.toPrecision(4)));
function cellText(row: TableRow, col: Column): string {
  const v = row[col];
  if (col === 'wall' && v == null && row.cached) return 'cached';
  if (v == null) return '—';
  if (typeof v === 'string') return v;
  if (col === 'steps' || col === 'diverged_at') return formatStep(v);
  // as the editor's CodeLens words it (`✓ 8000 steps · 0.27 s`)
  if (col === 'wall') return formatWallMs(v);
  return num(v);
}

interface RowEl {
  tr: HTMLTableRowElement;
  cells: HTMLTableCellElement[];
}

export class ResultsTable {
  readonly el: HTMLDetailsElement;
  private readonly summary: HTMLElement;
  private readonly body: HTMLTableSectionElement;
  private readonly heads = new Map<Column, { th: HTMLTableCellElement; b: HTMLButtonElement }>();
  private readonly rows = new Map<string, RowEl>();
  private last: { doc: ResultsDoc; stale: ReadonlySet<string>; wallMs: WallMs | null } | null = null;

  constructor(
    public sort: TableSort | null,
    /** the user changed the sort: save it */
    private readonly changed: () => void,
  ) {
    this.el = h('details', 'sg-results');
    this.el.open = true;
    this.summary = h('summary');
    const table = h('table', 'sg-results-table');
    const head = h('thead');
    const tr = h('tr');
    for (const c of COLUMNS) {
      const th = h('th');
      th.dataset.col = c.col;
      if (c.numeric) th.className = 'sg-num';
      const b = button(c.label, `Sort by ${c.title}`, () => this.click(c.col), 'sg-sort');
      th.appendChild(b);
      tr.appendChild(th);
      this.heads.set(c.col, { th, b });
    }
    head.appendChild(tr);
    this.body = h('tbody');
    table.append(head, this.body);
    const wrap = h('div', 'sg-results-wrap');
    wrap.appendChild(table);
    this.el.append(this.summary, wrap);
  }

  private click(col: Column): void {
    this.sort = nextSort(this.sort, col);
    this.changed();
    if (this.last) this.update(this.last.doc, this.last.stale, this.last.wallMs);
  }

  update(doc: ResultsDoc, stale: ReadonlySet<string>, wallMs: WallMs | null = null): HTMLElement {
    this.last = { doc, stale, wallMs };
    const rows = sortRows(tableRows(doc, stale, wallMs), this.sort);
    setText(this.summary, `Results (${rows.length} run${rows.length === 1 ? '' : 's'})`);
    for (const c of COLUMNS) {
      const { th, b } = this.heads.get(c.col)!;
      const on = this.sort?.col === c.col ? this.sort.dir : null;
      setAttr(th, 'aria-sort', on === 'asc' ? 'ascending' : on === 'desc' ? 'descending' : 'none');
      setText(b, `${c.label}${on === 'asc' ? ' ▲' : on === 'desc' ? ' ▼' : ''}`);
    }
    const trs: HTMLElement[] = [];
    for (const row of rows) {
      let r = this.rows.get(row.run);
      if (!r) {
        const tr = h('tr');
        tr.dataset.run = row.run;
        // a click reveals the run's definition (navigate.ts)
        tr.title = 'Show the definition in the editor';
        const cells = COLUMNS.map((c) => h('td', c.numeric ? 'sg-num' : undefined));
        tr.append(...cells);
        r = { tr, cells };
        this.rows.set(row.run, r);
      }
      setClass(r.tr, `sg-result sg-result-${row.status}`);
      COLUMNS.forEach((c, i) => setText(r!.cells[i]!, cellText(row, c.col)));
      trs.push(r.tr);
    }
    for (const k of [...this.rows.keys()]) if (!(k in doc.runs)) this.rows.delete(k);
    syncChildren(this.body, trs);
    return this.el;
  }
}
