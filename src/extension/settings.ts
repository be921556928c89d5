// The extension's settings (package.json `contributes.configuration`), read once per change and
// handed to the language server in the wire shape (src/core/wire/settings.ts: one set of
// defaults and ranges for the client and the server).
import * as vscode from 'vscode';
import { normalizeSettings, SETTING_KEYS, SETTING_SCOPES, type ServerSettings } from '../core/wire/settings';

export type { ExportTheme, PlotTheme, RunOn, ServerSettings } from '../core/wire/settings';

/** Reads the settings, clamped to their ranges with mistyped values replaced by their defaults
 *  (a bad settings.json must never reach the server as NaN or an unknown mode); in an untrusted
 *  workspace runs start only after trust. */
export function readSettings(scope?: vscode.ConfigurationScope): ServerSettings {
  // a window-scoped setting read for a resource makes VS Code warn: each is read in its own scope
  const forResource = vscode.workspace.getConfiguration('sgdexp', scope);
  const forWindow = vscode.workspace.getConfiguration('sgdexp');
  const raw = Object.fromEntries(Object.entries(SETTING_KEYS).map(([field, key]) =>
    [field, (SETTING_SCOPES[field as keyof typeof SETTING_SCOPES] === 'resource' ? forResource : forWindow).get(key)]));
  return normalizeSettings({ ...raw, trusted: vscode.workspace.isTrusted });
}
