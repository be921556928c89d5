// Scrubbing numbers: Alt+Up / Alt+Down on a number literal of an .sgdexp file steps it (the rule:
// src/core/lang/scrub.ts) as an ordinary, undoable edit, and re-runs the file without a save.
// The keys keep VS Code's Move Line elsewhere: they are bound only while the context key
// `sgdexp.cursorOnNumber` holds, which this module keeps for the active editor.
import * as vscode from 'vscode';
import type { ServerClient } from './client';
import { readSettings } from './settings';

export const CURSOR_ON_NUMBER = 'sgdexp.cursorOnNumber';

// the step rule carries the built-ins table: loaded on the first cursor move in an .sgdexp file,
// not at activation
const lazyRule = () => require('../core/lang/scrub') as typeof import('../core/lang/scrub');

export interface Scrubber extends vscode.Disposable {
  /** the value of the context key, as last set */
  readonly onNumber: boolean;
}

export function registerScrub(server: ServerClient, onRun: (uri: vscode.Uri) => void): Scrubber {
  let onNumber = false;
  const setKey = (v: boolean) => {
    if (v === onNumber) return;
    onNumber = v;
    void vscode.commands.executeCommand('setContext', CURSOR_ON_NUMBER, v);
  };
  /** One cursor (or a selection inside one literal) on a number of an .sgdexp editor. */
  const refresh = (ed: vscode.TextEditor | undefined) => {
    if (!ed || ed.document.languageId !== 'sgdexp' || ed.selections.length !== 1) return setKey(false);
    const sel = ed.selection;
    if (sel.start.line !== sel.end.line) return setKey(false);
    const lit = lazyRule().numberAt(ed.document.lineAt(sel.active.line).text, sel.active.character);
    setKey(lit !== null && sel.start.character >= lit.start && sel.end.character <= lit.end);
  };

  const step = async (dir: 1 | -1) => {
    const ed = vscode.window.activeTextEditor;
    if (!ed || ed.document.languageId !== 'sgdexp') return false;
    const doc = ed.document;
    const text = doc.getText();
    const rule = lazyRule();
    // every cursor on a number steps (one undo step for all), and stays where it was in its literal
    const edits: { range: vscode.Range; text: string; start: number; caret: number }[] = [];
    for (const sel of ed.selections) {
      const t = rule.scrubTarget(text, doc.offsetAt(sel.active));
      const next = t && rule.scrubbed(t.text, dir, t.mode);
      if (!t || !next || edits.some((e) => e.start === t.start)) continue;
      edits.push({ range: new vscode.Range(doc.positionAt(t.start), doc.positionAt(t.end)), text: next, start: t.start, caret: doc.offsetAt(sel.active) - t.start });
    }
    if (!edits.length) return false;
    const ok = await ed.edit((b) => edits.forEach((e) => b.replace(e.range, e.text)));
    if (!ok) return false;
    // new offsets: each literal shifted by the length changes of those before it
    edits.sort((x, y) => x.start - y.start);
    let shift = 0;
    ed.selections = edits.map((e) => {
      const at = doc.positionAt(e.start + shift + Math.min(e.caret, e.text.length));
      shift += e.text.length - (e.range.end.character - e.range.start.character);
      return new vscode.Selection(at, at);
    });
    // run.on = save: a scrub runs as a save would, without saving; type: the edit itself runs;
    // manual: nothing (and an untrusted workspace is manual). The server supersedes the runs of
    // the previous revision; runs whose key did not change are served from its caches.
    if (readSettings(doc.uri).runOn === 'save') {
      onRun(doc.uri);
      await server.runAsOnSave(doc.uri);
    }
    return true;
  };

  const subs = [
    vscode.window.onDidChangeTextEditorSelection((e) => e.textEditor === vscode.window.activeTextEditor && refresh(e.textEditor)),
    vscode.window.onDidChangeActiveTextEditor(refresh),
    vscode.commands.registerCommand('sgdexp.scrubUp', () => step(1)),
    vscode.commands.registerCommand('sgdexp.scrubDown', () => step(-1)),
  ];
  // off the activation path: the rule's first load parses the built-ins table
  setTimeout(() => refresh(vscode.window.activeTextEditor), 0);
  return {
    get onNumber() {
      return onNumber;
    },
    dispose: () => subs.forEach((d) => d.dispose()),
  };
}
