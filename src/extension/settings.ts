// The extension's settings (package.json `contributes.configuration`), read once per change and
// handed to the language server in the wire shape (src/core/wire/settings.ts: one set of
// defaults and ranges for the client and the server).
import * as vscode from 'vscode';
import { normalizeSettings, SETTING_KEYS, type ServerSettings } from '../core/wire/settings';

export type { PlotTheme, RunOn, ServerSettings } from '../core/wire/settings';

/** Reads the settings, clamped to their ranges with mistyped values replaced by their defaults
 *  (a bad settings.json must never reach the server as NaN or an unknown mode); in an untrusted
 *  workspace runs start only after trust. */
export function readSettings(scope?: vscode.ConfigurationScope): ServerSettings {
  const c = vscode.workspace.getConfiguration('sgdexp', scope);
  const raw = Object.fromEntries(Object.entries(SETTING_KEYS).map(([field, key]) => [field, c.get(key)]));
  return normalizeSettings({ ...raw, trusted: vscode.workspace.isTrusted });
}
