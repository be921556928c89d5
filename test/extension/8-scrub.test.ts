import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { api, built, closeAll, fixture, open, until } from './helpers';

suite('scrubbing numbers', () => {
  suiteSetup(async () => {
    await api();
    assert.ok(built('dist/server.js'), 'the extension is built (test/extension/run.sh builds it first)');
    await closeAll();
  });
  suiteTeardown(closeAll);

  test('on lr = 0.02, Step the Number Up rewrites it as an undoable edit and the new value computes without a save', async () => {
    const a = await api();
    const uri = fixture('small.sgdexp');
    const editor = await open('small.sgdexp');
    const doc = editor.document;
    const put = (offset: number) => {
      const p = doc.positionAt(offset);
      editor.selection = new vscode.Selection(p, p);
    };
    // the context key the Alt+Up / Alt+Down bindings need follows the cursor
    put(doc.getText().indexOf('net  ='));
    await until('the key off a number', () => !a.cursorOnNumber());
    const at = doc.getText().indexOf('gd(lr = 0.02)') + 'gd(lr = 0.0'.length;
    put(at);
    await until('the key on the number', () => a.cursorOnNumber());

    const before = a.latestResults(uri.toString())?.revision ?? 0;
    assert.equal(await vscode.commands.executeCommand('sgdexp.scrubUp'), true);
    assert.ok(doc.getText().includes('gd(lr = 0.025)'), 'a stepsize steps along the 1, 1.2, 1.5, 2, 2.5 … ladder');
    assert.ok(doc.isDirty, 'an edit, not a save');
    assert.equal(doc.offsetAt(editor.selection.active), at, 'the cursor stays in the literal');
    const r = await until('final results of a new revision with lr = 0.025', () => {
      const m = a.latestResults(uri.toString());
      return m && m.final && m.revision > before && m.doc.runs.gd?.params.lr === 0.025 && m;
    });
    assert.equal(r.doc.runs.gd.status, 'done', r.doc.runs.gd.message ?? '');
    assert.equal(r.doc.runs.ln.params.lr, 0.02, 'the other run keeps its value');

    await vscode.commands.executeCommand('undo');
    assert.ok(doc.getText().includes('gd(lr = 0.02)'), 'one undo restores the literal');
    if (doc.isDirty) await vscode.commands.executeCommand('workbench.action.files.revert');
  });
});
