// New Experiment: a quick pick over the bundled templates (templates/*.sgdexp, one per seed
// paper's experiment plus an empty one). The first comment line is the label, the second the
// detail. The file gets a proper name, asked with a default that says what the template compares
// (`diag-sgd-vs-gd.sgdexp`; an untitled document would be saved under its first comment line):
// in a workspace it is created in the folder of the active file (else the workspace's first
// folder), so it is saved, runs and exports like any other; without one it opens as an untitled
// document of that name.
import * as vscode from 'vscode';

export interface Template {
  id: string;
  label: string;
  detail: string;
  text: string;
}

export function describeTemplate(id: string, text: string): Template {
  const comments = text.split('\n').filter((l) => l.startsWith('#'));
  const clean = (l: string | undefined) => (l ?? '').replace(/^#\s*/, '').trim();
  return { id, label: clean(comments[0]) || id, detail: clean(comments[1]), text };
}

export async function loadTemplates(extensionUri: vscode.Uri): Promise<Template[]> {
  const dir = vscode.Uri.joinPath(extensionUri, 'templates');
  const entries = await vscode.workspace.fs.readDirectory(dir);
  const names = entries.filter(([n, t]) => t === vscode.FileType.File && n.endsWith('.sgdexp')).map(([n]) => n).sort();
  return Promise.all(
    names.map(async (n) => {
      const bytes = await vscode.workspace.fs.readFile(vscode.Uri.joinPath(dir, n));
      return describeTemplate(n.replace(/^\d+-/, '').replace(/\.sgdexp$/, ''), new TextDecoder().decode(bytes));
    }),
  );
}

/** The file name a template suggests: what it compares, not its first comment line. */
const DEFAULT_NAMES: Record<string, string> = {
  'two-layer-linear': 'linear2-label-noise-vs-gd',
  'diagonal-gain': 'diag-sgd-vs-gd',
  'rank-jump': 'rank-jump-sgd-vs-gd',
  'relu-alignment': 'relu-alignment-label-noise',
  empty: 'experiment',
};

export function defaultFileName(templateId: string): string {
  return `${DEFAULT_NAMES[templateId] ?? templateId}.sgdexp`;
}

/** `name`, or `stem-2.sgdexp`, `stem-3.sgdexp`, … : the first that `taken` does not hold. */
export function uniqueName(name: string, taken: (n: string) => boolean): string {
  if (!taken(name)) return name;
  const stem = name.replace(/\.sgdexp$/, '');
  for (let i = 2; ; i++) if (!taken(`${stem}-${i}.sgdexp`)) return `${stem}-${i}.sgdexp`;
}

/** A file name as typed: `.sgdexp` added; an error message for one that cannot be a file name. */
export function fileNameError(name: string): string | null {
  const n = name.trim();
  if (!n || n === '.sgdexp') return 'Give the experiment a name.';
  if (/[\\/:*?"<>|]/.test(n)) return 'A file name cannot contain / \\ : * ? " < > |';
  return null;
}
const withExtension = (name: string) => (name.trim().endsWith('.sgdexp') ? name.trim() : `${name.trim()}.sgdexp`);

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}

/** The folder a new experiment goes to: the active file's, else the workspace's first; none without a workspace. */
function targetFolder(): vscode.Uri | undefined {
  const active = vscode.window.activeTextEditor?.document.uri;
  if (active?.scheme === 'file' && vscode.workspace.getWorkspaceFolder(active)) return vscode.Uri.joinPath(active, '..');
  return vscode.workspace.workspaceFolders?.[0]?.uri;
}

/**
 * `args.template` (a template id) skips the quick pick; `args.name` the name's input box, and so
 * does `args.ask = false` (the default name is taken) — used by tests and keybindings.
 */
export async function newExperiment(extensionUri: vscode.Uri, args?: { template?: string; name?: string; ask?: boolean }): Promise<vscode.TextDocument | undefined> {
  const templates = await loadTemplates(extensionUri);
  let chosen = args?.template ? templates.find((t) => t.id === args.template) : undefined;
  if (args?.template && !chosen) throw new Error(`no template "${args.template}" (have: ${templates.map((t) => t.id).join(', ')})`);
  if (!chosen) {
    const pick = await vscode.window.showQuickPick(
      templates.map((t) => ({ label: t.label, detail: t.detail, template: t })),
      { title: 'New SGD experiment from a template', matchOnDetail: true },
    );
    chosen = pick?.template;
  }
  if (!chosen) return undefined;
  const folder = targetFolder();
  const taken = new Set<string>();
  if (folder) {
    for (const [n] of await vscode.workspace.fs.readDirectory(folder).then((x) => x, () => [] as [string, vscode.FileType][])) taken.add(n);
  }
  const suggested = uniqueName(defaultFileName(chosen.id), (n) => taken.has(n));
  let name = args?.name ?? (args?.ask === false ? suggested : undefined);
  if (name === undefined) {
    name = await vscode.window.showInputBox({
      title: `New experiment: ${chosen.label}`,
      prompt: folder ? `File name (created in ${vscode.workspace.asRelativePath(folder)})` : 'File name',
      value: suggested,
      valueSelection: [0, suggested.length - '.sgdexp'.length],
      validateInput: (v) => fileNameError(v) ?? (taken.has(withExtension(v)) ? `${withExtension(v)} already exists` : null),
    });
    if (name === undefined) return undefined;
  }
  const error = fileNameError(name);
  if (error) throw new Error(error);
  const file = withExtension(name);
  if (!folder) {
    // no folder to create it in: an untitled document that already has its name
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.from({ scheme: 'untitled', path: file }));
    const editor = await vscode.window.showTextDocument(doc);
    await editor.edit((e) => e.insert(new vscode.Position(0, 0), chosen!.text));
    return doc;
  }
  const target = vscode.Uri.joinPath(folder, file);
  if (await exists(target)) throw new Error(`${vscode.workspace.asRelativePath(target)} already exists`);
  await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(chosen.text));
  const doc = await vscode.workspace.openTextDocument(target);
  await vscode.window.showTextDocument(doc);
  return doc;
}
