// The language client, started lazily: `activate` returns at once and the server process is
// forked in the background (activation budget: 50 ms). vscode-languageclient is required inside
// `start()`, so esbuild's lazy CommonJS wrapper evaluates it only then.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { Methods, type CancelParams, type GetResultsParams, type ResultsMessage, type RunNowParams, type RunNowResult, type StatusMessage } from '../core/wire/protocol';
import { readSettings } from './settings';
import { validateResults, validateStatus } from './validate';
import { applyAppend } from '../core/wire/append';

export class ServerClient implements vscode.Disposable {
  private starting: Promise<LanguageClient | null> | undefined;
  private client: LanguageClient | undefined;
  private readonly onResultsEmitter = new vscode.EventEmitter<ResultsMessage>();
  private readonly onStatusEmitter = new vscode.EventEmitter<StatusMessage>();
  readonly onResults = this.onResultsEmitter.event;
  readonly onStatus = this.onStatusEmitter.event;
  /** messages from the server that failed validation (kept for tests and the output channel) */
  rejected = 0;
  /** partial results that came as deltas, and those that could not be completed (then fetched whole) */
  deltas = { applied: 0, resynced: 0 };
  /** the last complete results per uri: what the server's next delta continues */
  private readonly lastResults = new Map<string, ResultsMessage>();
  /** the newest revision the server has announced for each uri, by results or status */
  private readonly announced = new Map<string, number>();
  /** performance.now() of the first start() (tests check it comes after activate() returned) */
  startRequestedAt: number | undefined;
  private readonly output: vscode.OutputChannel;

  constructor(private readonly context: vscode.ExtensionContext) {
    this.output = vscode.window.createOutputChannel('SGD Experiments');
  }

  get running(): boolean {
    return this.client?.isRunning() ?? false;
  }

  /** Starts the server once; later calls share the same promise. Resolves to null when the
   *  server cannot start (missing build, crash at start-up): the editor keeps working. */
  start(): Promise<LanguageClient | null> {
    this.startRequestedAt ??= performance.now();
    this.starting ??= this.doStart().catch((e: unknown) => {
      const text = e instanceof Error ? e.message : String(e);
      this.output.appendLine(`language server failed to start: ${text}`);
      void vscode.window.showErrorMessage(`SGD Experiments: the language server did not start (${text}).`);
      return null;
    });
    return this.starting;
  }

