// Owns every preview panel, as MarkdownPreviewManager does (markdown-language-features,
// src/preview/previewManager.ts): opens or reuses a panel per resource and column, lets unlocked
// previews follow the active .sgdexp editor, routes the server's results/status to the panels
// showing that file, and revives panels after a reload (WebviewPanelSerializer) with the last
// results from the server's cache at once.
import * as vscode from 'vscode';
import type { FromWebview, ResultsMessage, StatusMessage } from '../../core/wire/protocol';
import type { MessageLog } from '../messageLog';
import type { ServerClient } from '../client';
import { readSettings } from '../settings';
import { validateResults } from '../validate';
import { lockedColumn } from './columns';
import { PREVIEW_VIEW_TYPE, Preview, type PreviewHost, type PreviewState, webviewOptions } from './preview';

export interface ShowOptions {
  sideBySide: boolean;
  locked: boolean;
}

export class PreviewManager implements vscode.WebviewPanelSerializer<PreviewState>, vscode.Disposable {
  private readonly previews = new Set<Preview>();
  /** newest results per uri from the server, so a preview switching files paints at once */
  private readonly latest = new Map<string, ResultsMessage>();
  private readonly latestStatus = new Map<string, StatusMessage>();
  private active: Preview | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly host: PreviewHost;
  private readonly messageHandlers: ((p: Preview, m: FromWebview) => void)[] = [];
  private readonly resultsEmitter = new vscode.EventEmitter<ResultsMessage>();
  /** every results message from the server, fired after the panels were offered it (Export
   *  Figures waits on it for a document's final results) */
  readonly onDidReceiveResults = this.resultsEmitter.event;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly client: ServerClient,
    log: MessageLog,
    theme: () => string,
  ) {
    this.host = {
      extensionUri: context.extensionUri,
      log,
      theme,
      onMessage: (p, m) => this.onMessage(p, m),
      onDispose: (p) => {
        this.previews.delete(p);
        if (this.active === p) this.setActive(undefined);
      },
      onViewState: (p) => {
        if (p.panel.active) this.setActive(p);
        else if (this.active === p) this.setActive(undefined);
      },
    };
    this.disposables.push(
      // (the serializer is registered by extension.ts at activation and forwards here; so are the
      // server's results and status, through onResults/onStatus)
      vscode.window.onDidChangeActiveTextEditor((e) => this.followEditor(e)),
      vscode.workspace.onDidCloseTextDocument((d) => d.uri.scheme === 'untitled' && this.forget(d.uri)),
      // a preview waiting for its document (revived before it opened, or reset below): it runs now
      vscode.workspace.onDidOpenTextDocument((d) => {
        if (d.languageId !== 'sgdexp') return;
        for (const p of this.previews) if (p.matches(d.uri) && !p.results) void this.feed(p);
      }),
    );
  }

  /**
   * An untitled document closed: its name (untitled:Untitled-1) goes to the next new file, which
   * must not be shown these results, as final, nor be thought to have run. Its previews go blank.
   */
  private forget(uri: vscode.Uri): void {
    this.latest.delete(uri.toString());
    this.latestStatus.delete(uri.toString());
    this.client.forget(uri);
    for (const p of this.previews) if (p.matches(uri)) p.reset();
  }

  get all(): readonly Preview[] {
    return [...this.previews];
  }
  get activePreview(): Preview | undefined {
    return this.active;
  }

  /** Whether a visible page shows this file (and will report drawing its results). */
  showing(uri: string): boolean {
    return [...this.previews].some((p) => p.panel.visible && p.isReady && p.resource.toString() === uri);
  }

  latestResults(uri: vscode.Uri): ResultsMessage | undefined {
    return this.latest.get(uri.toString());
  }

  onDidReceive(handler: (p: Preview, m: FromWebview) => void): vscode.Disposable {
    this.messageHandlers.push(handler);
    return new vscode.Disposable(() => this.messageHandlers.splice(this.messageHandlers.indexOf(handler), 1));
  }

  /** Open Preview / Open Preview to the Side / Open Locked Preview to the Side. */
  show(resource: vscode.Uri, opts: ShowOptions): Preview {
    const editorColumn = vscode.window.activeTextEditor?.viewColumn ?? vscode.ViewColumn.One;
    let column = opts.sideBySide ? vscode.ViewColumn.Beside : editorColumn;
    if (opts.locked && opts.sideBySide) {
      // a locked preview gets an editor group of its own (columns.ts), not a tab behind another preview
      const shown = [...this.previews].map((p) => p.panel.viewColumn).filter((c): c is vscode.ViewColumn => c != null);
      column = lockedColumn(editorColumn, vscode.window.tabGroups.all.map((g) => g.viewColumn), shown) ?? vscode.ViewColumn.Beside;
    }
    // reuse: a preview of this resource with the same lock mode, or an unlocked one to retarget
    let preview =
      [...this.previews].find((p) => p.matches(resource) && p.locked === opts.locked) ??
      (opts.locked ? undefined : [...this.previews].find((p) => !p.locked));
    if (preview) {
      preview.setResource(resource);
      preview.panel.reveal(opts.sideBySide ? preview.panel.viewColumn : column, opts.sideBySide);
    } else {
      const panel = vscode.window.createWebviewPanel(
        PREVIEW_VIEW_TYPE,
        'Preview',
        { viewColumn: column, preserveFocus: opts.sideBySide },
        webviewOptions(this.context.extensionUri),
      );
      preview = this.add(panel, resource, opts.locked);
    }
    void this.feed(preview);
    return preview;
  }

  /** WebviewPanelSerializer: VS Code restores a panel after a reload. `state` is what the page
   *  stored with setState (it receives {uri, locked} in the page data); the workspace memento is
   *  the fallback when the page never got to store it. */
  deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown): Promise<void> {
    const s = state as (Partial<PreviewState> & { results?: unknown }) | undefined;
    const memo = this.context.workspaceState.get<PreviewState>('sgdexp.lastPreview');
    const uriText = typeof s?.uri === 'string' ? s.uri : memo?.uri;
    if (!uriText) {
      panel.dispose();
      return Promise.resolve();
    }
    const uri = vscode.Uri.parse(uriText);
    // the page's own snapshot of its last results: drawn at once, before the server is up
    const saved = s?.results ? validateResults(s.results) : undefined;
    const initial = saved?.ok && saved.value.uri === uri.toString() ? saved.value : undefined;
    if (initial && !this.latest.has(initial.uri)) this.latest.set(initial.uri, initial);
    const preview = this.add(panel, uri, s?.locked === true || (!s?.uri && memo?.locked === true), initial);
    // resolve at once: the page already paints `initial`; fresher results follow when the server is up
    void this.feed(preview);
    return Promise.resolve();
  }

  private add(panel: vscode.WebviewPanel, resource: vscode.Uri, locked: boolean, initial?: ResultsMessage): Preview {
    const p = new Preview(this.host, panel, resource, locked, initial ?? this.latest.get(resource.toString()));
    this.previews.add(p);
    if (panel.active) this.setActive(p);
    void this.context.workspaceState.update('sgdexp.lastPreview', p.state);
    return p;
  }

  /** Gives a preview the newest results known for its resource: from memory, else from the
   *  server's cache (getResults), without waiting for a new run. Then, unless runs are manual,
   *  asks for a run as a save would: what is cached comes back at once, the rest computes (the
   *  server only shows cached results when a file is opened; a preview is a request to see it). */
  private async feed(p: Preview): Promise<void> {
    const uri = p.resource;
    const known = this.latest.get(uri.toString());
    if (known) p.offerResults(known);
    const st = this.latestStatus.get(uri.toString());
    if (st) p.offerStatus(st);
    try {
      if (!known?.final) {
        const cached = await this.client.getResults(uri);
        // superseded while asked (a newer revision's status came first): the newer results follow,
        // and the page, which keeps the newest revision it saw, would drop these anyway
        if (cached && p.matches(uri) && !this.client.superseded(cached)) this.onResults(cached);
      }
      if (readSettings(uri).runOn !== 'manual' && !this.latest.get(uri.toString())?.final && p.matches(uri)) {
        // the server knows only documents open in an editor; an unopened file has nothing to run
        await this.client.runAsOnSave(uri);
      }
    } catch (e) {
      this.client.log(`preview ${uri.toString()}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  private followEditor(editor: vscode.TextEditor | undefined): void {
    if (!editor || editor.document.languageId !== 'sgdexp') return;
    for (const p of this.previews) {
      if (!p.locked && !p.matches(editor.document.uri)) {
        p.setResource(editor.document.uri);
        void this.feed(p);
        void this.context.workspaceState.update('sgdexp.lastPreview', p.state);
      }
    }
  }

  onResults(m: ResultsMessage): void {
    const cur = this.latest.get(m.uri);
    if (!cur || m.revision > cur.revision || (m.revision === cur.revision && (m.final || !cur.final))) this.latest.set(m.uri, m);
    for (const p of this.previews) p.offerResults(m);
    this.resultsEmitter.fire(m);
  }

  onStatus(m: StatusMessage): void {
    const cur = this.latestStatus.get(m.uri);
    if (!cur || m.revision >= cur.revision) this.latestStatus.set(m.uri, m);
    for (const p of this.previews) p.offerStatus(m);
  }

  private onMessage(p: Preview, m: FromWebview): void {
    if (m.type === 'cancel') void this.client.cancel(p.resource);
    for (const h of [...this.messageHandlers]) h(p, m);
  }

  private setActive(p: Preview | undefined): void {
    this.active = p;
    void vscode.commands.executeCommand('setContext', 'sgdexpPreviewFocus', p !== undefined);
  }

  /** Reload every page (e.g. after the plot theme changed). */
  reloadAll(): void {
    for (const p of this.previews) p.load();
  }

  dispose(): void {
    this.resultsEmitter.dispose();
    for (const p of [...this.previews]) p.dispose();
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}
