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
  /** run colours, cycled */
  palette: string[];
  fontFamily: string;
  fontSize: number;
}

// VS Code's chart colours (--vscode-charts-*), then a few distinguishable extras.
export const LIGHT_THEME: FigureTheme = {
  kind: 'light',
  foreground: '#1f1f1f',
  background: '#ffffff',
  muted: '#616161',
  grid: '#d4d4d4',
  palette: ['#1a85ff', '#e51400', '#388a34', '#d18616', '#652d90', '#bf8803', '#0f7c8c', '#c23b9a', '#5c5c5c', '#8a6d3b'],
  fontFamily: 'system-ui, -apple-system, "Segoe UI", "DejaVu Sans", sans-serif',
  fontSize: 11,
};

export const DARK_THEME: FigureTheme = {
  kind: 'dark',
  foreground: '#cccccc',
  background: '#1f1f1f',
  muted: '#9d9d9d',
  grid: '#3c3c3c',
  palette: ['#3794ff', '#f14c4c', '#89d185', '#d18616', '#b180d7', '#cca700', '#4ec9b0', '#e07ec8', '#a0a0a0', '#c8a26b'],
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
  palette: ['#3794ff', '#ff6b6b', '#89d185', '#ffa630', '#d18cff', '#ffff00', '#00e5e5', '#ff7ad9', '#ffffff', '#e0b070'],
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

/** Stable colours: one per legend entry, the same in every figure of the document. */
export function runColors(doc: ResultsDoc, palette: string[]): Map<string, string> {
  const m = new Map<string, string>();
  legendKeys(doc).forEach((k, i) => m.set(k, palette[i % palette.length]!));
  return m;
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

