// Protocol tests: the built server (dist/server.js) spawned over stdio, driven by a real
// JSON-RPC client (vscode-languageserver-protocol). When dist/server.js is missing or older than
// the sources (running this file alone), the server is bundled to a temporary file first.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, statSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import {
  createProtocolConnection, StreamMessageReader, StreamMessageWriter, type ProtocolConnection,
  InitializeRequest, InitializedNotification, DidOpenTextDocumentNotification, DidChangeTextDocumentNotification,
  PublishDiagnosticsNotification, CompletionRequest, HoverRequest, DefinitionRequest, RenameRequest,
  DocumentFormattingRequest, ReferencesRequest, SignatureHelpRequest, DocumentSymbolRequest, CodeActionRequest,
  SemanticTokensRequest, InlayHintRequest, CodeLensRequest, DocumentHighlightRequest, ShutdownRequest, ExitNotification, type PublishDiagnosticsParams, type CompletionItem,
  type CompletionList, type MarkupContent, type Location, type WorkspaceEdit, type TextEdit,
} from 'vscode-languageserver-protocol/node';

const root = join(__dirname, '../..');
let tmp: string | null = null;
let child: ChildProcess;
let conn: ProtocolConnection;
const diagnostics: PublishDiagnosticsParams[] = [];
const waiters: { pred: (p: PublishDiagnosticsParams) => boolean; resolve: (p: PublishDiagnosticsParams) => void }[] = [];

function newest(dir: string): number {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

async function serverPath(): Promise<string> {
  const dist = join(root, 'dist/server.js');
  if (existsSync(dist) && statSync(dist).mtimeMs >= newest(join(root, 'src'))) return dist;
  tmp = mkdtempSync(join(tmpdir(), 'sgdexp-server-'));
  const out = join(tmp, 'server.js');
  await build({ entryPoints: [join(root, 'src/server/server.ts')], outfile: out, bundle: true, platform: 'node', target: 'node20', format: 'cjs', logLevel: 'error' });
  return out;
}

function nextDiagnostics(uri: string, pred: (p: PublishDiagnosticsParams) => boolean = () => true): Promise<PublishDiagnosticsParams> {
  const hit = diagnostics.find((p) => p.uri === uri && pred(p));
  if (hit) {
    diagnostics.splice(diagnostics.indexOf(hit), 1);
    return Promise.resolve(hit);
  }
  return new Promise((resolve) => waiters.push({ pred: (p) => p.uri === uri && pred(p), resolve }));
}

const uri = 'file:///tmp/protocol-test.sgdexp';
const text = `data = teacher(n = 40, p = 10)
net  = linear2(width = 20)
gd   = train(net, data, gd(lr = 0.01), steps = 100)
ln   = train(nte, data, label_noise(lr = 0.01, delta = 2), steps = 100)
plot logdet(gd, ln)
`;
let version = 1;

beforeAll(async () => {
  const server = await serverPath();
  child = spawn(process.execPath, [server, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
  conn = createProtocolConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
  conn.onNotification(PublishDiagnosticsNotification.type, (p) => {
    const w = waiters.find((x) => x.pred(p));
    if (w) {
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve(p);
    } else diagnostics.push(p);
  });
  conn.listen();
  const init = await conn.sendRequest(InitializeRequest.type, {
    processId: process.pid, rootUri: null, capabilities: {}, workspaceFolders: null,
    initializationOptions: { storagePath: null, settings: { runOn: 'manual', debounceMs: 20 } },
  });
  expect(init.capabilities.completionProvider).toBeTruthy();
  await conn.sendNotification(InitializedNotification.type, {});
  await conn.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'sgdexp', version, text } });
}, 60_000);

