import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { api, built, closeAll, fixture, open, until, workspaceDir } from './helpers';

const title = (l: vscode.CodeLens) => l.command?.title ?? '';

/** The final training loss the CodeLens above `r = train(…)` shows, once the run is done. */
async function lensLoss(uri: vscode.Uri): Promise<string | null> {
  const lenses = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri)) ?? [];
  for (const l of lenses) {
    const m = /^✓ .*loss ([^\s·]+)/.exec(title(l));
    if (m) return m[1]!;
  }
  return null;
}

suite('csv(…) data files', () => {
  suiteSetup(async function () {
    await api();
    assert.ok(built('dist/server.js'), 'the extension is built (test/extension/run.sh builds it first)');
    await closeAll();
  });
  suiteTeardown(closeAll);

  test('editing the CSV on disk re-runs the run that reads it, with no edit of the experiment', async () => {
    const uri = fixture('data-watch.sgdexp');
    const editor = await open('data-watch.sgdexp');
    assert.equal(vscode.languages.getDiagnostics(uri).filter((d) => d.severity === vscode.DiagnosticSeverity.Error).length, 0);
    await vscode.commands.executeCommand('sgdexp.runNow', uri);
    const before = await until('the first run of the data file to finish', () => lensLoss(uri));
    // new targets for the same inputs: another regression problem, another loss
    const csv = path.join(workspaceDir(), 'data-watch.csv');
    const rows = fs.readFileSync(csv, 'utf8').trim().split('\n');
    const edited = [rows[0], ...rows.slice(1).map((r) => {
      const [a, b] = r.split(',').map(Number);
      return `${a},${b},${(3 * a! - 2 * b!).toFixed(4)}`;
    })].join('\n') + '\n';
    fs.writeFileSync(csv, edited);
    const after = await until('a run on the edited data (the lens shows another final loss)', async () => {
      const l = await lensLoss(uri);
      return l !== null && l !== before ? l : null;
    });
    assert.notEqual(after, before);
    assert.equal(editor.document.isDirty, false, 'the experiment itself was not edited');
  });
});
