// The real language server process over stdio (bundled like dist/server.js, with its worker
// next to it): didOpen → didSave → streamed partial results → final results, then the custom
// requests (getResults, runNow, cancel) and runtime diagnostics of a diverging run.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Methods, type ResultsMessage } from '../../src/core/protocol';
import { validateResultsDoc } from '../../src/core/wire/webviewMessages';
import { bundleServer, startServer, waitFor, type ServerProcess } from '../server/serverProcess';

let bundle: Awaited<ReturnType<typeof bundleServer>>;
let server: ServerProcess;
let conn: ServerProcess['conn'];
let results: ServerProcess['results'];
let statuses: ServerProcess['statuses'];
let diagnostics: ServerProcess['diagnostics'];

beforeAll(async () => {
  bundle = await bundleServer('sgdexp-server-');
  server = await startServer(bundle.dir, { runOn: 'save', workers: 2 });
  ({ conn, results, statuses, diagnostics } = server);
});

afterAll(async () => {
  await server?.stop();
  bundle?.cleanup();
});

const uri = 'file:///tmp/proto.sgdexp';
const text = (lr: number) => `seed = 3
data = teacher(n = 40, p = 5, k = 1)
net  = linear2(width = 8, init = gaussian(scale = 0.5))
gd   = train(net, data, gd(lr = ${lr}), steps = 150000, record = 200)
ln   = train(net, data, label_noise(lr = 0.01, delta = 1), steps = 2000)
plot loss(gd, ln, y = log)
`;

