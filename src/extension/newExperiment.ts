// New Experiment: a quick pick over the bundled templates (templates/*.sgdexp, one per seed
// paper's experiment plus an empty one). The first comment line is the label, the second the
// detail. The template opens as an untitled .sgdexp document, so nothing is written until saved.
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

/** `args.template` (a template id) skips the quick pick (used by tests and keybindings). */
export async function newExperiment(extensionUri: vscode.Uri, args?: { template?: string }): Promise<vscode.TextDocument | undefined> {
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
  const doc = await vscode.workspace.openTextDocument({ language: 'sgdexp', content: chosen.text });
  await vscode.window.showTextDocument(doc);
  return doc;
}
