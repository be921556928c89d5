// One preview panel, modelled on VS Code's Markdown preview (extensions/markdown-language-features,
// src/preview/preview.ts): it shows one resource and follows the active editor unless locked. What
// its page is sent, and in which order (the ready handshake, revision guards, the delayed status,
// results as differences), is the PageOutbox's (outbox.ts); switching resource forgets it all.
import * as vscode from 'vscode';
import { readdirSync } from 'node:fs';
import type { FromWebview, ResultsMessage, StatusMessage, ToWebview } from '../../core/wire/protocol';
import type { ResultsDoc } from '../../core/wire/results';
import { PageOutbox } from './outbox';
import { validateFromWebview } from '../../core/wire/webviewMessages';
import { makeNonce, renderWebviewHtml } from '../webviewHtml';
import type { MessageLog } from '../messageLog';
import { readSettings } from '../settings';

export { PREVIEW_VIEW_TYPE } from '../viewType';

export interface PreviewState {
  uri: string;
  locked: boolean;
}

export interface PreviewHost {
  readonly extensionUri: vscode.Uri;
  readonly log: MessageLog;
  readonly theme: () => string;
  onMessage(preview: Preview, msg: FromWebview): void;
  onDispose(preview: Preview): void;
  onViewState(preview: Preview): void;
}

let nextId = 1;

export function webviewRoot(extensionUri: vscode.Uri): vscode.Uri {
  return vscode.Uri.joinPath(extensionUri, 'dist', 'webview');
}

export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions & vscode.WebviewPanelOptions {
  return {
    enableScripts: true,
    enableCommandUris: false,
    // the bundle and its stylesheet only: no workspace files, no extension sources
    localResourceRoots: [webviewRoot(extensionUri)],
  };
}

/** A document with no runs: the initial state of a page whose file has no results yet, so the
 *  page never shows what its panel showed for another file (webview state outlives page loads). */
function emptyDoc(uri: vscode.Uri): ResultsDoc {
  return { format: 'sgdexp-results', version: 1, file: uri.scheme === 'file' ? uri.fsPath : uri.toString(), seed: 0, runs: {}, plots: [] };
}

export class Preview implements vscode.Disposable {
  readonly id = nextId++;
  private readonly outbox: PageOutbox;
  private readonly disposables: vscode.Disposable[] = [];
  private disposed = false;
  /** nonce of the page currently loaded (tests check it is fresh per load) */
  nonce = '';
  loads = 0;
  /** the page's last `rendered` report (what it has drawn) */
  lastRendered: { revision: number; plots: number } | undefined;

  constructor(
    private readonly host: PreviewHost,
    readonly panel: vscode.WebviewPanel,
    private _resource: vscode.Uri,
    private _locked: boolean,
    /** results the page already holds (a revived panel's saved state) */
    initial?: ResultsMessage,
  ) {
    this.outbox = new PageOutbox({
      send: (msg, logged) => {
        if (this.disposed) return;
        const reused = msg.type === 'results' && msg.reuse ? msg.reuse.runs : undefined;
        this.host.log.add({ dir: 'to', panel: this.id, uri: this._resource.toString(), t: Date.now(), msg: logged, ...(reused ? { reused } : {}) });
        void this.panel.webview.postMessage(msg);
      },
      later: (fn, ms) => {
        const t = setTimeout(fn, ms);
        return () => clearTimeout(t);
      },
    }, initial);
    panel.webview.options = webviewOptions(host.extensionUri);
    panel.iconPath = vscode.Uri.joinPath(host.extensionUri, 'icons', 'sgdexp-preview.svg');
    this.disposables.push(
      panel.webview.onDidReceiveMessage((m: unknown) => this.receive(m)),
      panel.onDidDispose(() => this.dispose()),
      panel.onDidChangeViewState(() => {
        // A hidden panel's page is torn down (no retainContextWhenHidden); VS Code rebuilds it from
        // `webview.html` when shown, and the rebuilt page says `ready` again: queue until then.
        if (!panel.visible) this.outbox.hide();
        host.onViewState(this);
      }),
    );
    this.updateTitle();
    this.load();
  }

