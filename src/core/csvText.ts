// One text cell of a CSV file, as the CLI's tidy CSV (src/cli/csv.ts) and the figures' CSV
// export (src/core/figures/data.ts) write it.
//
// RFC 4180 quoting for text holding a quote, comma or line break (keys like `gd[lr=0.1,batch=1]`),
// and a leading `'` on text a spreadsheet would evaluate as a formula: text starting with
// = + - @, a tab or a carriage return (the OWASP rule against CSV injection; run keys and titles
// can come from a merged or hand-written results document). Text that is a plain number, such as
// -1.5, keeps its sign: a spreadsheet reads it as a number, not a formula.
const FORMULA_START = /^[=+\-@\t\r]/;
const PLAIN_NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

export function csvText(s: string): string {
  const t = FORMULA_START.test(s) && !PLAIN_NUMBER.test(s) ? `'${s}` : s;
  return /[",\n\r]/.test(t) ? `"${t.replace(/"/g, '""')}"` : t;
}
