// Pure pieces of the extension that need the `vscode` module to load, checked inside the host.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { describeTemplate } from '../../src/extension/newExperiment';
import { figureBytes, slug } from '../../src/extension/exportFigures';
import { readSettings } from '../../src/extension/settings';
import { summarize } from '../../src/extension/statusBar';
import type { NodeStatus } from '../../src/core/protocol';

const run = (id: string, state: NodeStatus['state'], step: number, steps: number): NodeStatus => ({
  id, kind: 'run', state, deps: [], progress: { step, steps },
});

suite('extension pieces', () => {
  test('status bar progress: finished runs count in full, running ones by their step, others by nothing', () => {
    const p = summarize('u', [
      run('a', 'done', 0, 1000),
      run('b', 'running', 250, 1000),
      run('c', 'queued', 0, 2000),
      run('d', 'stale', 0, 1000),
      { id: 'data', kind: 'data', state: 'cached', deps: [] },
    ]);
    assert.equal(p.total, 4);
    assert.equal(p.running, 1);
    assert.equal(p.queued, 1, 'stale is not in flight');
    assert.equal(p.done, 1);
    // (1000 + 250 + 0 + 0) / (1000 + 1000 + 2000 + 1000)
    assert.equal(p.fraction, 1250 / 5000);
    assert.equal(summarize('u', []).fraction, null);
  });

  test('export file names: plot titles become safe slugs', () => {
    // NFKD folds the superscript ᵀ to T; Greek letters drop out
    assert.equal(slug('log det(θᵀθ): GD vs label noise'), 'log-det-t-gd-vs-label-noise');
    assert.equal(slug('Fig. 1: test loss vs stepsize'), 'fig-1-test-loss-vs-stepsize');
    assert.equal(slug('../../etc/passwd'), 'etc-passwd');
    assert.equal(slug('θθθ'), 'plot');
  });

  test('exported figures: SVG gets its namespace, PNG must be a PNG', () => {
    const svg = new TextDecoder().decode(figureBytes('svg', '<svg width="1"><g/></svg>'));
    assert.match(svg, /^<\?xml[^>]*>\n<svg xmlns="http:\/\/www.w3.org\/2000\/svg" width="1">/);
    const png1x1 = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';
    assert.equal(Buffer.from(figureBytes('png', png1x1)).readUInt32BE(0), 0x89504e47);
    assert.throws(() => figureBytes('png', 'data:image/png;base64,PHN2Zz4='), /not a PNG/);
  });

  test('templates: label and detail from the first two comment lines', () => {
    const t = describeTemplate('x', '# Title here\n# What it shows\nseed = 1\n');
    assert.deepEqual([t.label, t.detail], ['Title here', 'What it shows']);
    assert.equal(describeTemplate('bare', 'seed = 1\n').label, 'bare');
  });

  test('settings: a mistyped or out-of-range value falls back to its default', async () => {
    const c = vscode.workspace.getConfiguration('sgdexp');
    await c.update('run.on', 'sometimes', vscode.ConfigurationTarget.Workspace);
    await c.update('run.debounceMs', -5, vscode.ConfigurationTarget.Workspace);
    await c.update('cache.sizeMB', 'big', vscode.ConfigurationTarget.Workspace);
    try {
      const s = readSettings();
      assert.equal(s.runOn, 'save');
      assert.equal(s.debounceMs, 0);
      assert.equal(s.cacheMB, 256);
      assert.equal(s.workers, 1);
    } finally {
      await c.update('run.on', undefined, vscode.ConfigurationTarget.Workspace);
      await c.update('run.debounceMs', undefined, vscode.ConfigurationTarget.Workspace);
      await c.update('cache.sizeMB', undefined, vscode.ConfigurationTarget.Workspace);
    }
  });
});