  private async doStart(): Promise<LanguageClient> {
    const lc = require('vscode-languageclient/node') as typeof import('vscode-languageclient/node');
    const module = this.context.asAbsolutePath('dist/server.js');
    const storage = this.context.storageUri ?? this.context.globalStorageUri;
    const serverOptions = {
      run: { module, transport: lc.TransportKind.ipc },
      debug: { module, transport: lc.TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6011'] } },
    };
    const client = new lc.LanguageClient(
      'sgdexp',
      'SGD Experiments',
      serverOptions,
      {
        documentSelector: [{ language: 'sgdexp' }],
        // csv(…) data files: an edit on disk re-checks and re-runs what reads them (the server
        // keys each run on the file's content hash, so nothing else re-runs)
        synchronize: { fileEvents: vscode.workspace.createFileSystemWatcher('**/*.csv') },
        outputChannel: this.output,
        initializationOptions: { storagePath: storage.fsPath, settings: readSettings() },
      },
    );
    client.onNotification(Methods.results, (m: unknown) => {
      const v = validateResults(m);
      if (!v.ok) return this.reject(Methods.results, v.error);
      this.announce(v.value.uri, v.value.revision);
      const full = this.complete(v.value);
      if (full) this.fire(full);
    });
    client.onNotification(Methods.status, (m: unknown) => {
      const v = validateStatus(m);
      if (!v.ok) return this.reject(Methods.status, v.error);
      this.announce(v.value.uri, v.value.revision);
      this.onStatusEmitter.fire(v.value);
    });
    await client.start();
    this.client = client;
    return client;
  }

  /** A delta completed from the last results of its uri; null when it cannot be (then the whole
   *  document is asked for, and fired if nothing newer came meanwhile). */
  private complete(m: ResultsMessage): ResultsMessage | null {
    if (!m.append) return m;
    const base = this.lastResults.get(m.uri);
    const doc = base && base.revision === m.append.revision ? applyAppend(base.doc.runs, m.doc, m.append) : 'no results of that revision held';
    if (typeof doc !== 'string') {
      this.deltas.applied++;
      return { uri: m.uri, revision: m.revision, final: m.final, doc, ...(m.wallMs ? { wallMs: m.wallMs } : {}) };
    }
    this.deltas.resynced++;
    this.output.appendLine(`results delta of ${m.uri} not applicable (${doc}): fetching the whole document`);
    void this.client?.sendRequest(Methods.getResults, { uri: m.uri } satisfies GetResultsParams).then((w: unknown) => {
      const v = w == null ? null : validateResults(w);
      if (!v?.ok || v.value.append) return;
      const cur = this.lastResults.get(m.uri);
      if (cur && (cur.revision > v.value.revision || (cur.revision === v.value.revision && cur.final))) return;
      // While a new revision is being set up the server still answers with the previous one's
      // last document; once a newer revision was announced (its status may come before its first
      // results), that answer is superseded: sending it on would show the old revision's runs
      // after the new one's status.
      if (this.superseded(v.value)) return;
      this.fire(v.value);
    }, () => {});
    return null;
  }

  /** Whether a newer revision than `m`'s was announced for its file (by results or status): a
   *  getResults answer read while a new revision was being set up is then the old one's. */
  superseded(m: ResultsMessage): boolean {
    return (this.announced.get(m.uri) ?? -Infinity) > m.revision;
  }

  private announce(uri: string, revision: number): void {
    if (revision > (this.announced.get(uri) ?? -Infinity)) this.announced.set(uri, revision);
  }

  private fire(m: ResultsMessage): void {
    this.lastResults.set(m.uri, m);
    this.onResultsEmitter.fire(m);
  }

  private reject(method: string, why: string): void {
    this.rejected++;
    this.output.appendLine(`ignored a malformed ${method} message: ${why}`);
  }

  /** Drops what is held of a document's results (an untitled document closed: its name is reused). */
  forget(uri: vscode.Uri): void {
    this.lastResults.delete(uri.toString());
    this.announced.delete(uri.toString());
  }

  /** Tells a running server the settings changed (same shape as initializationOptions.settings). */
  async settingsChanged(): Promise<void> {
    if (!this.client?.isRunning()) return;
    await this.client.sendNotification('workspace/didChangeConfiguration', { settings: readSettings() });
  }

  /** Sends the current settings and resolves once the server has applied them: it handles
   *  messages in order, so the answer to a request sent after them proves it. */
  async syncSettings(): Promise<void> {
    const c = await this.start();
    if (!c) return;
    await c.sendNotification('workspace/didChangeConfiguration', { settings: readSettings() });
    await c.sendRequest(Methods.getResults, { uri: 'sgdexp:settings-barrier' });
  }

  /** Runs every run of the document now; the revision started, or null. */
  async runNow(uri: vscode.Uri): Promise<number | null> {
    const c = await this.start();
    const params: RunNowParams = { uri: uri.toString() };
    const r = (await c?.sendRequest(Methods.runNow, params)) as RunNowResult | undefined;
    return typeof r?.revision === 'number' ? r.revision : null;
  }

  /** Runs what the document's plots need, as a save does (honours run.on = manual). */
  async runAsOnSave(uri: vscode.Uri): Promise<void> {
    const c = await this.start();
    const params: RunNowParams = { uri: uri.toString() };
    await c?.sendNotification(Methods.didSaveRun, params);
  }

  async cancel(uri?: vscode.Uri): Promise<void> {
    const c = await this.start();
    const params: CancelParams = uri ? { uri: uri.toString() } : {};
    await c?.sendRequest(Methods.cancel, params);
  }

  /** The server's last known results for a document (memory or disk cache), validated. */
  async getResults(uri: vscode.Uri): Promise<ResultsMessage | null> {
    const c = await this.start();
    if (!c) return null;
    const params: GetResultsParams = { uri: uri.toString() };
    const m: unknown = await c.sendRequest(Methods.getResults, params);
    if (m == null) return null;
    const v = validateResults(m);
    if (v.ok) return v.value;
    this.reject(Methods.getResults, v.error);
    return null;
  }

  log(line: string): void {
    this.output.appendLine(line);
  }

  async stop(): Promise<void> {
    const c = this.client;
    this.client = undefined;
    if (c?.isRunning()) await c.stop();
  }

  dispose(): void {
    void this.stop();
    this.onResultsEmitter.dispose();
    this.onStatusEmitter.dispose();
    this.output.dispose();
  }
}
