import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import * as path from 'node:path';
import { EXTENSION_ID, api, bench, built, open, until } from './helpers';

suite('activation', () => {
  test('opening a .sgdexp file gives it the sgdexp language and activates the extension; the server starts after activate() returned', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, 'extension present');
    // activation is lazy (activationEvents: onLanguage:sgdexp, onWebviewPanel): nothing of the
    // extension — language client included — runs in a window without an .sgdexp document
    assert.equal(ext.isActive, false, 'the extension was active before any .sgdexp document was opened');
    const editor = await open('small.sgdexp');
    assert.equal(editor.document.languageId, 'sgdexp');
    await until('activation on the sgdexp language', () => ext.isActive);
    const a = await api();
    // the activation budget is 50 ms; measured here and in scripts/bench-extension.mjs, not asserted
    // (timings are benchmarks, not tests). What is asserted: activate() did not wait for the
    // server — its start was first requested after activate() had returned — and the server
    // then comes up by itself, with nobody asking (diagnostics need it).
    bench('activation', a.activationMs);
    if (built('dist/server.js')) {
      const asked = await until('a request to start the server', () => a.serverStartRequestedAt());
      assert.ok(asked >= a.activatedAt, `the server start was requested ${(a.activatedAt - asked).toFixed(1)} ms before activate() returned`);
      await until('the server to run without a startServer() call', () => a.serverRunning());
    }
  });

  test('every contributed command is registered', async () => {
    await api();
    const all = new Set(await vscode.commands.getCommands(true));
    for (const c of [
      'sgdexp.showPreview', 'sgdexp.showPreviewToSide', 'sgdexp.showLockedPreviewToSide', 'sgdexp.toggleLock',
      'sgdexp.showSource', 'sgdexp.runNow', 'sgdexp.cancel', 'sgdexp.exportFigures', 'sgdexp.newExperiment',
    ]) assert.ok(all.has(c), `command ${c} registered`);
  });

  test('settings have their documented defaults (workspace sets workers = 1)', () => {
    const c = vscode.workspace.getConfiguration('sgdexp');
    assert.equal(c.get('run.on'), 'save');
    assert.equal(c.get('cache.enabled'), true);
    assert.equal(typeof c.get('run.debounceMs'), 'number');
    assert.equal(typeof c.get('cache.sizeMB'), 'number');
    assert.equal(c.get('plot.theme'), 'auto');
    assert.equal(c.get('workers'), 1);
  });

  test('New Experiment creates a file with a proper name, never its first comment line', async () => {
    const created: vscode.Uri[] = [];
    try {
      const doc = (await vscode.commands.executeCommand('sgdexp.newExperiment', { template: 'diagonal-gain', ask: false })) as vscode.TextDocument;
      assert.ok(doc, 'a document');
      created.push(doc.uri);
      assert.equal(doc.languageId, 'sgdexp');
      assert.equal(doc.uri.scheme, 'file', 'created in the workspace, so it saves and runs like any file');
      assert.equal(path.basename(doc.uri.fsPath), 'diag-sgd-vs-gd.sgdexp');
      assert.equal(doc.isDirty, false);
      assert.match(doc.getText(), /^# Diagonal linear network/);
      // the name is free: a second one is numbered
      const again = (await vscode.commands.executeCommand('sgdexp.newExperiment', { template: 'diagonal-gain', ask: false })) as vscode.TextDocument;
      created.push(again.uri);
      assert.equal(path.basename(again.uri.fsPath), 'diag-sgd-vs-gd-2.sgdexp');
      // a name given (as the input box would) gets its extension
      const named = (await vscode.commands.executeCommand('sgdexp.newExperiment', { template: 'two-layer-linear', name: 'my first run' })) as vscode.TextDocument;
      created.push(named.uri);
      assert.equal(path.basename(named.uri.fsPath), 'my first run.sgdexp');
      assert.match(named.getText(), /label_noise\(/);
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      for (const u of created) await vscode.workspace.fs.delete(u).then(undefined, () => undefined);
    }
  });
});
