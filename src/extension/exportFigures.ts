// Export Figures: SVG and PNG are serialized by the preview page (it holds the drawn plots; the
// extension asks with an `export` request and collects one answer per plot), CSV and JSON come
// from the results document itself (the same CSV as the command-line runner's, and the same file
// name for the JSON: `NAME.json`, as `sgdexp run` writes it).
//
// Runs still in flight (running, queued): the export waits for the document's final results,
// under a cancellable progress notification, and then exports them. Exported files go into
// papers and reports, where a half-drawn curve looks like a finished one, and JSON, CSV and
// figures taken at different moments would disagree; the runs end by themselves, and a user who
// does not want to wait either cancels the wait (nothing is written) or cancels the runs (the
// document becomes final at once, with those runs marked `cancelled`, and is exported).
import * as vscode from 'vscode';
import { homedir } from 'node:os';
import type { FromWebview, ResultsMessage } from '../core/wire/protocol';
import type { ResultsDoc } from '../core/wire/results';
import { toCsv } from '../core/csv';
import type { Preview } from './preview/preview';
import type { PreviewManager } from './preview/previewManager';
import { readSettings, type ExportTheme } from './settings';

export type ExportFormat = 'svg' | 'png' | 'csv' | 'json';
export const EXPORT_FORMATS: readonly ExportFormat[] = ['svg', 'png', 'csv', 'json'];

export interface ExportArgs {
  /** document to export; default: the active preview's, else the active editor's */
  uri?: string;
  /** target folder (file system path); default: `figures/` beside the file (an unsaved file: asked) */
  folder?: string;
  formats?: ExportFormat[];
  /** files of the same names already in the folder: 'ask' (default) whether to replace them,
   *  'never' replace (write nothing, say so), 'always' replace */
  overwrite?: 'ask' | 'never' | 'always';
}

/** A file-name-safe slug of a plot title: `log det(θᵀθ)` → `log-det` ... */
export function slug(s: string): string {
  const t = s
    .normalize('NFKD')
    .replace(/[^\w\s-]/g, ' ')
    .trim()
    .toLowerCase()
    .replace(/[\s_-]+/g, '-');
  return t.slice(0, 60).replace(/-+$/, '') || 'plot';
}

/** The default export folder: `figures/` beside the file. */
export function figuresFolder(uri: vscode.Uri): vscode.Uri {
  return vscode.Uri.joinPath(uri, '..', 'figures');
}

export function baseName(uri: vscode.Uri): string {
  return (uri.path.split('/').pop() ?? 'experiment').replace(/\.sgdexp$/, '');
}

/** Keys of the runs still computing in a document (a final document has none). */
export function runsInFlight(doc: ResultsDoc): string[] {
  return Object.keys(doc.runs).filter((k) => doc.runs[k]!.status === 'running' || doc.runs[k]!.status === 'queued');
}

/** `msg` itself when no run is in flight; else the first results of the document with none in
 *  flight (a later revision counts: a save during the wait starts new runs), or 'cancelled'
 *  when the user cancels the wait. */
async function settled(manager: PreviewManager, uri: vscode.Uri, msg: ResultsMessage | null): Promise<ResultsMessage | null | 'cancelled'> {
  if (!msg || !runsInFlight(msg.doc).length) return msg;
  const base = baseName(uri);
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, cancellable: true, title: `SGD Experiments: the export of ${base} waits for its runs to finish` },
    (progress, token) =>
      new Promise<ResultsMessage | 'cancelled'>((resolve) => {
        let shown = '';
        const check = (m: ResultsMessage) => {
          if (m.uri !== uri.toString()) return;
          const left = runsInFlight(m.doc);
          if (!left.length) return done(m);
          const text = `${left.length} of ${Object.keys(m.doc.runs).length} run(s) still running (${left.slice(0, 3).join(', ')}${left.length > 3 ? ', …' : ''})`;
          if (text !== shown) progress.report({ message: (shown = text) });
        };
        const sub = manager.onDidReceiveResults(check);
        const cancel = token.onCancellationRequested(() => done('cancelled'));
        function done(r: ResultsMessage | 'cancelled') {
          sub.dispose();
          cancel.dispose();
          resolve(r);
        }
        // newer results may have come between the caller's look and the subscription
        check(manager.latestResults(uri) ?? msg);
      }),
  );
}

interface Figure {
  index: number;
  title: string;
  data: string;
}

let nextRequest = 1;