describe('language server process: results stream', () => {
  it('didOpen shows nothing computed; didSave streams partial results, then the final document', async () => {
    await conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'sgdexp', version: 1, text: text(0.01) } });
    // opening runs nothing (runOn = save): a non-final document whose runs are stale
    const opened = await waitFor(() => results.find((m) => m.uri === uri));
    expect(opened.final).toBe(false);
    expect(opened.doc.runs.gd.status).toBe('stale');

    await conn.sendNotification('textDocument/didSave', { textDocument: { uri } });
    const fin = await waitFor(() => results.find((m) => m.uri === uri && m.final));
    const mine = results.filter((m) => m.uri === uri);
    const partial = mine.filter((m) => !m.final && m.revision === fin.revision);
    expect(partial.some((m) => m.doc.runs.gd.status === 'running' && m.doc.runs.gd.step.length > 0)).toBe(true);
    // revisions never decrease along the stream
    expect(mine.map((m) => m.revision)).toEqual([...mine.map((m) => m.revision)].sort((a, b) => a - b));
    expect(fin.doc.format).toBe('sgdexp-results');
    expect(fin.doc.runs.gd.status).toBe('done');
    expect(fin.doc.runs.gd.step.at(-1)).toBe(150000);
    expect(fin.doc.plots).toEqual([expect.objectContaining({ metric: 'loss', runs: ['gd', 'ln'], y: 'log' })]);
    expect(statuses.some((s) => s.uri === uri && s.nodes.some((n) => n.id === 'gd' && n.state === 'running'))).toBe(true);
    // the status notification follows the results notification of the same revision
    const st = await waitFor(() => statuses.find((x) => x.uri === uri && x.revision === fin.revision && x.nodes.find((n) => n.id === 'plot#0')?.state === 'done'));
    expect(st.nodes.find((n) => n.id === 'gd')).toMatchObject({ kind: 'run', state: 'done', deps: ['net', 'data'] });

    const got = (await conn.sendRequest(Methods.getResults, { uri })) as ResultsMessage;
    expect(got.revision).toBe(fin.revision);
    expect(got.doc.runs.gd.step).toEqual(fin.doc.runs.gd.step);
  });

  it('an unsaved edit (runOn = save) computes nothing and reports the edited run as stale', async () => {
    const before = results.length;
    const n = statuses.length;
    await conn.sendNotification('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [{ text: text(0.012) }] });
    const st = await waitFor(() => statuses.slice(n).find((x) => x.uri === uri && x.nodes.some((y) => y.id === 'gd' && y.state === 'stale')));
    expect(st.nodes.find((y) => y.id === 'ln')?.state).not.toBe('stale');
    expect(st.nodes.find((y) => y.id === 'plot#0')?.state).toBe('stale');
    // a revision the change had opened to run would have sent its first results as it opened,
    // before the server answers a request sent after the change (no sleep needed, none enough)
    await conn.sendRequest(Methods.getResults, { uri });
    expect(results.length).toBe(before); // no new results: nothing ran
  });

  it('a diverging run becomes a diagnostic on its definition; cancel ends in-flight work', async () => {
    await conn.sendNotification('textDocument/didChange', {
      textDocument: { uri, version: 3 },
      contentChanges: [{ text: text(5) }],
    });
    const { revision } = (await conn.sendRequest(Methods.runNow, { uri })) as { revision: number };
    const fin = await waitFor(() => results.find((m) => m.uri === uri && m.final && m.revision >= revision));
    expect(fin.doc.runs.gd.status).toBe('diverged');
    expect(fin.doc.runs.ln.status).toBe('done');
    const d = await waitFor(() => diagnostics.filter((x) => x.uri === uri).at(-1)?.diagnostics.find((x) => x.code === 'diverged'));
    expect(d.message).toMatch(/diverged at step \d+/);
    const gdLine = text(5).split('\n').findIndex((l) => l.startsWith('gd '));
    expect((d as unknown as { range: { start: { line: number } } }).range.start.line).toBe(gdLine);
    // an edit above it, not run yet: the finding moves with its definition
    const n = diagnostics.length;
    await conn.sendNotification('textDocument/didChange', { textDocument: { uri, version: 30 }, contentChanges: [{ text: `# a comment\n# and another\n${text(5)}` }] });
    // the diagnostics of that very version (a late publication for the text that ran carries its
    // own, older version and the old line)
    const moved = await waitFor(
      () => diagnostics.slice(n).find((x) => x.uri === uri && x.version === 30)?.diagnostics.find((x) => x.code === 'diverged'),
      'the diverged finding in the diagnostics of version 30',
      () => diagnostics.slice(n).map((x) => [x.version, x.diagnostics.map((d) => d.code)]),
    );
    expect((moved as unknown as { range: { start: { line: number } } }).range.start.line).toBe(gdLine + 2);
    // and goes with it
    const m = diagnostics.length;
    await conn.sendNotification('textDocument/didChange', { textDocument: { uri, version: 31 }, contentChanges: [{ text: text(5).replace(/^gd .*$/m, '').replace('plot loss(gd, ln', 'plot loss(ln') }] });
    const gone = await waitFor(() => diagnostics.slice(m).find((x) => x.uri === uri && x.version === 31), 'the diagnostics of version 31');
    expect(gone.diagnostics.filter((x) => x.code === 'diverged')).toEqual([]);

    // a long run, cancelled by request: the final document says 'cancelled'
    await conn.sendNotification('textDocument/didChange', { textDocument: { uri, version: 32 }, contentChanges: [{ text: text(0.011).replace('150000', '90000000') }] });
    const r2 = ((await conn.sendRequest(Methods.runNow, { uri })) as { revision: number }).revision;
    await waitFor(() => results.find((m) => m.uri === uri && m.revision === r2 && m.doc.runs.gd.status === 'running'));
    await conn.sendRequest(Methods.cancel, { uri });
    const c = await waitFor(() => results.find((m) => m.uri === uri && m.revision === r2 && m.final));
    expect(c.doc.runs.gd.status).toBe('cancelled');
  });

  it("a text with a checker error streams results whose doc.diagnostics name the error's line and definition", async () => {
    const typo = 'file:///tmp/typo.sgdexp';
    // line 5 (1-based): `recrod` is no parameter of train
    const bad = text(0.01).replace('steps = 2000)', 'steps = 2000, recrod = 10)');
    expect(bad.split('\n')[4]).toContain('recrod');
    await conn.sendNotification('textDocument/didOpen', { textDocument: { uri: typo, languageId: 'sgdexp', version: 1, text: bad } });
    const { revision } = (await conn.sendRequest(Methods.runNow, { uri: typo })) as { revision: number };
    const fin = await waitFor(() => results.find((m) => m.uri === typo && m.final && m.revision >= revision));
    expect(fin.doc.diagnostics).toEqual([expect.objectContaining({ severity: 'error', line: 5, def: 'ln', message: expect.stringContaining("'recrod'") })]);
    // every message of that revision carries them, and passes the webview's validator
    for (const m of results.filter((x) => x.uri === typo && x.revision === fin.revision)) {
      expect(m.doc.diagnostics?.[0]?.line).toBe(5);
      expect(validateResultsDoc(m.doc).ok).toBe(true);
    }
    // the error-free part still ran
    expect(fin.doc.runs.gd.status).toBe('done');
    // fixed: the next revision's documents have none
    await conn.sendNotification('textDocument/didChange', { textDocument: { uri: typo, version: 2 }, contentChanges: [{ text: text(0.01) }] });
    const r2 = ((await conn.sendRequest(Methods.runNow, { uri: typo })) as { revision: number }).revision;
    const clean = await waitFor(() => results.find((m) => m.uri === typo && m.final && m.revision >= r2));
    expect(clean.doc.diagnostics).toBeUndefined();
  });
});