afterAll(async () => {
  try {
    await conn.sendRequest(ShutdownRequest.type);
    await conn.sendNotification(ExitNotification.type);
  } catch {
    /* already gone */
  }
  conn?.dispose();
  if (child && child.exitCode === null) child.kill();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe('language server over stdio', () => {
  it('publishes diagnostics on open, with range, severity and a fix', async () => {
    const p = await nextDiagnostics(uri);
    const d = p.diagnostics.find((x) => x.code === 'unknown-name')!;
    expect(d).toMatchObject({
      message: "unknown name 'nte': did you mean 'net'?",
      severity: 1,
      range: { start: { line: 3, character: 13 }, end: { line: 3, character: 16 } },
      source: 'sgdexp',
    });
    const actions = await conn.sendRequest(CodeActionRequest.type, { textDocument: { uri }, range: d.range, context: { diagnostics: [d] } });
    expect(actions?.map((a) => ('title' in a ? a.title : ''))).toContain("Change to 'net'");
  });

  it('re-checks on change (debounced) and clears the fixed error', async () => {
    version++;
    await conn.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri, version },
      contentChanges: [{ range: { start: { line: 3, character: 13 }, end: { line: 3, character: 16 } }, text: 'net' }],
    });
    const p = await nextDiagnostics(uri, (x) => !x.diagnostics.some((d) => d.code === 'unknown-name'));
    expect(p.diagnostics.filter((d) => d.severity === 1)).toEqual([]);
  });

  it('answers completion with the parameters not yet given', async () => {
    const r = (await conn.sendRequest(CompletionRequest.type, { textDocument: { uri }, position: { line: 0, character: 23 } })) as CompletionItem[] | CompletionList;
    const items = Array.isArray(r) ? r : r.items;
    const labels = items.map((i) => i.label);
    expect(labels).toEqual(expect.arrayContaining(['k', 'noise', 'test', 'activation']));
    expect(labels).not.toContain('n');
  });

  it('answers hover with the doc string and formula', async () => {
    const h = await conn.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 4, character: 7 } });
    expect((h!.contents as MarkupContent).value).toContain('log det(θᵀθ) = 2Σᵢ log sᵢ(θ)');
  });

  it('answers signature help', async () => {
    const s = await conn.sendRequest(SignatureHelpRequest.type, { textDocument: { uri }, position: { line: 2, character: 24 } });
    expect(s!.signatures[0].label).toBe('train(model, data, optimizer, steps, record = 1000, seed = 0)');
    expect(s!.activeParameter).toBe(2);
  });

  it('goes to the definition and finds references', async () => {
    const loc = (await conn.sendRequest(DefinitionRequest.type, { textDocument: { uri }, position: { line: 4, character: 12 } })) as Location;
    expect(loc).toEqual({ uri, range: { start: { line: 2, character: 0 }, end: { line: 2, character: 2 } } });
    const refs = await conn.sendRequest(ReferencesRequest.type, { textDocument: { uri }, position: { line: 1, character: 1 }, context: { includeDeclaration: true } });
    expect(refs!.map((r) => r.range.start.line)).toEqual([1, 2, 3]);
  });

  it('renames, and refuses a name that is taken', async () => {
    const e = (await conn.sendRequest(RenameRequest.type, { textDocument: { uri }, position: { line: 1, character: 0 }, newName: 'model' })) as WorkspaceEdit;
    expect(e.changes![uri].map((x) => `${x.range.start.line}:${x.range.start.character}`)).toEqual(['1:0', '2:13', '3:13']);
    await expect(conn.sendRequest(RenameRequest.type, { textDocument: { uri }, position: { line: 1, character: 0 }, newName: 'data' })).rejects.toThrow("'data' is already defined");
  });

  it('formats to the canonical layout', async () => {
    const messy = 'file:///tmp/protocol-messy.sgdexp';
    await conn.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri: messy, languageId: 'sgdexp', version: 1, text: 'data=teacher( n=40,p =10 )\nnet=linear2(20)\n\n\nplot   loss( gd ,y=log)' },
    });
    const edits = (await conn.sendRequest(DocumentFormattingRequest.type, { textDocument: { uri: messy }, options: { tabSize: 2, insertSpaces: true } })) as TextEdit[];
    expect(edits).toHaveLength(1);
    expect(edits[0].newText).toBe('data = teacher(n = 40, p = 10)\nnet  = linear2(20)\n\nplot loss(gd, y = log)\n');
    // the canonical text is a fixed point: no edits
    const none = await conn.sendRequest(DocumentFormattingRequest.type, { textDocument: { uri }, options: { tabSize: 2, insertSpaces: true } });
    expect(none).toEqual([]);
  });

  it('answers inlay hints (family sizes, estimated cost) and document highlights', async () => {
    const fam = 'file:///tmp/protocol-family.sgdexp';
    await conn.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri: fam, languageId: 'sgdexp', version: 1, text: 'data = teacher(n = 40, p = 10)\nnet = linear2(width = 20)\nr = train(net, data, gd(lr = [0.1, 0.2, 0.3]), steps = 10)\n' },
    });
    const hints = await conn.sendRequest(InlayHintRequest.type, { textDocument: { uri: fam }, range: { start: { line: 0, character: 0 }, end: { line: 3, character: 0 } } });
    // the line ends past column 60: the count goes after the name (`r ×3 = train(…)`), the cost at the end
    expect(hints!.map((h) => [h.position.line, h.position.character, h.label, h.paddingRight ?? false])).toEqual([[2, 1, '×3', true], [2, 58, ' < 0.1 s', false]]);
    const hl = await conn.sendRequest(DocumentHighlightRequest.type, { textDocument: { uri: fam }, position: { line: 1, character: 1 } });
    expect(hl!.map((h) => [h.range.start.line, h.kind])).toEqual([[1, 3], [2, 2]]);
  });

  it('answers CodeLenses above each train and plot line: a summary, ▶ Run, ⏹ Cancel', async () => {
    const lenses = await conn.sendRequest(CodeLensRequest.type, { textDocument: { uri } });
    const lines = [...new Set(lenses!.map((l) => l.range.start.line))];
    const syms = await conn.sendRequest(DocumentSymbolRequest.type, { textDocument: { uri } });
    // gd, ln and the plot
    expect(lines.length).toBe(syms!.filter((s) => ['gd', 'ln'].includes(s.name) || s.name.startsWith('plot')).length);
    const first = lenses!.filter((l) => l.range.start.line === lines[0]);
    expect(first.map((l) => l.command!.command)).toEqual(['', 'sgdexp.runNow', 'sgdexp.cancel']);
    expect(first[1]!.command!.arguments).toEqual([uri]);
  });

  it('lists symbols and semantic tokens', async () => {
    const syms = await conn.sendRequest(DocumentSymbolRequest.type, { textDocument: { uri } });
    expect(syms!.map((s) => s.name)).toEqual(['data', 'net', 'gd', 'ln', 'plot logdet(gd, ln)']);
    const tokens = await conn.sendRequest(SemanticTokensRequest.type, { textDocument: { uri } });
    expect(tokens!.data.length % 5).toBe(0);
    expect(tokens!.data.length).toBeGreaterThan(50);
  });
});
