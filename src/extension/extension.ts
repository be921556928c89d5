// Entry point. `activate` only wires things up — commands, the serializer, the status bar — and
// returns; the language server is forked afterwards, in the background, and the preview code
// (with node:crypto for the page nonces) loads when the first preview or result needs it
// (activation < 50 ms).
import * as vscode from 'vscode';
import type { SgdexpApi } from './api';
import { ServerClient } from './client';
import type { ExportArgs } from './exportFigures';
import { MessageLog } from './messageLog';
import type { PreviewManager } from './preview/previewManager';
import { readSettings } from './settings';
import { RunLog } from './runLog';
import { registerScrub } from './scrub';
import { RunStatusBar } from './statusBar';
import { PREVIEW_VIEW_TYPE } from './viewType';

let client: ServerClient | undefined;

// lazy modules: esbuild keeps them unevaluated until required
const lazyPreviews = () => require('./preview/previewManager') as typeof import('./preview/previewManager');
const lazyExport = () => require('./exportFigures') as typeof import('./exportFigures');
const lazyNew = () => require('./newExperiment') as typeof import('./newExperiment');
const lazyNavigate = () => require('./preview/navigate') as typeof import('./preview/navigate');

export function activate(context: vscode.ExtensionContext): SgdexpApi {
  const t0 = performance.now();
  const log = new MessageLog(context.extensionMode !== vscode.ExtensionMode.Production);
  client = new ServerClient(context);
  const server = client;
  const status = new RunStatusBar();
  const runLog = new RunLog();
  const fileName = (uri: vscode.Uri) => uri.path.split('/').pop() ?? uri.toString();
  context.subscriptions.push(log, server, status);

  let manager: PreviewManager | undefined;
  let navigation: { readonly follows: number; readonly lastFollowed: { uri: string; line: number } | undefined } | undefined;
  status.previewShows = (uri) => manager?.showing(uri) ?? false;
  const previews = (): PreviewManager => {
    if (!manager) {
      const m = new (lazyPreviews().PreviewManager)(context, server, log, () => readSettings().theme);
      manager = m;
      const nav = new (lazyNavigate().PreviewNavigation)(m, (text) => server.log(text));
      navigation = nav;
      context.subscriptions.push(
        m,
        nav,
        m.onDidReceive((p, msg) => {
          if (msg.type === 'export' && msg.requestId === undefined && msg.data !== undefined) {
            lazyExport()
              .saveFromPage(p, msg)
              .then(
                (f) => f && void vscode.window.showInformationMessage(`SGD Experiments: saved ${vscode.workspace.asRelativePath(f)}.`),
                (e: unknown) => void vscode.window.showErrorMessage(`SGD Experiments: export failed — ${e instanceof Error ? e.message : String(e)}`),
              );
          } else if (msg.type === 'rendered') {
            status.onRendered(p.resource.toString(), msg.revision);
          } else if (msg.type === 'error') {
            server.log(`preview page (${p.resource.toString()}): ${msg.text}`);
          }
        }),
      );
    }
    return manager;
  };

  context.subscriptions.push(
    vscode.window.registerWebviewPanelSerializer(PREVIEW_VIEW_TYPE, {
      deserializeWebviewPanel: (panel, state) => previews().deserializeWebviewPanel(panel, state),
    }),
    server.onResults((m) => {
      const line = runLog.line(m);
      if (line) server.log(line);
      status.onResults(m);
      previews().onResults(m);
    }),
    // the status bar's "done in N s" counts from the save, and ends with the figure a visible
    // preview draws
    vscode.workspace.onDidSaveTextDocument((d) => d.languageId === 'sgdexp' && status.onSave(d.uri.toString())),
    server.onStatus((m) => {
      status.onStatus(m);
      previews().onStatus(m);
    }),
  );

  /** The resource a command applies to: its argument (explorer / editor title pass a Uri), else
   *  the active .sgdexp editor, else the active preview's file. */
  const target = (arg?: unknown): vscode.Uri | undefined => {
    if (arg instanceof vscode.Uri) return arg;
    if (typeof arg === 'string' && arg) return vscode.Uri.parse(arg);
    const ed = vscode.window.activeTextEditor;
    if (ed?.document.languageId === 'sgdexp') return ed.document.uri;
    return manager?.activePreview?.resource;
  };
  const show = (sideBySide: boolean, locked: boolean) => (arg?: unknown) => {
    const uri = target(arg);
    if (!uri) {
      void vscode.window.showWarningMessage('SGD Experiments: open an .sgdexp file to preview it.');
      return;
    }
    previews().show(uri, { sideBySide, locked });
  };
  const resultsOf = async (uri: vscode.Uri) => manager?.latestResults(uri) ?? (await server.getResults(uri)) ?? null;
  const doExport = async (args?: ExportArgs) => {
    try {
      const opts = args && typeof args === 'object' && !(args instanceof vscode.Uri) ? args : {};
      const files = await lazyExport().exportFigures(previews(), resultsOf, opts);
      if (files.length && !opts.folder) void offerExported(files);
      return files.map((f) => f.fsPath);
    } catch (e) {
      server.log(`[${new Date().toLocaleTimeString()}] Export failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      void vscode.window.showErrorMessage(`SGD Experiments: export failed — ${e instanceof Error ? e.message : String(e)}`);
      throw e;
    }
  };

  context.subscriptions.push(
    vscode.commands.registerCommand('sgdexp.showPreview', show(false, false)),
    vscode.commands.registerCommand('sgdexp.showPreviewToSide', show(true, false)),
    vscode.commands.registerCommand('sgdexp.showLockedPreviewToSide', show(true, true)),
    vscode.commands.registerCommand('sgdexp.toggleLock', () => manager?.activePreview?.toggleLock()),
    vscode.commands.registerCommand('sgdexp.showSource', async () => {
      const p = manager?.activePreview;
      if (!p) return;
      const doc = await vscode.workspace.openTextDocument(p.resource);
      const shown = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === p.resource.toString());
      await vscode.window.showTextDocument(doc, shown?.viewColumn ?? vscode.ViewColumn.One);
    }),
    vscode.commands.registerCommand('sgdexp.runNow', async (arg?: unknown) => {
      const uri = target(arg);
      if (!uri) return;
      // an untrusted workspace runs nothing (package.json capabilities.untrustedWorkspaces): an
      // experiment file from anywhere may ask for hours of every core
      if (!vscode.workspace.isTrusted) {
        const manage = 'Manage Workspace Trust';
        const pick = await vscode.window.showWarningMessage('SGD Experiments: experiments run only in a trusted workspace.', manage);
        if (pick === manage) await vscode.commands.executeCommand('workbench.trust.manage');
        return;
      }
      status.onSave(uri.toString());
      server.log(`[${new Date().toLocaleTimeString()}] Run Now: ${fileName(uri)}`);
      await server.runNow(uri);
    }),
    // no argument (status bar, palette): cancel everything in flight
    vscode.commands.registerCommand('sgdexp.cancel', async (arg?: unknown) => {
      const uri = arg instanceof vscode.Uri || typeof arg === 'string' ? target(arg) : undefined;
      server.log(`[${new Date().toLocaleTimeString()}] Cancel: ${uri ? fileName(uri) : 'every run'}`);
      await server.cancel(uri);
    }),
    vscode.commands.registerCommand('sgdexp.exportFigures', (args?: ExportArgs) => doExport(args)),
    vscode.commands.registerCommand('sgdexp.newExperiment', (args?: { template?: string; name?: string; ask?: boolean }) =>
      lazyNew().newExperiment(context.extensionUri, args && typeof args === 'object' && !(args instanceof vscode.Uri) ? args : undefined),
    ),
    // trust granted: the server learns it with the settings (run.on applies from then on)
    vscode.workspace.onDidGrantWorkspaceTrust(() => void server.settingsChanged()),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (!e.affectsConfiguration('sgdexp')) return;
      void server.settingsChanged();
      if (e.affectsConfiguration('sgdexp.plot.theme') || e.affectsConfiguration('sgdexp.export.theme')) manager?.reloadAll();
    }),
  );

  const scrub = registerScrub(server, (uri) => status.onSave(uri.toString()));
  context.subscriptions.push(scrub);

  // The server (and with it diagnostics) starts right after activation, off the activation path.
  setTimeout(() => void server.start(), 0);

  const activatedAt = performance.now();
  const activationMs = activatedAt - t0;
  return {
    activationMs,
    activatedAt,
    serverStartRequestedAt: () => server.startRequestedAt,
    messages: log,
    previews: () =>
      (manager?.all ?? []).map((p) => ({
        id: p.id,
        uri: p.resource.toString(),
        locked: p.locked,
        visible: p.panel.visible,
        active: p.panel.active,
        viewColumn: p.panel.viewColumn,
        ready: p.isReady,
        nonce: p.nonce,
        loads: p.loads,
        localResourceRoots: (p.panel.webview.options.localResourceRoots ?? []).map((u) => u.toString()),
      })),
    startServer: async () => (await server.start()) !== null,
    serverRunning: () => server.running,
    syncSettings: () => server.syncSettings(),
    statusBarText: () => status.text,
    statusBarCommand: () => status.command,
    latestResults: (uri) => manager?.latestResults(vscode.Uri.parse(uri)),
    exportFigures: (args) => doExport(args),
    rejectedServerMessages: () => server.rejected,
    simulateFromPage: (panel, msg) => {
      const p = manager?.all.find((x) => x.id === panel);
      p?.simulateFromPage(msg);
      return p !== undefined;
    },
    cursorOnNumber: () => scrub.onNumber,
    navigationFollows: () => navigation?.follows ?? 0,
    navigationLastFollowed: () => navigation?.lastFollowed,
  };
}

/** Where the export went, with Open (the first figure) and Reveal (in the OS's file manager). */
async function offerExported(files: vscode.Uri[]): Promise<void> {
  const folder = vscode.Uri.joinPath(files[0]!, '..');
  const first = files.find((f) => /\.(svg|png)$/.test(f.path)) ?? files[0]!;
  const pick = await vscode.window.showInformationMessage(
    `SGD Experiments: exported ${files.length} file${files.length === 1 ? '' : 's'} to ${vscode.workspace.asRelativePath(folder)}.`, 'Open', 'Reveal',
  );
  if (pick === 'Open') await vscode.commands.executeCommand('vscode.open', first);
  else if (pick === 'Reveal') await vscode.commands.executeCommand('revealFileInOS', first);
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
