// The extension's settings (package.json `contributes.configuration`), read once per change and
// handed to the language server in the shape src/server/engine.ts expects
// (src/core/settings.ts EditorSettings: { runOn, debounceMs, workers, cache, cacheMB, theme, trusted }).
import * as vscode from 'vscode';
import { clampSettings, type EditorSettings } from '../core/settings';

export type { PlotTheme, RunOn } from '../core/settings';
export type ServerSettings = EditorSettings;

/** Reads the settings, clamped to the manifest's bounds (a bad settings.json must never reach the
 *  server as NaN or an unknown mode); in an untrusted workspace runs start only after trust. */
export function readSettings(scope?: vscode.ConfigurationScope): ServerSettings {
  const c = vscode.workspace.getConfiguration('sgdexp', scope);
  return clampSettings({
    runOn: c.get('run.on'),
    debounceMs: c.get('run.debounceMs'),
    workers: c.get('workers'),
    cache: c.get('cache.enabled') !== false,
    cacheMB: c.get('cache.sizeMB'),
    theme: c.get('plot.theme'),
    trusted: vscode.workspace.isTrusted,
  });
}
