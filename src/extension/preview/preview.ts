// One preview panel, modelled on VS Code's Markdown preview (extensions/markdown-language-features,
// src/preview/preview.ts): it shows one resource, follows the active editor unless locked, and only
// ever shows the newest results of that resource (revision guard: an older revision that arrives
// late is dropped, and switching resource forgets the old one's revision).
//
// Messages to the page wait for its `ready` handshake; of the waiting ones only the newest results
// and status are kept (latest wins). Every `ready` (first load, or a reload after the panel was
// hidden) re-sends the newest state, so the page never needs to have stored anything.
import * as vscode from 'vscode';
import { readdirSync } from 'node:fs';
import type { FromWebview, ResultsMessage, StatusMessage, ToWebview } from '../../core/wire/protocol';
import type { ResultsDoc } from '../../core/wire/results';
import { sameJson } from '../../core/sameJson';
import { makeAppend } from '../../core/wire/append';
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
const STATUS_DELAY_MS = 30;

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
  private ready = false;
  private pending: ToWebview[] = [];
  private latestResults: ResultsMessage | undefined;
  private latestStatus: StatusMessage | undefined;
  /** the results last posted to the current page load (a later message may reuse its runs) */
  private sent: ResultsMessage | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private disposed = false;
  /** nonce of the page currently loaded (tests check it is fresh per load) */
  nonce = '';
  loads = 0;
  private statusTimer: ReturnType<typeof setTimeout> | undefined;
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
    this.latestResults = initial;
    panel.webview.options = webviewOptions(host.extensionUri);
    panel.iconPath = vscode.Uri.joinPath(host.extensionUri, 'icons', 'sgdexp-preview.svg');
    this.disposables.push(
      panel.webview.onDidReceiveMessage((m: unknown) => this.receive(m)),
      panel.onDidDispose(() => this.dispose()),
      panel.onDidChangeViewState(() => {
        // A hidden panel's page is torn down (no retainContextWhenHidden); VS Code rebuilds it from
        // `webview.html` when shown, and the rebuilt page says `ready` again: queue until then.
        if (!panel.visible) this.ready = false;
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
    return this.latestResults;
  }
  get isReady(): boolean {
    return this.ready;
  }
  /** the newest node statuses offered (an edited, unsaved text's carry its lines) */
  get status(): StatusMessage | undefined {
    return this.latestStatus;
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
    this.ready = false;
    this.sent = undefined;
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
        results: this.latestResults ?? { uri: this._resource.toString(), revision: 0, final: false, doc: emptyDoc(this._resource) },
      },
      title: `Preview ${this.fileName}`,
    });
  }

  setResource(uri: vscode.Uri): void {
    if (this.matches(uri)) return;
    this._resource = uri;
    this.latestResults = undefined;
    this.latestStatus = undefined;
    this.pending = [];
    this.updateTitle();
    // a fresh page: no plot of the previous file may linger next to the new one's
    this.load();
  }

  /** Forgets the resource's results (its document closed for good) and shows a blank page. */
  reset(): void {
    this.latestResults = undefined;
    this.latestStatus = undefined;
    this.pending = [];
    this.load();
  }

  toggleLock(): void {
    this._locked = !this._locked;
    this.updateTitle();
    this.post({ type: 'message', level: 'info', text: this._locked ? 'Preview locked' : 'Preview unlocked' });
  }

  /** Offers results; returns false when they are older than what the panel has (dropped). */
  offerResults(m: ResultsMessage): boolean {
    if (!this.matches(vscode.Uri.parse(m.uri))) return false;
    const cur = this.latestResults;
    if (cur && (m.revision < cur.revision || (m.revision === cur.revision && cur.final && !m.final))) return false;
    this.latestResults = m;
    this.postResults(m);
    return true;
  }

  /**
   * Posts results, leaving out the runs that are exactly as in the results this page load was
   * last sent (RunReuse, protocol.ts): after an edit of a plot or of one run, the page is sent
   * only what changed. The log records the whole message, as the page will have it.
   */
  private postResults(m: ResultsMessage): void {
    const full: ToWebview = { type: 'results', uri: m.uri, revision: m.revision, final: m.final, doc: m.doc, ...(m.wallMs ? { wallMs: m.wallMs } : {}) };
    const base = this.ready ? this.sent : undefined;
    if (!base || base.uri !== m.uri) {
      if (this.ready) this.sent = m;
      this.post(full);
      return;
    }
    // within a revision a run's trajectory only grows: send the records added since (append.ts)
    // rather than compare or re-send the whole of it
    const grown = makeAppend({ revision: base.revision, runs: base.doc.runs }, m.revision, m.doc);
    const reused: string[] = [];
    const runs: ResultsDoc['runs'] = {};
    for (const [k, r] of Object.entries(m.doc.runs)) {
      if (grown && k in grown.append.from) runs[k] = grown.doc.runs[k];
      else if (base.doc.runs[k] && sameJson(base.doc.runs[k], r)) reused.push(k);
      else runs[k] = r;
    }
    this.sent = m;
    if (!reused.length && !grown) return this.post(full);
    const wire: ToWebview = {
      ...full,
      doc: { ...m.doc, runs },
      ...(reused.length ? { reuse: { revision: base.revision, runs: reused, order: Object.keys(m.doc.runs) } } : {}),
      ...(grown ? { append: grown.append } : {}),
    };
    this.post(wire, full);
  }

  offerStatus(m: StatusMessage): boolean {
    if (!this.matches(vscode.Uri.parse(m.uri))) return false;
    if (this.latestStatus && m.revision < this.latestStatus.revision) return false;
    this.latestStatus = m;
    // Status goes out a moment later than it came, newest only: after a save the server reports
    // node states just before the results, and the page would spend a frame drawing the old
    // revision's status before the new plots. Results go first; the graph view follows ≤ 30 ms later.
    if (!this.statusTimer) {
      this.statusTimer = setTimeout(() => {
        this.statusTimer = undefined;
        const s = this.latestStatus;
        if (s && this.matches(vscode.Uri.parse(s.uri))) this.post({ type: 'status', uri: s.uri, revision: s.revision, nodes: s.nodes });
      }, STATUS_DELAY_MS);
    }
    return true;
  }

  /** `logged`: what the page will hold once it applies `msg` (a results message with `reuse`
   *  is logged whole, with the left-out run keys in the entry's `reused`). */
  post(msg: ToWebview, logged: ToWebview = msg): void {
    if (this.disposed) return;
    if (!this.ready) {
      // latest wins among the queued results/status; messages and export requests keep their order
      this.pending = this.pending.filter((p) => p.type !== msg.type || (msg.type !== 'results' && msg.type !== 'status'));
      this.pending.push(logged);
      return;
    }
    const reused = msg.type === 'results' && msg.reuse ? msg.reuse.runs : undefined;
    this.host.log.add({ dir: 'to', panel: this.id, uri: this._resource.toString(), t: Date.now(), msg: logged, ...(reused ? { reused } : {}) });
    void this.panel.webview.postMessage(msg);
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
    if (raw.type === 'resync' && this.ready) {
      // the page could not complete a message from the runs it holds: send it everything
      this.sent = undefined;
      if (this.latestResults) this.postResults(this.latestResults);
    }
    if (raw.type === 'ready') {
      this.ready = true;
      const queued = this.pending.filter((p) => p.type !== 'results' && p.type !== 'status');
      this.pending = [];
      if (this.latestResults) this.postResults(this.latestResults);
      if (this.latestStatus) {
        const s = this.latestStatus;
        this.post({ type: 'status', uri: s.uri, revision: s.revision, nodes: s.nodes });
      }
      for (const q of queued) this.post(q);
    }
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
    if (this.statusTimer) clearTimeout(this.statusTimer);
    this.host.onDispose(this);
    this.panel.dispose();
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}
