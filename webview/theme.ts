// The figure theme. With the `sgdexp.plot.theme` setting at "auto" it comes from VS Code's CSS
// variables; colours are resolved to concrete values at render time (not `var(--…)` inside the
// SVG), so exported SVG/PNG files look like the preview. The variables can be missing on the very
// first paint (mhutchie/vscode-git-graph#51): fall back to the built-in light/dark themes per
// colour. With the setting at "light", "dark" or "high-contrast" the colours are that built-in
// palette whatever VS Code's theme is (the user asked for it, e.g. light figures for a paper while
// the editor is dark); only the font still follows VS Code.
import { DARK_THEME, HIGH_CONTRAST_THEME, LIGHT_THEME, type FigureTheme } from '../src/core/figures';

/** The `sgdexp.plot.theme` setting, as the extension ships it in the page's initial state. */
export type PlotThemeSetting = 'auto' | 'light' | 'dark' | 'high-contrast';

const FIXED: Record<Exclude<PlotThemeSetting, 'auto'>, FigureTheme> = {
  light: LIGHT_THEME,
  dark: DARK_THEME,
  'high-contrast': HIGH_CONTRAST_THEME,
};

/** The setting from untrusted state: anything unknown is "auto" (as settings.ts reads it). */
export function plotThemeSetting(v: unknown): PlotThemeSetting {
  return v === 'light' || v === 'dark' || v === 'high-contrast' ? v : 'auto';
}

export function themeKind(body: HTMLElement): FigureTheme['kind'] {
  const c = body.classList;
  if (c.contains('vscode-high-contrast-light')) return 'high-contrast-light';
  if (c.contains('vscode-high-contrast')) return 'high-contrast';
  if (c.contains('vscode-dark')) return 'dark';
  return 'light';
}

export function readTheme(doc: Document, setting: PlotThemeSetting = 'auto'): FigureTheme {
  const body = doc.body;
  const cs = getComputedStyle(body);
  const v = (name: string, fallback: string) => cs.getPropertyValue(name).trim() || fallback;
  const fixed = setting === 'auto' ? undefined : FIXED[setting];
  const kind = fixed?.kind ?? themeKind(body);
  const base = fixed ?? (kind === 'dark' || kind === 'high-contrast' ? DARK_THEME : LIGHT_THEME);
  const size = parseFloat(v('--vscode-font-size', '')) || base.fontSize + 1;
  const font = { fontFamily: v('--vscode-font-family', base.fontFamily), fontSize: Math.max(10, Math.min(14, size - 2)) };
  if (fixed) return { ...fixed, palette: [...fixed.palette], ...font };
  // slots as in the built-in palettes: yellow (close to orange) behind teal and magenta
  const chart = (c: string, i: number) => v(`--vscode-charts-${c}`, base.palette[i]!);
  const charts = [...['blue', 'red', 'green', 'orange', 'purple'].map(chart), base.palette[5]!, base.palette[6]!, chart('yellow', 7)];
  return {
    kind,
    foreground: v('--vscode-editor-foreground', v('--vscode-foreground', base.foreground)),
    background: v('--vscode-editor-background', base.background),
    muted: v('--vscode-descriptionForeground', base.muted),
    grid: v('--vscode-editorWidget-border', base.grid),
    palette: [...charts, ...base.palette.slice(8)],
    ...font,
  };
}
