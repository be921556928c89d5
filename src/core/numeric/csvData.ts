// A numeric CSV data file → its rows of numbers, or the first problem with the row and column
// where it is (1-based, as an editor shows them). Pure: reading the file, its path rules and its
// hash are the caller's (src/core/dataFiles.ts); the language sees only the result.
//
// Accepted: comma-separated numbers (JavaScript's Number syntax after trimming blanks, no empty
// field), one row a line, `\n` or `\r\n`, blank lines ignored, an optional header line of names.
// `header = auto`: the first line is a header iff one of its fields is not a number.

export const MAX_DATA_BYTES = 50 * 1024 * 1024;
export const MAX_DATA_ROWS = 1_000_000;

export type CsvHeader = 'auto' | 'yes' | 'no';

export type CsvParse =
  | { ok: true; rows: number[][]; names: string[] | null }
  | { ok: false; message: string; row?: number; col?: number };

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

export function parseCsvData(text: string, header: CsvHeader = 'auto'): CsvParse {
  const lines = text.split('\n');
  let names: string[] | null = null;
  const rows: number[][] = [];
  let width = -1;
  let first = true;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.replace(/\r$/, '');
    if (line.trim() === '') continue;
    const fields = line.split(',').map((f) => f.trim());
    const lineNo = i + 1;
    if (first) {
      first = false;
      const isHeader = header === 'yes' || (header === 'auto' && fields.some((f) => !NUMBER.test(f)));
      if (isHeader) {
        names = fields;
        width = fields.length;
        continue;
      }
    }
    if (width >= 0 && fields.length !== width) {
      return { ok: false, message: `row ${lineNo} has ${fields.length} columns, the ${names && rows.length === 0 ? 'header' : 'rows above'} ${width}`, row: lineNo, col: Math.min(fields.length, width) + 1 };
    }
    width = fields.length;
    const r = new Array<number>(fields.length);
    for (let j = 0; j < fields.length; j++) {
      const f = fields[j]!;
      if (!NUMBER.test(f)) return { ok: false, message: `row ${lineNo}, column ${j + 1}: ${f === '' ? 'an empty field' : `'${f.length > 20 ? f.slice(0, 20) + '…' : f}'`} is not a number`, row: lineNo, col: j + 1 };
      const v = Number(f);
      if (!Number.isFinite(v)) return { ok: false, message: `row ${lineNo}, column ${j + 1}: '${f}' is not a finite number`, row: lineNo, col: j + 1 };
      r[j] = v;
    }
    rows.push(r);
    if (rows.length > MAX_DATA_ROWS) return { ok: false, message: `more than ${MAX_DATA_ROWS} rows (row ${lineNo}): too large for a data set here`, row: lineNo, col: 1 };
  }
  if (rows.length === 0) return { ok: false, message: names ? 'the file has a header but no rows of numbers' : 'the file is empty', row: 1, col: 1 };
  return { ok: true, rows, names };
}

/** The split of a csv data set (numeric/data.ts): `ntest = round(test · rows)`, at least one row trained on. */
export function csvSplit(total: number, test: number): { n: number; ntest: number } {
  const ntest = Math.min(Math.max(0, Math.round(test * total)), total - 1);
  return { n: total - ntest, ntest };
}
