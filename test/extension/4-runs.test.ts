import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawn } from 'node:child_process';
import * as vscode from 'vscode';
import type { LogEntry } from '../../src/extension/messageLog';
import { validateToWebview } from '../../src/core/wire/webviewMessages';
import { api, bench, built, closeAll, fixture, open, until, workspaceDir } from './helpers';

type ToResults = Extract<LogEntry, { dir: 'to' }> & { msg: { type: 'results' } };

function resultsTo(a: Awaited<ReturnType<typeof api>>, uri: vscode.Uri, pred: (e: ToResults) => boolean = () => true): ToResults | undefined {
  return a.messages.entries.find(
    (e): e is ToResults => e.dir === 'to' && e.msg.type === 'results' && e.msg.uri === uri.toString() && pred(e as ToResults),
  );
}

type FromRendered = Extract<LogEntry, { dir: 'from' }> & { msg: { type: 'rendered'; revision: number; plots: number; ms: number } };

function rendered(a: Awaited<ReturnType<typeof api>>, panel: number, minRevision: number): FromRendered | undefined {
  return a.messages.entries.find(
    (e): e is FromRendered => e.dir === 'from' && e.panel === panel && e.msg.type === 'rendered' && e.msg.revision >= minRevision,
  );
}

async function replaceAndSave(doc: vscode.TextDocument, from: string | RegExp, to: string): Promise<number> {
  const text = doc.getText();
  // `to` is taken literally (a function replacer: no `$` patterns)
  const next = text.replace(from, () => to);
  assert.notEqual(next, text, `the fixture contains ${String(from)}`);
  const edit = new vscode.WorkspaceEdit();
  edit.replace(doc.uri, new vscode.Range(doc.positionAt(0), doc.positionAt(text.length)), next);
  assert.ok(await vscode.workspace.applyEdit(edit));
  // The browser workbench now and then refuses a save right after an edit (save() resolves false,
  // the document stays dirty); a second attempt goes through. Time from the save that succeeds.
  for (let attempt = 1; ; attempt++) {
    const t = Date.now(); // same clock as the message log's timestamps
    if (await doc.save()) return t;
    assert.ok(attempt < 4, `saved ${doc.uri.toString()} (dirty ${doc.isDirty}, closed ${doc.isClosed}, version ${doc.version})`);
    console.log(`(save of ${doc.uri.path.split('/').pop()} refused, attempt ${attempt}; retrying)`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

const median = (xs: number[]) => {
  const s = [...xs].sort((x, y) => x - y);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

suite('runs in the preview', () => {
  let panel = 0;
  const small = () => fixture('small.sgdexp');

  suiteSetup(async function () {
    await api();
    assert.ok(built('dist/server.js') && built('dist/webview/webview.js'), 'the extension is built (test/extension/run.sh builds it first)');
    await closeAll();
    original = fs.readFileSync(small().fsPath, 'utf8');
  });
  // the suite edits and saves its fixture (lr 0.02 → 0.05 over the tests): put it back as it found
  // it, so the suites after it see the file the workspace ships
  suiteTeardown(async () => {
    const doc = await vscode.workspace.openTextDocument(small());
    if (doc.getText() !== original) await replaceAndSave(doc, doc.getText(), original);
    else if (doc.isDirty) await doc.save();
    await closeAll();
    assert.equal(fs.readFileSync(small().fsPath, 'utf8'), original, 'the fixture restored on disk');
  });
  let original = '';

  test('the preview receives the results of its file and the page draws every plot', async () => {
    const a = await api();
    await open('small.sgdexp', vscode.ViewColumn.One);
    await vscode.commands.executeCommand('sgdexp.showPreviewToSide');
    panel = (await until('a preview', () => a.previews().find((p) => p.uri === small().toString()))).id;
    await vscode.commands.executeCommand('sgdexp.runNow', small());
    const r = await until('final results for small.sgdexp', () => resultsTo(a, small(), (e) => e.msg.final && e.panel === panel));
    assert.deepEqual(Object.keys(r.msg.doc.runs).sort(), ['gd', 'ln']);
    for (const run of Object.values(r.msg.doc.runs)) assert.equal(run.status, 'done', run.message ?? '');
    assert.equal(r.msg.doc.plots.length, 2);
    const d = await until('the page to draw them', () => rendered(a, panel, r.msg.revision));
    assert.equal(d.msg.plots, 2);
  });

  test('saving an edit re-runs and the panel receives the new results', async () => {
    const a = await api();
    const doc = await vscode.workspace.openTextDocument(small());
    const before = Math.max(...a.messages.entries.filter((e) => e.dir === 'to' && e.msg.type === 'results' && e.uri === small().toString()).map((e) => (e.msg as { revision: number }).revision));
    const tSave = await replaceAndSave(doc, 'gd(lr = 0.02)', 'gd(lr = 0.03)');
    const r = await until('new final results', () => resultsTo(a, small(), (e) => e.msg.final && e.msg.revision > before && e.panel === panel));
    assert.equal(r.msg.doc.runs.gd.params.lr, 0.03, 'the edited run was re-run');
    const d = await until('the page to redraw', () => rendered(a, panel, r.msg.revision));
    bench('save-to-final-redraw small.sgdexp', d.t - tSave);
  });

  test('Cancel Runs stops a long run and the status bar shows its progress until then', async () => {
    const a = await api();
    const doc = await vscode.workspace.openTextDocument(small());
    const before = Math.max(0, ...a.messages.entries.filter((e) => e.dir === 'to' && e.msg.type === 'results' && e.uri === small().toString()).map((e) => (e.msg as { revision: number }).revision));
    await replaceAndSave(doc, /steps = 400, record = 50\)\nln/, 'steps = 3000000, record = 50)\nln');
    await until('the status bar to show run progress', () => /sgdexp \d+\/\d+ runs/.test(a.statusBarText()));
    // what a click on the item does: run its command
    const click = a.statusBarCommand();
    assert.equal(click, 'sgdexp.cancel', 'the progress item cancels on click');
    const t = Date.now();
    await vscode.commands.executeCommand(click!);
    const r = await until('a final document with the cancelled run', () =>
      resultsTo(a, small(), (e) => e.msg.final && e.msg.revision > before && e.msg.doc.runs.gd?.status === 'cancelled'));
    bench('cancel-to-final', Date.now() - t);
    assert.equal(r.msg.doc.runs.gd.status, 'cancelled');
    await until('the status bar to stop showing progress', () => !/runs/.test(a.statusBarText()));
    assert.notEqual(a.statusBarCommand(), 'sgdexp.cancel', 'nothing left to cancel on click');
    // restore the fixture for the next tests
    await replaceAndSave(doc, 'steps = 3000000', 'steps = 400');
    await until('results after restoring', () => resultsTo(a, small(), (e) => e.msg.final && e.msg.doc.runs.gd?.status === 'done' && e.msg.revision > r.msg.revision));
  });

  test('Export Figures waits for runs in flight, then exports the final document', async () => {
    const a = await api();
    const doc = await vscode.workspace.openTextDocument(small());
    const before = Math.max(0, ...a.messages.entries.filter((e) => e.dir === 'to' && e.msg.type === 'results' && e.uri === small().toString()).map((e) => (e.msg as { revision: number }).revision));
    await replaceAndSave(doc, /steps = 400, record = 50\)\nln/, 'steps = 3000000, record = 50)\nln');
    const streaming = await until('gd streaming', () =>
      resultsTo(a, small(), (e) => e.msg.revision > before && !e.msg.final && e.msg.doc.runs.gd?.status === 'running'));
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'sgdexp-export-wait-'));
    try {
      let finishedAt = 0;
      const tExport = Date.now();
      const exporting = a.exportFigures({ uri: small().toString(), folder, formats: ['json', 'svg'] }).then((f) => ((finishedAt = Date.now()), f));
      // gd goes on streaming (a results message sent after the export began, gd still running):
      // the export must still be waiting then, with nothing written
      await until('gd still streaming after the export began', () =>
        resultsTo(a, small(), (e) => e.t > tExport && e.msg.revision === streaming.msg.revision && !e.msg.final && e.msg.doc.runs.gd?.status === 'running'));
      assert.equal(finishedAt, 0, 'the export finished while gd was still running');
      assert.deepEqual(fs.readdirSync(folder), [], 'files written while runs were in flight');
      // cancelling the runs makes the document final: the export goes on with it
      const tCancel = Date.now();
      await vscode.commands.executeCommand('sgdexp.cancel');
      const files = (await exporting).map((f) => path.basename(f)).sort();
      assert.ok(finishedAt >= tCancel, 'the export finished before the runs were cancelled');
      assert.deepEqual(files.filter((n) => n.endsWith('.json')), ['small.json']);
      assert.equal(files.filter((n) => n.endsWith('.svg')).length, 2, files.join(', '));
      const json = JSON.parse(fs.readFileSync(path.join(folder, 'small.json'), 'utf8')) as { runs: Record<string, { status: string }> };
      assert.equal(json.runs.gd.status, 'cancelled', 'the exported document is the final one');
      assert.deepEqual(Object.entries(json.runs).filter(([, r]) => r.status === 'running' || r.status === 'queued').map(([k]) => k), [], 'runs in flight in the export');
    } finally {
      fs.rmSync(folder, { recursive: true, force: true });
      await vscode.commands.executeCommand('sgdexp.cancel');
      await replaceAndSave(doc, 'steps = 3000000', 'steps = 400');
      await until('results after restoring', () =>
        resultsTo(a, small(), (e) => e.msg.final && e.msg.doc.runs.gd?.status === 'done' && e.msg.doc.runs.gd.params.steps === 400 && e.msg.revision > streaming.msg.revision));
    }
  });

  test('under load, a Cancel and a save during a long run are acknowledged and the stale run never finishes', async () => {
    const a = await api();
    const doc = await vscode.workspace.openTextDocument(small());
    const uri = small().toString();
    type Any = { t: number; dir: string; panel?: number; uri?: string; msg: { type: string; revision?: number; final?: boolean; doc?: { runs: Record<string, { status: string }> } } };
    const toPage = (pred: (e: Any) => boolean) => (a.messages.entries as unknown as Any[]).filter((e) => e.dir === 'to' && e.panel === panel && e.uri === uri && pred(e));
    const newest = () => Math.max(0, ...toPage((e) => e.msg.type === 'results' || e.msg.type === 'status').map((e) => e.msg.revision ?? 0));
    // two processes spinning on the cores for the whole test, as a compiler or a browser would
    const spinners = [0, 1].map(() =>
      spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore', env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' } }));
    try {
      // ---- a Cancel (the status bar's click) during a long run
      let before = newest();
      await replaceAndSave(doc, /steps = 400, record = 50\)\nln/, 'steps = 3000000, record = 50)\nln');
      const r1 = (await until('gd streaming', () => toPage((e) => e.msg.type === 'results' && (e.msg.revision ?? 0) > before && e.msg.doc?.runs.gd?.status === 'running')[0])).msg.revision!;
      const tCancel = Date.now();
      await vscode.commands.executeCommand('sgdexp.cancel');
      const ack = await until('the cancel acknowledged on the page', () => toPage((e) => e.t >= tCancel && e.msg.revision === r1 && e.msg.type === 'results' && e.msg.doc?.runs.gd?.status === 'cancelled')[0]);
      const fin = await until('the cancelled revision final', () => toPage((e) => e.msg.type === 'results' && e.msg.revision === r1 && !!e.msg.final)[0]);
      assert.equal(fin.msg.doc!.runs.gd.status, 'cancelled');
      assert.ok(ack.t <= fin.t, 'acknowledged before (or with) the final document');
      assert.deepEqual(toPage((e) => e.t > ack.t && e.msg.revision === r1 && e.msg.type === 'results' && e.msg.doc?.runs.gd?.status === 'running'), [], 'gd shown running again after the cancel was acknowledged');
      // ---- a save during a long run: the new revision supersedes it
      before = newest();
      await replaceAndSave(doc, 'steps = 3000000', 'steps = 3000001');
      const r2 = (await until('gd streaming again', () => toPage((e) => e.msg.type === 'results' && (e.msg.revision ?? 0) > before && e.msg.doc?.runs.gd?.status === 'running')[0])).msg.revision!;
      let saidSaved = 0;
      const onSave = vscode.workspace.onDidSaveTextDocument((d) => d.uri.toString() === uri && (saidSaved ||= Date.now()));
      const tSave = await replaceAndSave(doc, 'steps = 3000001', 'steps = 3000002');
      const ack2 = await until('the save acknowledged on the page', () => toPage((e) => (e.msg.type === 'results' || e.msg.type === 'status') && (e.msg.revision ?? 0) > r2)[0]);
      // the edit before the save may get a revision of its own (checked, not run: run.on = save),
      // so the one computing is the first revision above r2 whose gd runs, not the first message seen
      const running3 = await until('a revision above the superseded one computing gd', () => toPage((e) => e.msg.type === 'results' && (e.msg.revision ?? 0) > r2 && e.msg.doc?.runs.gd?.status === 'running')[0]);
      const r3 = running3.msg.revision!;
      // the order of events: the superseded revision sends nothing once the new one is acknowledged
      // (the message names what came, so a failure says which message broke the order)
      const late = toPage((e) => e.t > ack2.t && e.msg.revision === r2);
      const said = (e: Any) => `${e.msg.type} r${e.msg.revision}${e.msg.final ? ' final' : ''}${e.msg.doc ? ` gd ${e.msg.doc.runs.gd?.status}` : ''} at +${e.t - ack2.t} ms`;
      assert.deepEqual(late.map((e) => e.msg.type), [], `messages of the superseded revision after the new one: ${late.map(said).join('; ')}; the new one acknowledged by ${said(ack2)}; revisions r2 = ${r2}, r3 = ${r3}`);
      await vscode.commands.executeCommand('sgdexp.cancel');
      await until('the last revision final', () => toPage((e) => e.msg.type === 'results' && e.msg.revision === r3 && !!e.msg.final)[0]);
      assert.deepEqual(toPage((e) => e.msg.type === 'results' && e.msg.revision === r2 && !!e.msg.final), [], 'the stale revision produced a final document');
      assert.equal(a.latestResults(uri)?.revision, r3);
      // printed, not asserted (wall-clock figures of a loaded machine)
      bench('under load: cancel → acknowledged on the page', ack.t - tCancel);
      bench('under load: cancel → final document', fin.t - tCancel);
      bench(`under load: save → acknowledged on the page (${ack2.msg.type})`, ack2.t - tSave);
      bench('under load: save → new revision computing', running3.t - tSave);
      onSave.dispose();
      if (saidSaved) bench('  of which save() until onDidSaveTextDocument (VS Code writes the file)', saidSaved - tSave);
    } finally {
      for (const p of spinners) p.kill('SIGKILL');
      await vscode.commands.executeCommand('sgdexp.cancel');
      const last = newest();
      if (/steps = 300000\d/.test(doc.getText())) await replaceAndSave(doc, /steps = 300000\d/, 'steps = 400');
      await until('results after restoring', () =>
        resultsTo(a, small(), (e) => e.msg.final && e.msg.revision > last && e.msg.doc.runs.gd?.status === 'done' && e.msg.doc.runs.gd.params.steps === 400));
    }
  });

  test('with sgdexp.run.on = manual a save does not run, Run Now does', async () => {
    const a = await api();
    const cfg = vscode.workspace.getConfiguration('sgdexp');
    await cfg.update('run.on', 'manual', vscode.ConfigurationTarget.Workspace);
    try {
      // the client forwards the change (workspace/didChangeConfiguration): wait until it landed
      await a.syncSettings();
      const doc = await vscode.workspace.openTextDocument(small());
      let saved = false;
      const onSave = vscode.workspace.onDidSaveTextDocument((d) => d.uri.toString() === small().toString() && (saved = true));
      const t = await replaceAndSave(doc, 'gd(lr = 0.03)', 'gd(lr = 0.04)');
      // No sleep: the server has handled the save once it answers a request sent after it (the
      // language client sends didSave from its listener on this event, registered before the
      // test's), and a run the save started would have sent its revision's first results before
      // that answer (a revision's first message goes out as it is opened).
      await until('the save seen by the extension host', () => saved);
      onSave.dispose();
      await a.syncSettings();
      const ran = a.messages.entries.find((e) => e.dir === 'to' && e.t >= t && e.msg.type === 'results' && e.msg.uri === small().toString() && e.msg.doc.runs.gd?.params.lr === 0.04);
      assert.equal(ran, undefined, 'no run of the saved edit while run.on = manual');
      assert.notEqual(a.latestResults(small().toString())?.doc.runs.gd?.params.lr, 0.04, 'no results of the saved edit while run.on = manual');
      await vscode.commands.executeCommand('sgdexp.runNow', small());
      const r = await until('results after Run Now', () => resultsTo(a, small(), (e) => e.t >= t && e.msg.final && e.msg.doc.runs.gd?.params.lr === 0.04));
      assert.equal(r.msg.doc.runs.gd.status, 'done');
    } finally {
      await cfg.update('run.on', undefined, vscode.ConfigurationTarget.Workspace);
      await a.syncSettings();
    }
  });

  test('with sgdexp.run.on = type an edit re-runs without a save, after the debounce', async () => {
    const a = await api();
    const cfg = vscode.workspace.getConfiguration('sgdexp');
    await cfg.update('run.on', 'type', vscode.ConfigurationTarget.Workspace);
    await cfg.update('run.debounceMs', 100, vscode.ConfigurationTarget.Workspace);
    const doc = await vscode.workspace.openTextDocument(small());
    try {
      await a.syncSettings();
      const text = doc.getText();
      const edit = new vscode.WorkspaceEdit();
      const i = text.indexOf('gd(lr = 0.04)');
      assert.ok(i >= 0, 'fixture state from the previous test');
      edit.replace(doc.uri, new vscode.Range(doc.positionAt(i), doc.positionAt(i + 'gd(lr = 0.04)'.length)), 'gd(lr = 0.05)');
      const t = Date.now();
      assert.ok(await vscode.workspace.applyEdit(edit));
      const r = await until('results of the unsaved edit', () => resultsTo(a, small(), (e) => e.t >= t && e.msg.final && e.msg.doc.runs.gd?.params.lr === 0.05));
      assert.equal(doc.isDirty, true, 'not saved');
      bench('type-to-final-results small.sgdexp (debounce 100 ms)', r.t - t);
    } finally {
      await cfg.update('run.on', undefined, vscode.ConfigurationTarget.Workspace);
      await cfg.update('run.debounceMs', undefined, vscode.ConfigurationTarget.Workspace);
      await doc.save();
    }
  });

  test('Export Figures writes SVG, PNG, CSV and JSON', async () => {
    const a = await api();
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'sgdexp-export-'));
    const files = await a.exportFigures({ uri: small().toString(), folder, formats: ['svg', 'png', 'csv', 'json'] });
    const names = files.map((f) => path.basename(f)).sort();
    assert.equal(names.filter((n) => n.endsWith('.svg')).length, 2, names.join(', '));
    assert.equal(names.filter((n) => n.endsWith('.png')).length, 2, names.join(', '));
    // NAME.json, as `sgdexp run` names it
    assert.ok(names.includes('small.json') && !names.some((n) => n.includes('.results.')), names.join(', '));
    const json = JSON.parse(fs.readFileSync(path.join(folder, 'small.json'), 'utf8'));
    assert.equal(json.format, 'sgdexp-results');
    // a file of the same name that is not ours stays as it is unless the user agrees
    fs.writeFileSync(path.join(folder, 'small.json'), 'my own notes\n');
    const none = await a.exportFigures({ uri: small().toString(), folder, formats: ['json', 'csv'], overwrite: 'never' });
    assert.deepEqual(none, [], 'nothing written when a file would be replaced');
    assert.equal(fs.readFileSync(path.join(folder, 'small.json'), 'utf8'), 'my own notes\n');
    const again = await a.exportFigures({ uri: small().toString(), folder, formats: ['json'], overwrite: 'always' });
    assert.equal(again.length, 1);
    assert.equal(JSON.parse(fs.readFileSync(path.join(folder, 'small.json'), 'utf8')).format, 'sgdexp-results');
    const csv = fs.readFileSync(path.join(folder, 'small.csv'), 'utf8').split('\n');
    assert.match(csv[0], /^run,.*step,time,metric,index,value$/);
    assert.ok(csv.length > 10);
    for (const n of names.filter((x) => x.endsWith('.svg'))) assert.match(fs.readFileSync(path.join(folder, n), 'utf8'), /<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    for (const n of names.filter((x) => x.endsWith('.png'))) assert.equal(fs.readFileSync(path.join(folder, n)).readUInt32BE(0), 0x89504e47);
    fs.rmSync(folder, { recursive: true, force: true });
  });

  test('Export Figures: into figures/ beside the file, title and legend inside the SVG, print theme', async () => {
    const a = await api();
    const dir = path.join(workspaceDir(), 'figures');
    fs.rmSync(dir, { recursive: true, force: true });
    try {
      const files = await a.exportFigures({ uri: small().toString(), formats: ['svg'] });
      assert.equal(files.length, 2, files.join(', '));
      for (const f of files) assert.equal(path.dirname(f), dir, 'exported into figures/ beside small.sgdexp');
      const plots = a.latestResults(small().toString())!.doc.plots;
      for (const [i, f] of files.sort().entries()) {
        const svg = fs.readFileSync(f, 'utf8');
        const texts = [...svg.matchAll(/<text\b[^>]*>([\s\S]*?)<\/text>/g)].map((m) => m[1]!.replace(/<[^>]+>/g, '').replace(/&amp;/g, '&'));
        assert.ok(texts.some((t) => t.includes(plots[i]!.title)), `the title "${plots[i]!.title}" in ${path.basename(f)}: ${texts.slice(0, 12).join(' | ')}`);
        for (const run of ['gd', 'ln']) assert.ok(texts.some((t) => t.includes(run)), `legend entry ${run} in ${path.basename(f)}`);
        // an opaque white background and black text, whatever the editor's theme
        assert.match(svg, /<rect(?=[^>]*class="sg-background")(?=[^>]*fill="#ffffff")[^>]*>/, 'a white background rect');
        assert.match(svg, /^<\?xml[^>]*>\s*<svg[^>]*\scolor="#000000"/, 'black text');
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('CodeLens above each train and plot line, and the hover of a run name, show its results', async () => {
    await open('small.sgdexp', vscode.ViewColumn.One);
    const lenses = await until('lenses with results', async () => {
      const ls = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', small());
      return ls?.length && ls.some((l) => l.command?.title.startsWith('✓')) ? ls : null;
    });
    const doc = await vscode.workspace.openTextDocument(small());
    const lineOf = (re: RegExp) => doc.getText().split('\n').findIndex((l) => re.test(l));
    const at = (line: number) => lenses.filter((l) => l.range.start.line === line).map((l) => [l.command!.title, l.command!.command]);
    const gd = at(lineOf(/^gd\s*=/));
    assert.match(gd[0]![0], /^✓ 400 steps · .* · loss [\d.e−-]+ · log det [−\d.e]+$/, gd[0]![0]);
    assert.deepEqual(gd.slice(1), [['▶ Run', 'sgdexp.runNow'], ['⏹ Cancel', 'sgdexp.cancel']]);
    assert.equal(at(lineOf(/^plot loss/)).length, 3, 'a lens on the plot line');
    const line = lineOf(/^gd\s*=/);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', small(), new vscode.Position(line, 0));
    const md = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
    assert.match(md, /\*\*Results\*\* — ✓ 400 steps/);
    assert.match(md, /loss `[▁▂▃▄▅▆▇█]+`/, 'a sparkline of the loss');
    assert.match(md, /\| logdet \| [−\d.e]+ \|/, 'the final log det');
    const lr = doc.getText().split('\n')[line]!.indexOf('0.0');
    const num = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', small(), new vscode.Position(line, lr + 1));
    assert.match(num.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n'), /stability limit 2\/λ_max\(XᵀX\) ≈ [\d.]+/);
  });

  test('bench: save → first redrawn plot, Fig. 1 example with cached runs', async function () {
    const a = await api();
    const fig1 = fixture('01-varre-fig1.sgdexp');
    assert.ok(fs.existsSync(fig1.fsPath), 'test/extension/run.sh copies examples/01-varre-fig1.sgdexp into the workspace');
    await open('01-varre-fig1.sgdexp', vscode.ViewColumn.One);
    if (!a.previews().length) await vscode.commands.executeCommand('sgdexp.showPreviewToSide');
    const p = await until('the preview to follow', () => a.previews().find((x) => x.uri === fig1.toString()));
    await vscode.commands.executeCommand('sgdexp.runNow', fig1);
    await until('Fig. 1 computed', () => resultsTo(a, fig1, (e) => e.msg.final && e.panel === p.id));
    const doc = await vscode.workspace.openTextDocument(fig1);
    const times: number[] = [];
    const parts: [number, number][] = [];
    const newest = () =>
      Math.max(-1, ...a.messages.entries.filter((e) => e.dir === 'to' && e.msg.type === 'results' && e.uri === fig1.toString()).map((e) => (e.msg as { revision: number }).revision));
    const saveEvents: number[] = [];
    const onSave = vscode.workspace.onDidSaveTextDocument((d) => d.uri.toString() === fig1.toString() && saveEvents.push(Date.now()));
    const saved: number[] = [];
    for (let i = 0; i < 5; i++) {
      const rev = newest();
      // a plot's title changes: its runs are cached, only the plot node recomputes
      const t = await replaceAndSave(doc, /title = "top-5 singular values of W1[^"]*"/, `title = "top-5 singular values of W1 (${i})"`);
      const got = await until('a redraw', () =>
        a.messages.entries.find((e): e is FromRendered => e.dir === 'from' && e.panel === p.id && e.t >= t && e.msg.type === 'rendered' && e.msg.revision > rev));
      times.push(got.t - t);
      const ev = saveEvents.find((x) => x >= t);
      if (ev !== undefined) saved.push(ev - t);
      const sent = a.messages.entries.find((e) => e.dir === 'to' && e.msg.type === 'results' && e.uri === fig1.toString() && e.t >= t);
      parts.push([sent ? sent.t - t : NaN, got.msg.ms]);
      if (process.env.SGDEXP_BENCH_TRACE)
        for (const e of a.messages.entries.filter((x) => x.t >= t && x.uri === fig1.toString()))
          console.log(`bench trace +${e.t - t} ${e.dir} ${JSON.stringify(e.msg).slice(0, 120)}`);
      await until('final', () => resultsTo(a, fig1, (e) => e.msg.final && e.msg.revision > rev));
    }
    onSave.dispose();
    bench('save-to-first-redraw fig1 (cached runs, median of 5)', median(times));
    if (saved.length) bench('  save() until onDidSaveTextDocument (VS Code: the browser writes the file)', median(saved));
    const last = resultsTo(a, fig1, (e) => e.msg.final && e.msg.revision >= newest());
    if (last) {
      const v: number[] = [];
      for (let i = 0; i < 5; i++) {
        const t0 = performance.now();
        validateToWebview({ ...last.msg });
        v.push(performance.now() - t0);
      }
      bench('  results document size (JSON)', JSON.stringify(last.msg).length / 1024, 'KB');
      bench('  validating one results message (extension side)', median(v));
    }
    // a title edit leaves every run as it was: the page is sent the plots only (RunReuse)
    const wire = a.messages.entries.filter((e): e is ToResults => e.dir === 'to' && e.msg.type === 'results' && e.uri === fig1.toString() && e.msg.final && e.msg.revision > 0).at(-1);
    assert.ok(wire, 'no final results posted');
    const reused = (wire as { reused?: string[] }).reused ?? [];
    assert.deepEqual([...reused].sort(), ['gd', 'ln'], 'a title edit re-sends no run to the page');
    const sent = { ...wire.msg.doc, runs: Object.fromEntries(Object.entries(wire.msg.doc.runs).filter(([k]) => !reused.includes(k))) };
    bench('  results message on the wire (runs reused)', JSON.stringify({ ...wire.msg, doc: sent }).length / 1024, 'KB');
    bench('  save-to-results-posted (server + extension)', median(parts.map((x) => x[0])));
    bench('  page render time (reported by the page)', median(parts.map((x) => x[1])));
  });
});
