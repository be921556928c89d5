// In an untrusted workspace no csv(…) file is read: the checker says so at the path argument and
// no run gets the data, whatever would start one (opening a preview, saving, Run Now). This pass's
// server leaves workspace trust on, with a fresh user-data dir and browser profile, so the folder
// is not trusted; the workspace's own settings.json turning `security.workspace.trust.enabled`
// off changes nothing (an application setting: VS Code ignores it in workspace settings).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { api, built, closeAll, fixture, open, until } from '../helpers';

const FILE = 'data-watch.sgdexp';
const untrusted = () => assert.equal(vscode.workspace.isTrusted, false, 'the server of this pass must leave workspace trust on');

/** The lenses of the file, once the language server has analysed it. */
const lenses = (uri: vscode.Uri) =>
  until('the code lenses of the file', async () => {
    const ls = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri)) ?? [];
    return ls.length ? ls.map((l) => l.command?.title ?? '') : null;
  });

suite('untrusted workspace', () => {
  suiteSetup(async function () {
    await api();
    assert.ok(built('dist/server.js'), 'the extension is built (test/extension/run.sh builds it first)');
    await closeAll();
  });
  suiteTeardown(closeAll);

  test('VS Code holds the workspace untrusted and the extension is active in restricted mode', async () => {
    untrusted();
    assert.ok(vscode.extensions.getExtension('sgdexp.sgdexp')?.isActive);
  });

  test('the csv(…) path argument says the data file is not read, and why', async () => {
    untrusted();
    const uri = fixture(FILE);
    const editor = await open(FILE);
    // The server publishes a file's diagnostics when it opens it, before it answers any later
    // request: once it has answered for the lenses and the settings barrier, they are here.
    await lenses(uri);
    await (await api()).syncSettings();
    const all = vscode.languages.getDiagnostics(uri);
    const d = all.find((x) => /data file/.test(x.message));
    assert.ok(d, `a diagnostic about the data file; the file has: ${JSON.stringify(all.map((x) => x.message))}`);
    assert.match(d.message, /not read in an untrusted workspace/);
    assert.match(d.message, /trust the workspace/);
    assert.equal(d.severity, vscode.DiagnosticSeverity.Error);
    // exactly the string literal of `csv("data-watch.csv", …)`
    const line = editor.document.getText().split('\n').findIndex((l) => l.includes('csv("'));
    const text = editor.document.lineAt(line).text;
    assert.deepEqual(
      [d.range.start.line, d.range.start.character, d.range.end.line, d.range.end.character],
      [line, text.indexOf('"'), line, text.lastIndexOf('"') + 1],
    );
  });

  test('no run reads the data: not on opening the preview, on save, or on Run Now', async () => {
    untrusted();
    const a = await api();
    const uri = fixture(FILE);
    const editor = await open(FILE);
    // the preview asks the server for what it has and, unless run.on is manual, starts a run
    await vscode.commands.executeCommand('sgdexp.showPreviewToSide');
    await until('a preview of the file', () => a.previews().find((p) => p.uri === uri.toString() && p.ready));
    // saving an edit starts a run unless run.on is manual: untrusted, the settings force manual
    const doc = editor.document;
    assert.ok(await editor.edit((e) => e.insert(new vscode.Position(doc.lineCount, 0), '\n# saved in an untrusted workspace\n')));
    // (the browser workbench now and then refuses a save right after an edit: 4-runs.test.ts)
    for (let attempt = 1; !(await doc.save()); attempt++) assert.ok(attempt < 4, `saved ${FILE}`);
    // Run Now asks for trust instead (a warning with "Manage Workspace Trust"); dismissing the
    // warning ends the command
    let settled = false;
    const runNow = Promise.resolve(vscode.commands.executeCommand('sgdexp.runNow', uri)).finally(() => (settled = true));
    await until('Run Now to return once its warning is dismissed', async () => {
      if (!settled) await vscode.commands.executeCommand('notifications.clearAll');
      return settled;
    });
    await runNow;
    // a barrier: the server answers this after everything sent before it, and a run it had
    // started would have sent its first results before the answer
    await a.syncSettings();
    const r = a.latestResults(uri.toString());
    assert.ok(r, 'the preview holds the server\'s results for the file');
    const runs = Object.entries(r.doc.runs);
    console.log(`(untrusted: results revision ${r.revision}, runs {${runs.map(([k, v]) => `${k}: ${v.status}`).join(', ')}})`);
    // a run that got the data would be queued, running or finished, with steps once it ran
    for (const [name, run] of runs) {
      assert.ok(run.status === 'blocked' || run.status === 'error', `run ${name} is ${run.status}`);
      assert.equal(run.step.length, 0, `run ${name} recorded steps`);
    }
    const titles = await lenses(uri);
    assert.ok(titles.some((t) => /not run yet/.test(t)), titles.join(' | '));
    assert.ok(!titles.some((t) => /^✓|running|queued/.test(t)), titles.join(' | '));
  });

  // Granting trust (and seeing the data read then) needs the modal trust dialog answered: the
  // stable API has no way to grant trust from an extension, so that half is not tested here (the
  // trusted pass reads the same data file: 7-data.test.ts).
});