  get resource(): vscode.Uri {
    return this._resource;
  }
  get locked(): boolean {
    return this._locked;
  }
  get state(): PreviewState {
    return { uri: this._resource.toString(), locked: this._locked };
  }
  get results(): ResultsMessage | undefined {
    return this.outbox.results;
  }
  get isReady(): boolean {
    return this.outbox.isReady;
  }
  /** the newest node statuses offered (an edited, unsaved text's carry its lines) */
  get status(): StatusMessage | undefined {
    return this.outbox.status;
  }

  /** A message as if the page had posted it (validated and handled the same way): the
   *  extension-host tests cannot click inside the page's frame. */
  simulateFromPage(data: unknown): void {
    this.receive(data);
  }

  matches(uri: vscode.Uri): boolean {
    return this._resource.toString() === uri.toString();
  }

  /** (Re)loads the page with a new nonce; the page answers `ready` and gets the newest state. */
  load(): void {
    const webview = this.panel.webview;
    const root = webviewRoot(this.host.extensionUri);
    let css = 'webview.css';
    try {
      const all = readdirSync(root.fsPath).filter((f) => f.endsWith('.css')).sort();
      if (all.length && !all.includes(css)) css = all[0];
    } catch {
      /* no bundle: the page will say so through its own error path */
    }
    this.nonce = makeNonce();
    this.outbox.unload();
    this.lastRendered = undefined;
    this.loads++;
    // renderWebviewHtml checks each source of the list (`'self' https://*.vscode-cdn.net` in
    // recent VS Code) and throws on anything else: better no page than a weakened CSP
    webview.html = renderWebviewHtml({
      nonce: this.nonce,
      cspSource: webview.cspSource,
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(root, 'webview.js')).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(root, css)).toString(),
      // shipped in the page (data-state), read synchronously: the last results paint at once
      state: {
        ...this.state,
        theme: this.host.theme(),
        // the page's own export buttons draw in the theme Export Figures uses
        exportTheme: readSettings(this._resource).exportTheme,
        results: this.outbox.results ?? { uri: this._resource.toString(), revision: 0, final: false, doc: emptyDoc(this._resource) },
      },
      title: `Preview ${this.fileName}`,
    });
  }

  setResource(uri: vscode.Uri): void {
    if (this.matches(uri)) return;
    this._resource = uri;
    this.outbox.forget();
    this.updateTitle();
    // a fresh page: no plot of the previous file may linger next to the new one's
    this.load();
  }

  /** Forgets the resource's results (its document closed for good) and shows a blank page. */
  reset(): void {
    this.outbox.forget();
    this.load();
  }

  toggleLock(): void {
    this._locked = !this._locked;
    this.updateTitle();
    this.post({ type: 'message', level: 'info', text: this._locked ? 'Preview locked' : 'Preview unlocked' });
  }

  /** Offers results; returns false when they are for another file or older than what the panel
   *  has (dropped). */
  offerResults(m: ResultsMessage): boolean {
    return this.matches(vscode.Uri.parse(m.uri)) && this.outbox.offerResults(m);
  }

  offerStatus(m: StatusMessage): boolean {
    return this.matches(vscode.Uri.parse(m.uri)) && this.outbox.offerStatus(m);
  }

  post(msg: ToWebview): void {
    if (!this.disposed) this.outbox.post(msg);
  }

  private receive(data: unknown): void {
    const uri = this._resource.toString();
    const v = validateFromWebview(data);
    if (!v.ok) {
      this.host.log.add({ dir: 'rejected', panel: this.id, uri, t: Date.now(), msg: data, error: v.error });
      return;
    }
    const raw = v.value;
    this.host.log.add({ dir: 'from', panel: this.id, uri, t: Date.now(), msg: raw });
    if (raw.type === 'rendered') this.lastRendered = { revision: raw.revision, plots: raw.plots };
    if (raw.type === 'resync') this.outbox.resync();
    if (raw.type === 'ready') this.outbox.pageReady();
    this.host.onMessage(this, raw);
  }

  get fileName(): string {
    return this._resource.path.split('/').pop() || 'experiment';
  }

  private updateTitle(): void {
    this.panel.title = this._locked ? `[Preview] ${this.fileName}` : `Preview ${this.fileName}`;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.outbox.dispose();
    this.host.onDispose(this);
    this.panel.dispose();
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}
