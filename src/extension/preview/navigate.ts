// Navigation both ways between a .sgdexp editor and its preview, by definition (the Markdown
// preview syncs by line; a figure has no line of its own, but its `plot` statement has):
//   page → editor: a `reveal {uri, line}` from the page (a click on a figure title, a legend entry,
//     a curve, a graph node, a run row) selects that line in an editor of the file, opened beside
//     the preview, never in the preview's own group;
//   editor → page: the cursor on a `plot` statement or a run's definition posts `highlight` with
//     the figures (and run rows) it designates (src/core/navigate.ts), once the cursor has rested
//     (sgdexp.preview.scrollSync).
import * as vscode from 'vscode';
import { targetsAt } from '../../core/navigate';
import type { Preview } from './preview';
import type { PreviewManager } from './previewManager';
import { readSettings } from '../settings';
import { isRevealEcho, type Revealed } from './echo';

/** the cursor rests this long on a line before the preview follows (arrow keys held down cross
 *  many lines: only the last one scrolls the page) */
const FOLLOW_DELAY_MS = 120;

export class PreviewNavigation implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** the line a reveal put the cursor on: the selection changes it causes are not echoed back to
   *  the page (a click on a legend entry would scroll the page away to the run's first figure) */
  private revealed: Revealed | undefined;
  /** per preview, the targets last highlighted: moving within one statement does not flash again */
  private readonly shown = new Map<number, string>();
  /** how many times the cursor's rest was acted on (highlight or not): lets a test know a move
   *  was handled, so that it can check no highlight followed without waiting for a time */
  follows = 0;
  /** the line (1-based) of the last rest acted on: a move passes other lines (a test's cursorTop,
   *  then down), whose rests may be acted on first and count in `follows` too */
  lastFollowed: { uri: string; line: number } | undefined;

  constructor(
    private readonly manager: PreviewManager,
    private readonly log: (text: string) => void,
  ) {
    this.disposables.push(
      manager.onDidReceive((p, m) => {
        if (m.type === 'reveal') void this.reveal(p, m.uri, m.line).catch((e: unknown) => this.log(`reveal line ${m.line}: ${e instanceof Error ? e.message : String(e)}`));
      }),
      vscode.window.onDidChangeTextEditorSelection((e) => this.onSelection(e)),
    );
  }

  /** Selects line `line` (1-based) of the preview's file in an editor and scrolls to it. */
  async reveal(p: Preview, uri: string, line: number): Promise<void> {
    // the page is untrusted input: it may only point into the file it previews
    if (uri !== p.resource.toString()) {
      this.log(`preview page asked to reveal ${uri}, not its own file ${p.resource.toString()}: ignored`);
      return;
    }
    const doc = await vscode.workspace.openTextDocument(p.resource);
    if (line > doc.lineCount) return; // lines of an older text, since shortened
    const text = doc.lineAt(line - 1);
    const selection = new vscode.Selection(line - 1, text.firstNonWhitespaceCharacterIndex, line - 1, text.range.end.character);
    const revealed: Revealed = { uri, anchor: selection.anchor, active: selection.active };
    this.revealed = revealed;
    const editor = await vscode.window.showTextDocument(doc, { viewColumn: this.editorColumn(p), selection, preserveFocus: false });
    // the echo comes from this editor: once it is closed, a new editor of the file moved to the
    // same line is the user's own move (seen: a reopened file whose cursor went to that line
    // soon after got no highlight)
    revealed.editor = editor;
    editor.revealRange(selection, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  }

  /** The group already showing the file (a visible editor, else a tab of it), else another group
   *  (where the user edits), else a new one beside the preview: never the preview's own. */
  private editorColumn(p: Preview): vscode.ViewColumn {
    const uri = p.resource.toString();
    const own = p.panel.viewColumn;
    const visible = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === uri && e.viewColumn !== undefined && e.viewColumn !== own);
    if (visible?.viewColumn) return visible.viewColumn;
    const groups = vscode.window.tabGroups.all.filter((g) => g.viewColumn !== own);
    const holding = groups.find((g) => g.tabs.some((t) => t.input instanceof vscode.TabInputText && t.input.uri.toString() === uri));
    // with the preview's the only group, it is the active one and Beside opens to its right
    return (holding ?? groups[0])?.viewColumn ?? vscode.ViewColumn.Beside;
  }

  private onSelection(e: vscode.TextEditorSelectionChangeEvent): void {
    const doc = e.textEditor.document;
    if (doc.languageId !== 'sgdexp' || !e.selections.length) return;
    const uri = doc.uri.toString();
    const sel = e.selections[0]!;
    const line = sel.active.line;
    if (isRevealEcho(this.revealed, { uri, editor: e.textEditor, anchor: sel.anchor, active: sel.active })) return;
    this.revealed = undefined;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.follow(doc.uri, line + 1);
    }, FOLLOW_DELAY_MS);
  }

  /** Posts `highlight` to each shown preview of `uri` where line `line` (1-based) designates something. */
  private follow(uri: vscode.Uri, line: number): void {
    this.follows++;
    this.lastFollowed = { uri: uri.toString(), line };
    if (!readSettings(uri).scrollSync) return;
    for (const p of this.manager.all) {
      if (!p.matches(uri) || !p.panel.visible || !p.isReady) continue;
      const t = targetsAt({ doc: p.results?.doc, nodes: p.status?.nodes }, line);
      const key = t ? JSON.stringify(t) : '';
      if (this.shown.get(p.id) === key) continue;
      this.shown.set(p.id, key);
      if (t) p.post({ type: 'highlight', uri: uri.toString(), line, plots: t.plots, runs: t.runs });
    }
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}
