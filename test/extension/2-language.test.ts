import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { api, built, fixture, open, until } from './helpers';

suite('language server', () => {
  suiteSetup(async function () {
    await api();
    assert.ok(built('dist/server.js'), 'the extension is built (test/extension/run.sh builds it first)');
  });

  test('the server starts after activation and reports diagnostics in the Problems view', async () => {
    const a = await api();
    assert.equal(await a.startServer(), true, 'server started');
    const uri = fixture('bad.sgdexp');
    await open('bad.sgdexp');
    const diags = await until('a diagnostic for bad.sgdexp', () => {
      const d = vscode.languages.getDiagnostics(uri);
      return d.length ? d : null;
    });
    // `gd = train(nte, ...)` on line 3: `nte` is not defined
    const err = diags.find((d) => d.severity === vscode.DiagnosticSeverity.Error && d.range.start.line === 3);
    assert.ok(err, `an error on line 4; got ${JSON.stringify(diags.map((d) => [d.range.start.line, d.message]))}`);
    assert.match(err.message, /nte/);
    assert.equal(err.range.start.character, 'gd = train('.length);
    // A correct file has no errors. "No diagnostics" is also what a server that never checked the
    // file would leave, so wait for a positive signal: the file with one mistake gets its error,
    // and the same text with the mistake fixed gets a new publication without it (an untitled
    // document: no file on disk is touched, it closes without a save prompt).
    const good = fs.readFileSync(fixture('small.sgdexp').fsPath, 'utf8');
    const typo = good.replace('gd = train(net,', 'gd = train(nte,');
    assert.notEqual(typo, good, 'the fixture has `gd = train(net,`');
    const doc = await vscode.workspace.openTextDocument({ language: 'sgdexp', content: typo });
    await vscode.window.showTextDocument(doc);
    try {
      const mentions = () => vscode.languages.getDiagnostics(doc.uri).filter((d) => /\bnte\b/.test(d.message));
      await until('the error of the misspelt file', () => mentions().length > 0);
      const i = typo.indexOf('train(nte,') + 'train('.length;
      const edit = new vscode.WorkspaceEdit();
      edit.replace(doc.uri, new vscode.Range(doc.positionAt(i), doc.positionAt(i + 3)), 'net');
      assert.ok(await vscode.workspace.applyEdit(edit));
      assert.equal(doc.getText(), good, 'the edited document is small.sgdexp again');
      await until('the fixed file re-checked (its error withdrawn)', () => mentions().length === 0);
      assert.deepEqual(
        vscode.languages.getDiagnostics(doc.uri).filter((d) => d.severity === vscode.DiagnosticSeverity.Error).map((d) => d.message),
        [],
      );
    } finally {
      await vscode.window.showTextDocument(doc);
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    }
  });

  test('completion offers the built-ins through vscode.executeCompletionItemProvider', async () => {
    const editor = await open('small.sgdexp');
    const line = editor.document.lineAt(3).text; // data = teacher(n = 40, p = 3, k = 1)
    const col = line.indexOf('teacher') + 2;
    assert.ok(col > 2, `fixture line: ${line}`);
    const list = await until('completion items', async () => {
      const l = await vscode.commands.executeCommand<vscode.CompletionList>(
        'vscode.executeCompletionItemProvider',
        editor.document.uri,
        new vscode.Position(3, col),
      );
      return l && l.items.length ? l : null;
    });
    const labels = list.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
    for (const b of ['teacher', 'sparse']) assert.ok(labels.includes(b), `${b} in ${labels.slice(0, 30).join(', ')}`);
  });
});
