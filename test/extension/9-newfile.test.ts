import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import type { LogEntry } from '../../src/extension/messageLog';
import { api, built, closeAll, fixture, until } from './helpers';

type ToResults = Extract<LogEntry, { dir: 'to' }> & { msg: { type: 'results' } };

suite('new files', () => {
  suiteSetup(async () => {
    await api();
    assert.ok(built('dist/server.js') && built('dist/webview/webview.js'), 'the extension is built (test/extension/run.sh builds it first)');
    await closeAll();
  });
  suiteTeardown(closeAll);

  test("an untitled file runs in the preview, and the next file given its name never gets its figures", async () => {
    const a = await api();
    const small = fs.readFileSync(fixture('small.sgdexp').fsPath, 'utf8');
    assert.ok(small.includes('gd(lr = 0.02)'), 'the fixture has gd(lr = 0.02)');
    // the name New Experiment gives an untitled file without a folder; VS Code reuses such names
    const uri = vscode.Uri.from({ scheme: 'untitled', path: 'fresh-experiment.sgdexp' });
    const openWith = async (text: string) => {
      const doc = await vscode.workspace.openTextDocument(uri);
      const ed = await vscode.window.showTextDocument(doc, vscode.ViewColumn.One);
      if (doc.languageId !== 'sgdexp') await vscode.languages.setTextDocumentLanguage(doc, 'sgdexp');
      assert.ok(await ed.edit((b) => b.insert(new vscode.Position(0, 0), text)));
      return doc;
    };
    const finalWith = (lr: number, after = 0) => {
      const m = a.latestResults(uri.toString());
      return m && m.final && m.revision > after && m.doc.runs.gd?.params.lr === lr && m;
    };

    await openWith(small);
    await vscode.commands.executeCommand('sgdexp.showPreviewToSide');
    const panel = (await until('a preview of the untitled file', () => a.previews().find((p) => p.uri === uri.toString()))).id;
    const first = await until('the untitled file run by its preview', () => finalWith(0.02));
    assert.equal(first.doc.runs.gd.status, 'done');

    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri), vscode.ViewColumn.One);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    await until('the untitled file closed', () => !vscode.workspace.textDocuments.some((d) => d.uri.toString() === uri.toString()));

    const mark = a.messages.entries.length;
    await openWith(small.replace('gd(lr = 0.02)', 'gd(lr = 0.03)'));
    const held = a.latestResults(uri.toString());
    assert.ok(!(held?.final && held.revision <= first.revision), 'the new file is not handed the closed one\'s final results');
    await until('the new file run under the same name', () => finalWith(0.03, first.revision));
    const foreign = a.messages.entries.slice(mark).find((e): e is ToResults =>
      e.dir === 'to' && e.panel === panel && e.msg.type === 'results' && e.msg.final && e.msg.revision <= first.revision);
    assert.equal(foreign, undefined, 'the preview was sent no final results of the closed file');

    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri), vscode.ViewColumn.One);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });
});
