// Figure themes (VS Code's chart colours) and the stable colour of each legend entry.
import type { ResultsDoc } from '../results';
import { defOf, groupKey, seeded } from './runs';

export interface FigureTheme {
  kind: 'light' | 'dark' | 'high-contrast' | 'high-contrast-light';
  foreground: string;
  background: string;
  /** secondary text (notes, legend of theory) */
  muted: string;
  /** grid lines */
  grid: string;
  /** run colours: blue, red, green, orange, purple, teal, magenta, yellow, grey, brown. The
   *  first six are pairwise far apart (CIE76 ΔE ≥ 25; orange and yellow, ΔE ≈ 10 in the light
   *  theme, never both among them), and at most six series only ever use these (figureColors). */
  palette: string[];
  fontFamily: string;
  fontSize: number;
}

// VS Code's chart colours (--vscode-charts-*, yellow moved behind teal and magenta), then a few
// distinguishable extras.
export const LIGHT_THEME: FigureTheme = {
  kind: 'light',
  foreground: '#1f1f1f',
  background: '#ffffff',
  muted: '#616161',
  grid: '#d4d4d4',
  palette: ['#1a85ff', '#e51400', '#388a34', '#d18616', '#652d90', '#0f7c8c', '#c23b9a', '#bf8803', '#5c5c5c', '#8a6d3b'],
  fontFamily: 'system-ui, -apple-system, "Segoe UI", "DejaVu Sans", sans-serif',
  fontSize: 11,
};

export const DARK_THEME: FigureTheme = {
  kind: 'dark',
  foreground: '#cccccc',
  background: '#1f1f1f',
  muted: '#9d9d9d',
  grid: '#3c3c3c',
  palette: ['#3794ff', '#f14c4c', '#89d185', '#d18616', '#b180d7', '#4ec9b0', '#e07ec8', '#cca700', '#a0a0a0', '#c8a26b'],
  fontFamily: LIGHT_THEME.fontFamily,
  fontSize: 11,
};

// The high-contrast (dark) counterpart, for the `sgdexp.plot.theme` = "high-contrast" setting:
// white on black, VS Code's contrast border for the grid, saturated run colours.
export const HIGH_CONTRAST_THEME: FigureTheme = {
  kind: 'high-contrast',
  foreground: '#ffffff',
  background: '#000000',
  muted: '#d0d0d0',
  grid: '#6fc3df',
  palette: ['#3794ff', '#ff6b6b', '#89d185', '#ffa630', '#d18cff', '#00e5e5', '#ff7ad9', '#ffff00', '#ffffff', '#e0b070'],
  fontFamily: LIGHT_THEME.fontFamily,
  fontSize: 11,
};

/**
 * Legend entries of a document in order: run keys, with the members of a family over seeds
 * collapsed into one entry (they are drawn as one mean line with its spread).
 */
export function legendKeys(doc: ResultsDoc): string[] {
  const out: string[] = [];
  for (const [k, r] of Object.entries(doc.runs)) {
    const g = seeded(r) ? groupKey(k, r) : k;
    if (!out.includes(g)) out.push(g);
  }
  return out;
}

/**
 * Each optimiser kind's own palette slot: a GD run is blue, label noise red, SGD green, SGF
 * orange in every figure of every file, whatever the runs are called and in whatever order.
 */
export const OPTIMIZER_SLOT: Readonly<Record<string, number>> = { gd: 0, label_noise: 1, sgd: 2, sgf: 3 };

/** The optimiser kind of a legend key: a run key, a seed-group key or a definition (final plots). */
export function optimizerOf(doc: ResultsDoc, key: string): string | undefined {
  const direct = doc.runs[key];
  if (direct) return direct.optimizer;
  for (const [k, r] of Object.entries(doc.runs)) {
    if ((seeded(r) && groupKey(k, r) === key) || defOf(k, r) === key) return r.optimizer;
  }
  return undefined;
}

/**
 * The colours of a figure's legend keys (in its order). The first key of each optimiser kind takes
 * the kind's slot; every other key (a second GD run, the further members of a family, in family
 * order) the lowest slot no key of the figure holds yet. So n ≤ palette-length keys get n distinct
 * slots, and n ≤ 6 keys only slots 0–5 (the kinds' slots are among them), which are far apart.
 */
export function figureColors(doc: ResultsDoc, keys: string[], palette: string[]): Map<string, string> {
  const slot = new Map<string, number>();
  const taken = new Set<number>();
  for (const k of keys) {
    const s = OPTIMIZER_SLOT[optimizerOf(doc, k) ?? ''];
    if (s != null && s < palette.length && !taken.has(s)) { slot.set(k, s); taken.add(s); }
  }
  let next = 0, extra = 0;
  for (const k of keys) {
    if (slot.has(k)) continue;
    while (next < palette.length && taken.has(next)) next++;
    // more keys than colours: cycle (only beyond palette.length keys)
    const s = next < palette.length ? next : extra++ % palette.length;
    slot.set(k, s);
    taken.add(s);
  }
  return new Map(keys.map((k) => [k, palette[slot.get(k)!]!]));
}

/** Stable colours for the whole document: `figureColors` over every legend entry. */
export function runColors(doc: ResultsDoc, palette: string[]): Map<string, string> {
  return figureColors(doc, legendKeys(doc), palette);
}

/** The colour of a legend key; a final plot's group (a family without x and seed) takes its first member's. */
export function colorOf(colors: Map<string, string>, doc: ResultsDoc, key: string, palette: string[]): string {
  const c = colors.get(key);
  if (c) return c;
  for (const [k, r] of Object.entries(doc.runs)) {
    if (defOf(k, r) === key) {
      const cc = colors.get(seeded(r) ? groupKey(k, r) : k);
      if (cc) return cc;
    }
  }
  return palette[0]!;
}
