// Shared by the extension-host tests: poll instead of sleeping (lsp-sample's helper sleeps 2 s;
// Markdown's tests poll with waitFor), find fixtures, reach the extension's API.
import * as vscode from 'vscode';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { SgdexpApi } from '../../src/extension/api';

export const EXTENSION_ID = 'sgdexp.sgdexp';

/** Polls until `f` returns something truthy. The bound is a hang detector, in minutes: the
 *  suite must pass with both cores busy, where everything is slower but nothing is wrong. */
export async function until<T>(what: string, f: () => T | undefined | null | false | Promise<T | undefined | null | false>, timeoutMs = 5 * 60_000, everyMs = 50): Promise<T> {
  // a monotonic clock: a wall-clock jump (a fresh machine's NTP sync) must not trip the bound
  const t0 = performance.now();
  let last: unknown;
  for (;;) {
    try {
      const v = await f();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    if (performance.now() - t0 > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? ` (last error: ${String(last)})` : ''}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

export function workspaceDir(): string {
  const f = vscode.workspace.workspaceFolders?.[0];
  if (!f) throw new Error('the tests need a workspace folder (test/extension/workspace)');
  return f.uri.fsPath;
}

export function fixture(name: string): vscode.Uri {
  return vscode.Uri.file(path.join(workspaceDir(), name));
}

export async function open(name: string, column = vscode.ViewColumn.One): Promise<vscode.TextEditor> {
  const doc = await vscode.workspace.openTextDocument(fixture(name));
  return vscode.window.showTextDocument(doc, column);
}

export async function api(): Promise<SgdexpApi> {
  const ext = vscode.extensions.getExtension<SgdexpApi>(EXTENSION_ID);
  if (!ext) throw new Error(`extension ${EXTENSION_ID} is not loaded`);
  return ext.isActive ? ext.exports : await ext.activate();
}

/** Root of the extension under test (the repository). */
export function extensionRoot(): string {
  const ext = vscode.extensions.getExtension(EXTENSION_ID);
  if (!ext) throw new Error('extension not loaded');
  return ext.extensionUri.fsPath;
}

export function built(rel: string): boolean {
  return fs.existsSync(path.join(extensionRoot(), rel));
}

export async function closeAll(): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}

/** A machine-readable measurement line (picked up by run.sh and the benchmark). */
export function bench(name: string, value: number, unit = 'ms'): void {
  console.log(`bench ${name} ${value.toFixed(2)} ${unit}`);
}
