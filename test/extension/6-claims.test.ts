import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { api, built, closeAll, fixture, open, until } from './helpers';

const label = (h: vscode.InlayHint) => (typeof h.label === 'string' ? h.label : h.label.map((p) => p.value).join(''));

suite('claims in the editor', () => {
  suiteSetup(async function () {
    await api();
    assert.ok(built('dist/server.js'), 'the extension is built (test/extension/run.sh builds it first)');
    await closeAll();
  });
  suiteTeardown(closeAll);

  test('after a run each `expect` line shows its verdict and values; a failed claim has a diagnostic', async () => {
    const uri = fixture('claims.sgdexp');
    const editor = await open('claims.sgdexp');
    const doc = editor.document;
    const lineOf = (prefix: string) => {
      for (let i = 0; i < doc.lineCount; i++) if (doc.lineAt(i).text.startsWith(prefix)) return i;
      throw new Error(`the fixture has a line ${prefix}`);
    };
    const held = lineOf('expect final(loss, gd) < max');
    const failed = lineOf('expect final(loss, gd) > 1e9');
    await vscode.commands.executeCommand('sgdexp.runNow', uri);
    const all = new vscode.Range(0, 0, doc.lineCount, 0);
    const hints = await until('a verdict beside both claims', async () => {
      const hs = (await vscode.commands.executeCommand<vscode.InlayHint[]>('vscode.executeInlayHintProvider', uri, all)) ?? [];
      const on = (line: number) => hs.find((h) => h.position.line === line && /^[✓✗⚠]/.test(label(h)));
      const a = on(held);
      const b = on(failed);
      return a && b ? { a, b } : null;
    });
    // ✓ with the measured values: `final(loss, gd) = … < max(loss, gd) = …`
    assert.match(label(hints.a), /^✓ final\(loss, gd\) = [-+\d.e−]+.* < max\(loss, gd\) = /);
    assert.match(label(hints.b), /^✗ final\(loss, gd\) = [-+\d.e−]+.* > 1e9/);
    assert.equal(hints.a.position.character, doc.lineAt(held).text.length, 'at the end of the expect line');
    const diag = await until('the diagnostic of the failed claim', () =>
      vscode.languages.getDiagnostics(uri).find((d) => d.range.start.line === failed && /does not hold/.test(d.message)));
    assert.equal(diag.severity, vscode.DiagnosticSeverity.Warning);
    assert.equal(
      vscode.languages.getDiagnostics(uri).filter((d) => d.range.start.line === held).length, 0,
      'a held claim has no diagnostic',
    );
  });
});
