// The figure theme from VS Code's CSS variables. Colours are resolved to concrete values at render
// time (not `var(--…)` inside the SVG), so exported SVG/PNG files look like the preview. The
// variables can be missing on the very first paint (mhutchie/vscode-git-graph#51): fall back to
// the built-in light/dark themes per colour.
import { DARK_THEME, LIGHT_THEME, type FigureTheme } from '../src/core/figures';

export function themeKind(body: HTMLElement): FigureTheme['kind'] {
  const c = body.classList;
  if (c.contains('vscode-high-contrast-light')) return 'high-contrast-light';
  if (c.contains('vscode-high-contrast')) return 'high-contrast';
  if (c.contains('vscode-dark')) return 'dark';
  return 'light';
}

export function readTheme(doc: Document): FigureTheme {
  const body = doc.body;
  const kind = themeKind(body);
  const base = kind === 'dark' || kind === 'high-contrast' ? DARK_THEME : LIGHT_THEME;
  const cs = getComputedStyle(body);
  const v = (name: string, fallback: string) => cs.getPropertyValue(name).trim() || fallback;
  const charts = ['blue', 'red', 'green', 'orange', 'purple', 'yellow'].map((c, i) => v(`--vscode-charts-${c}`, base.palette[i]!));
  const size = parseFloat(v('--vscode-font-size', '')) || base.fontSize + 1;
  return {
    kind,
    foreground: v('--vscode-editor-foreground', v('--vscode-foreground', base.foreground)),
    background: v('--vscode-editor-background', base.background),
    muted: v('--vscode-descriptionForeground', base.muted),
    grid: v('--vscode-editorWidget-border', base.grid),
    palette: [...charts, ...base.palette.slice(6)],
    fontFamily: v('--vscode-font-family', base.fontFamily),
    fontSize: Math.max(10, Math.min(14, size - 2)),
  };
}
