import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { api, built, closeAll, extensionRoot, fixture, open, until } from './helpers';

suite('preview', () => {
  suiteSetup(async () => {
    await api();
    await closeAll();
  });
  suiteTeardown(closeAll);

  test('Open Preview to the Side opens a locked-down panel beside the editor', async () => {
    const a = await api();
    await open('small.sgdexp', vscode.ViewColumn.One);
    await vscode.commands.executeCommand('sgdexp.showPreviewToSide');
    const p = await until('a preview', () => a.previews()[0]);
    assert.equal(a.previews().length, 1);
    assert.equal(p.uri, fixture('small.sgdexp').toString());
    assert.equal(p.locked, false);
    // the panel's column is settled asynchronously after creation
    await until(`the panel in column 2 (is ${a.previews()[0]?.viewColumn})`, () => a.previews()[0]?.viewColumn === vscode.ViewColumn.Two);
    // the editor keeps the focus, as with Markdown's preview to the side
    assert.equal(vscode.window.activeTextEditor?.document.uri.toString(), fixture('small.sgdexp').toString());
    // only the webview bundle may be loaded into the page
    assert.deepEqual(
      p.localResourceRoots.map((u) => vscode.Uri.parse(u).path),
      [vscode.Uri.file(path.join(extensionRoot(), 'dist', 'webview')).path],
    );
    assert.match(p.nonce, /^[A-Za-z0-9+/=]{16,}$/, 'a nonce of at least 16 base64 characters');
    // the tab model reaches this host in its own messages, not with the panel's view state
    await until('a tab titled "Preview small.sgdexp"', () => vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => t.label === 'Preview small.sgdexp'));
  });

  test('the page completes the ready handshake', async function () {
    assert.ok(built('dist/webview/webview.js'), 'the extension is built (test/extension/run.sh builds it first)');
    const a = await api();
    const p = a.previews()[0];
    await until('ready from the page', () => a.messages.entries.some((e) => e.dir === 'from' && e.panel === p.id && e.msg.type === 'ready'));
    assert.equal(a.messages.entries.filter((e) => e.dir === 'rejected').length, 0, 'no malformed message from the page');
  });

  test('an unlocked preview follows the active .sgdexp editor, with a fresh nonce per page load', async () => {
    const a = await api();
    const before = a.previews()[0];
    await open('bad.sgdexp', vscode.ViewColumn.One);
    const after = await until('the preview to follow bad.sgdexp', () => a.previews().find((p) => p.uri === fixture('bad.sgdexp').toString()));
    assert.equal(after.id, before.id, 'the same panel');
    assert.ok(after.loads > before.loads, 'the page was reloaded for the new file');
    assert.notEqual(after.nonce, before.nonce, 'a new nonce for the new page');
  });

  test('Toggle Preview Locking and Show Source act on the focused preview', async () => {
    const a = await api();
    const p = a.previews().find((x) => !x.locked);
    assert.ok(p, 'an unlocked preview');
    await vscode.commands.executeCommand('workbench.action.focusSecondEditorGroup');
    await until('the preview to be the active panel', () => a.previews().find((x) => x.id === p.id)?.active);
    await vscode.commands.executeCommand('sgdexp.toggleLock');
    try {
      assert.equal(a.previews().find((x) => x.id === p.id)?.locked, true);
      const name = p.uri.split('/').pop();
      await until(`a tab titled "[Preview] ${name}"`, () => vscode.window.tabGroups.all.flatMap((g) => g.tabs).some((t) => t.label === `[Preview] ${name}`));
    } finally {
      await vscode.commands.executeCommand('workbench.action.focusSecondEditorGroup');
      await until('the preview to be active', () => a.previews().find((x) => x.id === p.id)?.active);
      await vscode.commands.executeCommand('sgdexp.toggleLock');
    }
    assert.equal(a.previews().find((x) => x.id === p.id)?.locked, false);
    await vscode.commands.executeCommand('workbench.action.focusSecondEditorGroup');
    await until('the preview to be active again', () => a.previews().find((x) => x.id === p.id)?.active);
    await vscode.commands.executeCommand('sgdexp.showSource');
    await until('the source in the active editor', () => vscode.window.activeTextEditor?.document.uri.toString() === p.uri);
  });

  test('a locked preview stays on its file', async () => {
    const a = await api();
    await open('small.sgdexp', vscode.ViewColumn.One);
    await until('back on small', () => a.previews()[0]?.uri === fixture('small.sgdexp').toString());
    await vscode.commands.executeCommand('sgdexp.showLockedPreviewToSide');
    const locked = await until('a locked preview', () => a.previews().find((p) => p.locked));
    assert.equal(locked.uri, fixture('small.sgdexp').toString());
    // its own editor group: not a tab behind the unlocked preview beside the editor (column 2)
    await until(`the locked preview in a group of its own (columns: ${JSON.stringify(a.previews().map((p) => [p.locked, p.viewColumn]))})`, () => {
      const ps = a.previews();
      const l = ps.find((p) => p.id === locked.id)?.viewColumn;
      return l != null && l !== vscode.ViewColumn.One && ps.filter((p) => !p.locked).every((p) => p.viewColumn !== l);
    });
    await open('bad.sgdexp', vscode.ViewColumn.One);
    await until('the unlocked one to follow', () => a.previews().some((p) => !p.locked && p.uri === fixture('bad.sgdexp').toString()));
    assert.equal(a.previews().find((p) => p.id === locked.id)?.uri, fixture('small.sgdexp').toString(), 'the locked one did not move');
    // the tab model reaches this host in its own messages, not with the panel's view state
    const tabs = () => vscode.window.tabGroups.all.flatMap((g) => g.tabs).map((t) => t.label);
    await until('a tab titled "[Preview] small.sgdexp"', () => tabs().includes('[Preview] small.sgdexp'));
  });
});