/** Asks the page for every plot in `format`; resolves when all `total` answers arrived. */
export function requestFigures(
  manager: PreviewManager,
  preview: Preview,
  format: 'svg' | 'png',
  timeoutMs = 15_000,
  theme: ExportTheme = 'print',
): Promise<Figure[]> {
  const requestId = nextRequest++;
  return new Promise<Figure[]>((resolve, reject) => {
    const got = new Map<number, Figure>();
    const timer = setTimeout(() => {
      sub.dispose();
      reject(new Error(`the preview did not send its ${format.toUpperCase()} figures within ${timeoutMs / 1000} s`));
    }, timeoutMs);
    const sub = manager.onDidReceive((p: Preview, m: FromWebview) => {
      if (p !== preview) return;
      // the page reports a figure it could not serialize as an error instead of an answer
      if (m.type === 'error' && m.text.startsWith(`export ${format}`)) {
        clearTimeout(timer);
        sub.dispose();
        reject(new Error(`the preview could not serialize a figure (${m.text})`));
        return;
      }
      if (m.type !== 'export' || m.requestId !== requestId || m.format !== format) return;
      const total = m.total ?? 0;
      if (m.plotIndex !== null && typeof m.data === 'string') {
        got.set(m.plotIndex, { index: m.plotIndex, title: m.title ?? `plot ${m.plotIndex + 1}`, data: m.data });
      }
      if (got.size >= total) {
        clearTimeout(timer);
        sub.dispose();
        resolve([...got.values()].sort((a, b) => a.index - b.index));
      }
    });
    preview.post({ type: 'export', requestId, format, theme });
  });
}

/** Resolves once the page has drawn plots (a preview opened for the export has not, yet). */
function drawn(manager: PreviewManager, preview: Preview, timeoutMs = 60_000): Promise<void> {
  if (preview.lastRendered?.plots) return Promise.resolve();
  return new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      sub.dispose();
      reject(new Error(`the preview drew no plot within ${timeoutMs / 1000} s`));
    }, timeoutMs);
    const sub = manager.onDidReceive((p, m) => {
      if (p === preview && m.type === 'rendered' && m.plots > 0) {
        clearTimeout(timer);
        sub.dispose();
        resolve();
      }
    });
  });
}

/** PNG answers are data URLs (or bare base64); SVG answers are markup. */
export function figureBytes(format: 'svg' | 'png', data: string): Uint8Array {
  if (format === 'svg') {
    const svg = data.includes('xmlns=') ? data : data.replace(/<svg\b/i, '<svg xmlns="http://www.w3.org/2000/svg"');
    return new TextEncoder().encode(svg.startsWith('<?xml') ? svg : `<?xml version="1.0" encoding="UTF-8"?>\n${svg}`);
  }
  const b64 = data.replace(/^data:image\/png;base64,/, '');
  const bytes = Buffer.from(b64, 'base64');
  // PNG signature: reject anything that is not a PNG rather than writing a broken file
  if (bytes.length < 8 || bytes.readUInt32BE(0) !== 0x89504e47) throw new Error('the preview sent PNG data that is not a PNG');
  return bytes;
}

