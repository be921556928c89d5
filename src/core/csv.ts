// Every series of a results document as one tidy CSV table (one row per value), the shape
// pandas / R / spreadsheets read without reshaping:
//   run,status,step,time,metric,index,value
// `index` is empty for scalar metrics and the 0-based component for vector metrics
// (sv_W1: the i-th largest singular value; gain, alignment: the coordinate / neuron).
// Family members add one column per swept parameter (lr, delta, seed, ...).
import type { ResultsDoc } from './wire/results';
import { csvText } from './csvText';

export function toCsv(doc: ResultsDoc): string {
  const runs = Object.entries(doc.runs);
  const memberCols = [...new Set(runs.flatMap(([, r]) => Object.keys(r.member ?? {})))].sort();
  const header = ['run', ...memberCols, 'status', 'step', 'time', 'metric', 'index', 'value'];
  // one string per (run, metric), every line ending in '\n': far fewer short-lived strings than
  // one per line, and each step's `step,time` is formatted once for all the metrics
  const parts = [header.join(',') + '\n'];
  for (const [key, r] of runs) {
    const runCols = [csvText(key), ...memberCols.map((c) => cell(r.member?.[c])), csvText(String(r.status))].join(',');
    const steps = r.step ?? [];
    const times = r.time ?? [];
    const at = steps.map((s, t) => `${runCols},${num(s)},${num(times[t])},`);
    for (const [metric, series] of Object.entries(r.metrics ?? {})) {
      const m = csvText(metric) + ',';
      let text = '';
      for (let t = 0; t < series.length && t < steps.length; t++) {
        // one prefix per (run, step, metric), then one line per component
        const pre = at[t] + m;
        const v = series[t];
        if (Array.isArray(v)) for (let i = 0; i < v.length; i++) text += `${pre}${i},${num(v[i])}\n`;
        else text += `${pre},${num(v)}\n`;
      }
      parts.push(text);
    }
  }
  return parts.join('');
}

function num(x: number | null | undefined): string {
  if (x === null || x === undefined) return '';
  // full precision: the CSV is data, not a display
  return Number.isFinite(x) ? String(x) : x > 0 ? 'inf' : x < 0 ? '-inf' : 'nan';
}

/** A member value: a number as a number; anything else (a merged or hand-written document) as text. */
function cell(x: unknown): string {
  return typeof x === 'number' || x === null || x === undefined ? num(x as number | null | undefined) : csvText(String(x));
}
