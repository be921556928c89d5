// Entry point. `activate` only wires things up — commands, the preview manager, the status bar —
// and returns; the language server is forked afterwards, in the background (activation < 50 ms).
import * as vscode from 'vscode';
import type { SgdexpApi } from './api';
import { ServerClient } from './client';
import { exportFigures, saveFromPage, type ExportArgs } from './exportFigures';
import { MessageLog } from './messageLog';
import { newExperiment } from './newExperiment';
import { PreviewManager } from './preview/previewManager';
import { readSettings } from './settings';
import { RunStatusBar } from './statusBar';

let client: ServerClient | undefined;

export function activate(context: vscode.ExtensionContext): SgdexpApi {
  const t0 = performance.now();
  const log = new MessageLog(context.extensionMode !== vscode.ExtensionMode.Production);
  client = new ServerClient(context);
  const server = client;
  const previews = new PreviewManager(context, server, log, () => readSettings().theme);
  const status = new RunStatusBar();
  context.subscriptions.push(log, server, previews, status);
  context.subscriptions.push(server.onStatus((m) => status.onStatus(m)), server.onResults((m) => status.onResults(m)));

  /** The resource a command applies to: its argument (explorer / editor title pass a Uri), else
   *  the active .sgdexp editor, else the active preview's file. */
  const target = (arg?: unknown): vscode.Uri | undefined => {
    if (arg instanceof vscode.Uri) return arg;
    if (typeof arg === 'string' && arg) return vscode.Uri.parse(arg);
    const ed = vscode.window.activeTextEditor;
    if (ed?.document.languageId === 'sgdexp') return ed.document.uri;
    return previews.activePreview?.resource;
  };
  const show = (sideBySide: boolean, locked: boolean) => (arg?: unknown) => {
    const uri = target(arg);
    if (!uri) {
      void vscode.window.showWarningMessage('SGD Experiments: open an .sgdexp file to preview it.');
      return;
    }
    previews.show(uri, { sideBySide, locked });
  };
  const resultsOf = async (uri: vscode.Uri) => previews.latestResults(uri)?.doc ?? (await server.getResults(uri))?.doc ?? null;
  const doExport = async (args?: ExportArgs) => {
    try {
      const files = await exportFigures(previews, resultsOf, args && typeof args === 'object' && !(args instanceof vscode.Uri) ? args : {});
      if (files.length && !args?.folder) void vscode.window.showInformationMessage(`SGD Experiments: exported ${files.length} file(s).`);
      return files.map((f) => f.fsPath);
    } catch (e) {
      void vscode.window.showErrorMessage(`SGD Experiments: export failed — ${e instanceof Error ? e.message : String(e)}`);
      throw e;
    }
  };

  context.subscriptions.push(
    previews.onDidReceive((p, m) => {
      if (m.type === 'export' && m.requestId === undefined && m.data !== undefined) {
        saveFromPage(p, m).then(
          (f) => f && void vscode.window.showInformationMessage(`SGD Experiments: saved ${vscode.workspace.asRelativePath(f)}.`),
          (e: unknown) => void vscode.window.showErrorMessage(`SGD Experiments: export failed — ${e instanceof Error ? e.message : String(e)}`),
        );
      } else if (m.type === 'error') {
        server.log(`preview page (${p.resource.toString()}): ${m.text}`);
      }
    }),
    vscode.commands.registerCommand('sgdexp.showPreview', show(false, false)),
    vscode.commands.registerCommand('sgdexp.showPreviewToSide', show(true, false)),
    vscode.commands.registerCommand('sgdexp.showLockedPreviewToSide', show(true, true)),
    vscode.commands.registerCommand('sgdexp.toggleLock', () => previews.activePreview?.toggleLock()),
    vscode.commands.registerCommand('sgdexp.showSource', async () => {
      const p = previews.activePreview;
      if (!p) return;
      const doc = await vscode.workspace.openTextDocument(p.resource);
      const shown = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === p.resource.toString());
      await vscode.window.showTextDocument(doc, shown?.viewColumn ?? vscode.ViewColumn.One);
    }),
    vscode.commands.registerCommand('sgdexp.runNow', async (arg?: unknown) => {
      const uri = target(arg);
      if (uri) await server.runNow(uri);
    }),
    // no argument (status bar, palette): cancel everything in flight
    vscode.commands.registerCommand('sgdexp.cancel', async (arg?: unknown) => {
      await server.cancel(arg instanceof vscode.Uri || typeof arg === 'string' ? target(arg) : undefined);
    }),
    vscode.commands.registerCommand('sgdexp.exportFigures', (args?: ExportArgs) => doExport(args)),
    vscode.commands.registerCommand('sgdexp.newExperiment', (args?: { template?: string }) =>
      newExperiment(context.extensionUri, args && typeof args === 'object' && !(args instanceof vscode.Uri) ? args : undefined),
    ),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (!e.affectsConfiguration('sgdexp')) return;
      void server.settingsChanged();
      if (e.affectsConfiguration('sgdexp.plot.theme')) previews.reloadAll();
    }),
  );

  // The server (and with it diagnostics) starts right after activation, off the activation path.
  setTimeout(() => void server.start(), 0);

  const activationMs = performance.now() - t0;
  return {
    activationMs,
    messages: log,
    previews: () =>
      previews.all.map((p) => ({
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
    statusBarText: () => status.text,
    latestResults: (uri) => previews.latestResults(vscode.Uri.parse(uri)),
    exportFigures: (args) => doExport(args),
    rejectedServerMessages: () => server.rejected,
  };
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
