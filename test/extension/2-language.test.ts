import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { api, built, fixture, open, until } from './helpers';

suite('language server', () => {
  suiteSetup(async function () {
    await api();
    if (!built('dist/server.js')) this.skip();
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
    // a correct file has no errors
    const ok = fixture('small.sgdexp');
    await open('small.sgdexp');
    await until('diagnostics of small.sgdexp published', async () => {
      await new Promise((r) => setTimeout(r, 300));
      return true;
    });
    assert.deepEqual(
      vscode.languages.getDiagnostics(ok).filter((d) => d.severity === vscode.DiagnosticSeverity.Error).map((d) => d.message),
      [],
    );
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
