// Navigation both ways between the .sgdexp editor and its preview (src/extension/preview/navigate.ts):
// a `reveal` from the page selects the line in an editor of the file, never in the preview's group;
// the editor's cursor on a plot or run line posts `highlight` with the figures it designates. The
// page's clicks cannot be made from here (its frame is out of reach): the test API hands the
// extension the message the page would post (the page's half: test/webview/navigate.mjs).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { LogEntry } from '../../src/extension/messageLog';
import { api, built, closeAll, fixture, open, until } from './helpers';

type Highlight = Extract<LogEntry, { dir: 'to' }> & { msg: { type: 'highlight'; uri: string; line: number; plots: number[]; runs: string[] } };

suite('navigation between editor and preview', () => {
  const small = () => fixture('small.sgdexp');
  let panel = 0;

  suiteSetup(async () => {
    await api();
    assert.ok(built('dist/server.js') && built('dist/webview/webview.js'), 'the extension is built (test/extension/run.sh builds it first)');
    await closeAll();
  });
  suiteTeardown(closeAll);

  /** the preview of small.sgdexp beside its editor, drawn from final results (which carry the lines) */
  async function setUp() {
    const a = await api();
    const editor = await open('small.sgdexp', vscode.ViewColumn.One);
    await vscode.commands.executeCommand('sgdexp.showPreviewToSide');
    const p = await until('a ready preview', () => a.previews().find((x) => x.uri === small().toString() && x.ready && x.viewColumn === vscode.ViewColumn.Two));
    panel = p.id;
    await vscode.commands.executeCommand('sgdexp.runNow', small());
    const doc = await until('final results with plot lines', () => {
      const r = a.latestResults(small().toString());
      return r?.final && r.doc.plots.every((x) => x.line != null) && r.doc;
    });
    return { a, editor, doc };
  }

  /** Moves the cursor as a user would: through the workbench (a selection an extension sets
   *  itself raises no selection event in its own host). */
  async function moveCursor(editor: vscode.TextEditor, line: number) {
    await vscode.window.showTextDocument(editor.document, editor.viewColumn ?? vscode.ViewColumn.One);
    await vscode.commands.executeCommand('cursorTop');
    if (line > 0) await vscode.commands.executeCommand('cursorMove', { to: 'down', by: 'line', value: line });
    await until(`the cursor on line ${line + 1}`, () => vscode.window.activeTextEditor?.selection.active.line === line);
  }

  const lineOf = (editor: vscode.TextEditor, start: string) => {
    for (let i = 0; i < editor.document.lineCount; i++) if (editor.document.lineAt(i).text.startsWith(start)) return i;
    throw new Error(`no line starting with ${start}`);
  };

  test('a reveal from the page selects the plot line in the editor, and opens a closed file beside the preview', async () => {
    const { a, editor, doc } = await setUp();
    const plotLoss = lineOf(editor, 'plot loss');
    assert.equal(doc.plots[1]!.line, plotLoss + 1, 'the document has the 1-based line of the second plot');
    editor.selection = new vscode.Selection(0, 0, 0, 0);
    assert.ok(a.simulateFromPage(panel, { type: 'reveal', uri: small().toString(), line: doc.plots[1]!.line }));
    const shown = await until('the selection on the plot line', () => {
      const e = vscode.window.activeTextEditor;
      return e?.document.uri.toString() === small().toString() && e.selection.active.line === plotLoss && e;
    });
    assert.equal(shown.viewColumn, vscode.ViewColumn.One, 'revealed in the editor already showing the file');
    assert.equal(shown.document.getText(shown.selection), 'plot loss(gd, ln, y = log)', 'the statement selected');
    // the run's definition, as a Ctrl+click on its legend entry asks
    const ln = lineOf(editor, 'ln =');
    assert.ok(a.simulateFromPage(panel, { type: 'reveal', uri: small().toString(), line: doc.definitions!.ln!.line }));
    await until('the selection on the ln definition', () => vscode.window.activeTextEditor?.selection.active.line === ln);
    // a page may only point into its own file
    const before = vscode.window.activeTextEditor!.selection.active.line;
    a.simulateFromPage(panel, { type: 'reveal', uri: fixture('bad.sgdexp').toString(), line: 1 });
    assert.ok(!vscode.workspace.textDocuments.some((d) => d.uri.toString() === fixture('bad.sgdexp').toString() && vscode.window.visibleTextEditors.some((e) => e.document === d)));
    assert.equal(vscode.window.activeTextEditor!.selection.active.line, before);

    // the file closed: it opens in another group than the preview's
    await vscode.window.showTextDocument(editor.document, vscode.ViewColumn.One);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    await until('the editor closed', () => !vscode.window.visibleTextEditors.some((e) => e.document.uri.toString() === small().toString()));
    const previewColumn = a.previews().find((x) => x.id === panel)!.viewColumn;
    a.simulateFromPage(panel, { type: 'reveal', uri: small().toString(), line: doc.plots[0]!.line });
    const reopened = await until('the file shown again', () => vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === small().toString()));
    assert.notEqual(reopened.viewColumn, previewColumn, 'not in the preview\'s group');
    assert.equal(reopened.selection.active.line, doc.plots[0]!.line! - 1);
    assert.ok(a.previews().find((x) => x.id === panel)?.visible, 'the preview stays visible');
    await closeAll();
  });

  test('the cursor on a plot or run line posts a highlight of its figures to the preview', async () => {
    const { a, editor, doc } = await setUp();
    const highlights = (from: number) =>
      a.messages.entries.slice(from).filter((e): e is Highlight => e.dir === 'to' && e.panel === panel && e.msg.type === 'highlight');
    let from = a.messages.entries.length;
    const logdet = lineOf(editor, 'plot logdet');
    await moveCursor(editor, logdet);
    const h = await until('a highlight of the first figure', () => highlights(from)[0]);
    assert.deepEqual(h.msg, { type: 'highlight', uri: small().toString(), line: logdet + 1, plots: [0], runs: [] });
    assert.equal(doc.plots[0]!.line, logdet + 1);
    // a run's definition: its figures and its row
    from = a.messages.entries.length;
    const gd = lineOf(editor, 'gd =');
    await moveCursor(editor, gd);
    const g = await until('a highlight of gd', () => highlights(from)[0]);
    assert.deepEqual([g.msg.line, g.msg.plots, g.msg.runs], [gd + 1, [0, 1], ['gd']]);
    // a reveal from the page moves the cursor without the page being sent a highlight back
    from = a.messages.entries.length;
    assert.ok(a.simulateFromPage(panel, { type: 'reveal', uri: small().toString(), line: doc.plots[1]!.line }));
    await until('the selection on the second plot', () => vscode.window.activeTextEditor?.selection.active.line === doc.plots[1]!.line! - 1);
    // then a move of the user's own to the first plot is followed (and is the only highlight)
    await moveCursor(vscode.window.activeTextEditor!, logdet);
    await until('a highlight after the reveal', () => highlights(from).length > 0);
    assert.deepEqual(highlights(from).map((e) => e.msg.plots), [[0]], 'no highlight echoes the reveal');
  });

  test('with sgdexp.preview.scrollSync off the cursor posts no highlight; back on, it does', async () => {
    // a fresh panel: no highlight shown before in it (a repeat of the last one is never posted)
    await closeAll();
    const { a, editor } = await setUp();
    const highlights = (from: number) =>
      a.messages.entries.slice(from).filter((e): e is Highlight => e.dir === 'to' && e.panel === panel && e.msg.type === 'highlight');
    const cfg = vscode.workspace.getConfiguration('sgdexp');
    await cfg.update('preview.scrollSync', false, vscode.ConfigurationTarget.Workspace);
    try {
      await until('the setting read as off', () => vscode.workspace.getConfiguration('sgdexp', small()).get('preview.scrollSync') === false);
      const from = a.messages.entries.length;
      const followed = a.navigationFollows();
      const gd = lineOf(editor, 'gd =');
      await moveCursor(editor, gd);
      // the move handled (its rest on the gd line acted on): nothing may have been posted for it.
      // Not just any rest: the move passes line 1 (cursorTop), whose rest is acted on first when
      // the two commands are more than the rest delay apart (a loaded machine), and the gd
      // line's rest would then come later — with scrollSync back on, posting a highlight of gd.
      await until('the cursor move to the gd line handled', () => a.navigationFollows() > followed && a.navigationLastFollowed()?.line === gd + 1);
      assert.deepEqual(highlights(from).map((e) => e.msg.line), [], 'no highlight while scrollSync is off');
    } finally {
      await cfg.update('preview.scrollSync', undefined, vscode.ConfigurationTarget.Workspace);
    }
    // back on, a move is followed: the panel could have been sent one all along
    await until('the setting back on', () => vscode.workspace.getConfiguration('sgdexp', small()).get('preview.scrollSync') === true);
    const from = a.messages.entries.length;
    const logdet = lineOf(editor, 'plot logdet');
    await moveCursor(vscode.window.activeTextEditor!, logdet);
    const h = await until('a highlight with scrollSync on again', () => highlights(from)[0]);
    assert.deepEqual([h.msg.line, h.msg.plots], [logdet + 1, [0]]);
  });
});