export async function exportFigures(
  manager: PreviewManager,
  resultsOf: (uri: vscode.Uri) => Promise<ResultsMessage | null>,
  args: ExportArgs = {},
): Promise<vscode.Uri[]> {
  const uri = args.uri
    ? vscode.Uri.parse(args.uri)
    : manager.activePreview?.resource ??
      (vscode.window.activeTextEditor?.document.languageId === 'sgdexp' ? vscode.window.activeTextEditor.document.uri : undefined);
  if (!uri) {
    void vscode.window.showWarningMessage('SGD Experiments: open an .sgdexp file or its preview to export its figures.');
    return [];
  }
  let formats = args.formats?.filter((f) => EXPORT_FORMATS.includes(f));
  if (!formats) {
    const picked = await vscode.window.showQuickPick(
      [
        { label: 'SVG', description: 'every plot, vector', format: 'svg' as const, picked: true },
        { label: 'PNG', description: 'every plot, 2× pixels', format: 'png' as const },
        { label: 'CSV', description: 'all series, one tidy table', format: 'csv' as const, picked: true },
        { label: 'JSON', description: 'the results document', format: 'json' as const },
      ],
      { canPickMany: true, title: 'Export figures and data as' },
    );
    if (!picked?.length) return [];
    formats = picked.map((p) => p.format);
  }
  // figures/ beside the file, as a paper's sources keep them; an unsaved file has no beside
  let folder = args.folder ? vscode.Uri.file(args.folder) : uri.scheme === 'file' ? figuresFolder(uri) : undefined;
  if (!folder) {
    const ws = vscode.workspace.getWorkspaceFolder(uri)?.uri ?? vscode.workspace.workspaceFolders?.[0]?.uri;
    const chosen = await vscode.window.showOpenDialog({
      canSelectFolders: true,
      canSelectFiles: false,
      canSelectMany: false,
      openLabel: 'Export here',
      defaultUri: ws,
    });
    if (!chosen?.length) return [];
    folder = chosen[0];
  }
  const base = baseName(uri);
  const figureFiles: { name: string; bytes: Uint8Array }[] = [];
  let msg = await settled(manager, uri, await resultsOf(uri));
  if (msg === 'cancelled') return [];

  for (const format of ['svg', 'png'] as const) {
    if (!formats.includes(format)) continue;
    const preview =
      manager.all.find((p) => p.matches(uri) && p.panel.visible) ??
      manager.all.find((p) => p.matches(uri)) ??
      manager.show(uri, { sideBySide: true, locked: false });
    await drawn(manager, preview);
    // a preview opened for the export may have started the runs its file needed
    msg = await settled(manager, uri, manager.latestResults(uri) ?? msg);
    if (msg === 'cancelled') return [];
    // asked after the final results were posted to the page, so it answers with their figures
    const figures = await requestFigures(manager, preview, format, undefined, readSettings(uri).exportTheme);
    if (!figures.length) throw new Error(`the preview of ${base} has no plot to export as ${format.toUpperCase()}`);
    const used = new Set<string>();
    for (const f of figures) {
      let name = `${base}-${String(f.index + 1).padStart(2, '0')}-${slug(f.title)}`;
      while (used.has(name)) name += '_';
      used.add(name);
      figureFiles.push({ name: `${name}.${format}`, bytes: figureBytes(format, f.data) });
    }
  }
  const files: { name: string; bytes: Uint8Array }[] = [];
  if (formats.includes('csv') || formats.includes('json')) {
    // the same (final) document the figures were drawn from
    const doc = msg?.doc;
    if (!doc) throw new Error(`no results for ${base} yet: run it first`);
    if (formats.includes('json')) files.push({ name: `${base}.json`, bytes: new TextEncoder().encode(JSON.stringify(doc, null, 2) + '\n') });
    if (formats.includes('csv')) files.push({ name: `${base}.csv`, bytes: new TextEncoder().encode(toCsv(doc)) });
  }
  files.push(...figureFiles);

  // a folder may hold files of these names that are not ours to replace (a hand-written
  // NAME.json next to NAME.sgdexp): replace them only when the user says so
  const existing: string[] = [];
  for (const f of files) {
    try {
      await vscode.workspace.fs.stat(vscode.Uri.joinPath(folder, f.name));
      existing.push(f.name);
    } catch {
      /* not there */
    }
  }
  if (existing.length && args.overwrite !== 'always') {
    const list = existing.length > 3 ? `${existing.slice(0, 3).join(', ')} and ${existing.length - 3} more` : existing.join(', ');
    const replace = 'Replace';
    const answer = args.overwrite === 'never'
      ? undefined
      : await vscode.window.showWarningMessage(`${list} already ${existing.length > 1 ? 'exist' : 'exists'} in ${folder.fsPath}. Replace?`, { modal: true }, replace);
    if (answer !== replace) {
      void vscode.window.showInformationMessage(`SGD Experiments: nothing exported (${list} would have been replaced).`);
      return [];
    }
  }
  // written only once everything is at hand: a cancelled wait or a failed figure leaves no
  // half-exported folder
  await vscode.workspace.fs.createDirectory(folder);
  const written: vscode.Uri[] = [];
  for (const f of files) {
    const target = vscode.Uri.joinPath(folder, f.name);
    await vscode.workspace.fs.writeFile(target, f.bytes);
    written.push(target);
  }
  return written;
}

/** An export button inside the page (one plot, or the whole results as JSON/CSV): the page sends
 *  the serialized data unasked (no requestId); the extension asks where to save it. */
export async function saveFromPage(preview: Preview, m: Extract<FromWebview, { type: 'export' }>): Promise<vscode.Uri | undefined> {
  if (m.data === undefined || m.requestId !== undefined) return undefined;
  const base = baseName(preview.resource);
  const title = m.title ?? (m.plotIndex !== null ? preview.results?.doc.plots[m.plotIndex]?.title : undefined) ?? `plot ${(m.plotIndex ?? 0) + 1}`;
  const name =
    m.plotIndex === null
      ? `${base}.${m.format}` // NAME.json / NAME.csv, the command-line runner's names
      : `${base}-${String(m.plotIndex + 1).padStart(2, '0')}-${slug(title)}.${m.format}`;
  const dir =
    preview.resource.scheme === 'file'
      ? vscode.Uri.joinPath(preview.resource, '..')
      : (vscode.workspace.workspaceFolders?.[0]?.uri ?? vscode.Uri.file(homedir()));
  const target = await vscode.window.showSaveDialog({
    defaultUri: vscode.Uri.joinPath(dir, name),
    filters: { [m.format.toUpperCase()]: [m.format] },
    title: `Export ${m.plotIndex === null ? 'results' : `“${title}”`} as ${m.format.toUpperCase()}`,
  });
  if (!target) return undefined;
  const bytes = m.format === 'svg' || m.format === 'png' ? figureBytes(m.format, m.data) : new TextEncoder().encode(m.data);
  await vscode.workspace.fs.writeFile(target, bytes);
  return target;
}
