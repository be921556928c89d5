// The extension's settings (package.json `contributes.configuration`), read once per change and
// handed to the language server in the shape src/server/engine.ts expects
// (`EngineHost.settings`: { runOn, debounceMs, workers, cache, cacheMB }).
import * as vscode from 'vscode';

export type RunOn = 'save' | 'type' | 'manual';
export type PlotTheme = 'auto' | 'light' | 'dark' | 'high-contrast';

export interface ServerSettings {
  runOn: RunOn;
  debounceMs: number;
  workers: number;
  cache: boolean;
  cacheMB: number;
  theme: PlotTheme;
}

const RUN_ON: readonly RunOn[] = ['save', 'type', 'manual'];
const THEMES: readonly PlotTheme[] = ['auto', 'light', 'dark', 'high-contrast'];

function num(v: unknown, fallback: number, min: number, max: number): number {
  return typeof v === 'number' && Number.isFinite(v) ? Math.min(max, Math.max(min, v)) : fallback;
}

/** Reads the settings, replacing out-of-range or mistyped values by their defaults (a bad
 *  settings.json must never reach the server as NaN or an unknown mode). */
export function readSettings(scope?: vscode.ConfigurationScope): ServerSettings {
  const c = vscode.workspace.getConfiguration('sgdexp', scope);
  const runOn = c.get<string>('run.on');
  const theme = c.get<string>('plot.theme');
  return {
    runOn: RUN_ON.includes(runOn as RunOn) ? (runOn as RunOn) : 'save',
    debounceMs: num(c.get('run.debounceMs'), 400, 0, 10_000),
    workers: Math.round(num(c.get('workers'), 0, 0, 64)),
    cache: c.get('cache.enabled') !== false,
    cacheMB: num(c.get('cache.sizeMB'), 256, 0, 1 << 20),
    theme: THEMES.includes(theme as PlotTheme) ? (theme as PlotTheme) : 'auto',
  };
}
