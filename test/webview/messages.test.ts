// Validators of the extension ⇄ webview protocol, the preview's revision logic, and the page HTML.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { validateFromWebview, validateResultsDoc, validateToWebview } from '../../src/core/wire/webviewMessages';
import { contentSecurityPolicy, makeNonce, renderWebviewHtml } from '../../src/extension/webviewHtml';
import { PreviewStore } from '../../webview/store';
import type { ResultsDoc } from '../../src/core/results';

const raw = (name: string) => JSON.parse(readFileSync(join(__dirname, 'fixtures', name), 'utf8'));
const FIG1 = raw('fig1.json');
const msg = (doc: unknown, revision = 1, final = true, uri = 'file:///a.sgdexp') => ({ type: 'results', uri, revision, final, doc });

describe('validateToWebview', () => {
  it('accepts every recorded fixture, with JSON nulls (non-finite values) in metrics', () => {
    for (const f of ['fig1.json', 'fig1-real.json', 'fig1-streaming-40.json', 'diagonal.json', 'diverged.json', 'relu.json', 'completion.json']) {
      const v = validateToWebview(msg(raw(f)));
      expect(v.ok, f + (v.ok ? '' : v.error)).toBe(true);
    }
    expect(validateToWebview({ type: 'status', uri: 'u', revision: 0, nodes: [{ id: 'gd', kind: 'run', state: 'running', deps: ['data'], progress: { step: 1, steps: 9 } }] }).ok).toBe(true);
    expect(validateToWebview({ type: 'message', level: 'info', text: 'hi' }).ok).toBe(true);
    expect(validateToWebview({ type: 'export', requestId: 3, format: 'png' }).ok).toBe(true);
  });

  it('fills defaults of a minimal run (a failure before the first record)', () => {
    const v = validateResultsDoc({ format: 'sgdexp-results', version: 1, file: 'f', seed: 1, runs: { x: { status: 'error', message: 'boom' } }, plots: [{ title: 't', metric: 'loss', runs: ['x'] }] });
    expect(v.ok).toBe(true);
    if (!v.ok) return;
    expect(v.value.runs.x).toMatchObject({ step: [], time: [], metrics: {}, member: null, theory: {} });
    expect(v.value.plots[0]).toMatchObject({ kind: 'series', x: 'step', y: 'linear', theory: false, top: null });
  });

  it('accepts checker diagnostics on a document (1-based lines) and rejects malformed ones', () => {
    const base = { format: 'sgdexp-results', version: 1, file: 'f', seed: 1, runs: {}, plots: [] };
    expect(validateResultsDoc({ ...base, diagnostics: [{ severity: 'error', line: 13, message: "unknown parameter 'deltaa'", def: 'ln' }] }).ok).toBe(true);
    const bad = validateResultsDoc({ ...base, diagnostics: [{ severity: 'error', line: 0, message: 'x' }] });
    expect(bad.ok ? '' : bad.error).toContain('doc.diagnostics[0].line');
  });

  it('accepts evaluated claims on a document and rejects malformed ones', () => {
    const base = { format: 'sgdexp-results', version: 1, file: 'f', seed: 1, runs: {}, plots: [] };
    const claim = { line: 12, text: 'final(loss, gd) > 1', status: 'failed', values: { left: 0.5, right: 1 }, summary: 'final(loss, gd) = 0.5 > 1', message: 'the claim does not hold' };
    expect(validateResultsDoc({ ...base, claims: [claim] }).ok).toBe(true);
    const bad = validateResultsDoc({ ...base, claims: [{ ...claim, status: 'maybe' }] });
    expect(bad.ok ? '' : bad.error).toContain('doc.claims[0].status');
  });

  it('rejects broken messages with the path of the problem', () => {
    const gd = FIG1.runs.gd;
    const cases: [unknown, string][] = [
      [null, 'message: expected an object'],
      [{ type: 'results', uri: 'u', revision: 1.5, final: true, doc: FIG1 }, 'message.revision'],
      [msg({ ...FIG1, version: 2 }), 'doc.version: unsupported version 2'],
      [msg({ ...FIG1, runs: { gd: { ...gd, status: 'exploded' } } }), 'doc.runs["gd"].status'],
      [msg({ ...FIG1, runs: { gd: { ...gd, step: [0, 5, 5] } } }), 'steps must increase'],
      [msg({ ...FIG1, runs: { gd: { ...gd, metrics: { loss: gd.metrics.loss.slice(1) } } } }), `doc.runs["gd"].metrics.loss: has ${gd.step.length - 1} entries for ${gd.step.length}`],
      [msg({ ...FIG1, runs: { gd: { ...gd, metrics: { sv_W1: gd.metrics.sv_W1.map((r: number[], i: number) => (i === 3 ? [1, '2'] : r)) } } } }), 'doc.runs["gd"].metrics.sv_W1[3][1]'],
      [msg({ ...FIG1, plots: [{ title: 't', metric: 'loss', runs: ['gd'], y: 'cubic' }] }), 'doc.plots[0].y'],
      [msg({ ...FIG1, runs: { gd: { ...gd, coords: { lr: 'fast' } } } }), 'doc.runs["gd"].coords.lr'],
      [msg({ ...FIG1, runs: { gd: { ...gd, def: 3 } } }), 'doc.runs["gd"].def'],
      [msg({ ...FIG1, plots: [{ title: 't', metric: 'rank', runs: ['gd'], tol: 'loose' }] }), 'doc.plots[0].tol'],
      [{ type: 'status', uri: 'u', revision: 0, nodes: [{ id: 'a', kind: 'run', state: 'exploded', deps: [] }] }, 'message.nodes[0].state'],
      [{ type: 'export', requestId: 1, format: 'csv' }, 'message.format'],
    ];
    for (const [m, want] of cases) {
      const v = validateToWebview(m);
      expect(v.ok).toBe(false);
      if (!v.ok) expect(v.error).toContain(want);
    }
  });

  it('never throws on arbitrary input (property)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.jsonValue(), (a, b) => {
        for (const x of [a, { type: 'results', doc: a, uri: 'u', revision: 1, final: true }, { type: 'status', nodes: b, uri: 'u', revision: 0 }]) {
          const v = validateToWebview(x);
          expect(typeof v.ok).toBe('boolean');
          expect(validateFromWebview(x).ok === true || validateFromWebview(x).ok === false).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('validateFromWebview', () => {
  it('accepts what the webview sends and rejects the rest', () => {
    const ok = [
      { type: 'ready' },
      { type: 'cancel' },
      { type: 'rendered', revision: 3, plots: 2, ms: 12.5 },
      { type: 'export', format: 'csv', plotIndex: 0, data: 'a,b\n' },
      { type: 'export', format: 'png', plotIndex: 1, data: 'data:image/png;base64,iVBOR', requestId: 4, total: 2, title: 'loss' },
      { type: 'export', format: 'svg', plotIndex: null, requestId: 4, total: 0 },
      { type: 'error', text: 'x' },
    ];
    for (const m of ok) expect(validateFromWebview(m).ok, JSON.stringify(m)).toBe(true);
    const bad = [
      { type: 'rendered', revision: 3, plots: 2, ms: -1 },
      { type: 'export', format: 'exe', plotIndex: 0 },
      { type: 'export', format: 'png', plotIndex: 0, data: '<svg/>' },
      { type: 'export', format: 'svg', plotIndex: -1 },
      { type: 'export', format: 'svg', plotIndex: 0, requestId: 'x' },
      { type: 'error' },
      { type: 'eval', code: '1' },
    ];
    for (const m of bad) expect(validateFromWebview(m).ok, JSON.stringify(m)).toBe(false);
  });
});

describe('PreviewStore (revisions)', () => {
  const doc = (runs: Record<string, { n: number; status?: string }>): ResultsDoc => {
    const v = validateResultsDoc({
      format: 'sgdexp-results', version: 1, file: 'f', seed: 0, plots: [],
      runs: Object.fromEntries(Object.entries(runs).map(([k, r]) => [k, { status: r.status ?? 'done', step: [...Array(r.n).keys()], metrics: { loss: Array(r.n).fill(1) } }])),
    });
    if (!v.ok) throw new Error(v.error);
    return v.value;
  };

  it('drops older revisions per uri, never per other uri', () => {
    const s = new PreviewStore();
    expect(s.applyResults({ uri: 'a', revision: 5, final: true, doc: doc({ gd: { n: 3 } }) })).toBe('applied');
    expect(s.applyResults({ uri: 'a', revision: 4, final: true, doc: doc({ gd: { n: 9 } }) })).toBe('dropped-old-revision');
    expect(s.doc!.runs.gd!.step).toHaveLength(3);
    expect(s.applyStatus({ uri: 'a', revision: 3, nodes: [] })).toBe('dropped-old-revision');
    // another file starts its own count
    expect(s.applyResults({ uri: 'b', revision: 1, final: true, doc: doc({ x: { n: 1 } }) })).toBe('applied');
    expect(Object.keys(s.doc!.runs)).toEqual(['x']);
  });

  it('keeps an old curve as stale until the new revision has data for it, never merging points', () => {
    const s = new PreviewStore();
    s.applyResults({ uri: 'a', revision: 1, final: true, doc: doc({ gd: { n: 10 }, ln: { n: 10 }, gone: { n: 4 } }) });
    s.applyResults({ uri: 'a', revision: 2, final: false, doc: doc({ gd: { n: 2, status: 'running' }, ln: { n: 0, status: 'queued' } }) });
    expect(s.doc!.runs.gd!.step).toHaveLength(2); // new data only
    expect(s.doc!.runs.ln!.step).toHaveLength(10); // old data kept…
    expect(s.staleRuns().sort()).toEqual(['gone', 'ln']); // …and marked stale
    // same revision, a message carrying only ln: gd stays (same revision), ln becomes fresh
    s.applyResults({ uri: 'a', revision: 2, final: false, doc: doc({ ln: { n: 1, status: 'running' } }) });
    expect(s.doc!.runs.gd!.step).toHaveLength(2);
    expect(s.doc!.runs.ln!.step).toHaveLength(1);
    expect(s.staleRuns()).toEqual(['gone']);
    s.applyResults({ uri: 'a', revision: 2, final: true, doc: doc({ gd: { n: 10 }, ln: { n: 10 } }) });
    expect(s.staleRuns()).toEqual([]);
    expect(Object.keys(s.doc!.runs).sort()).toEqual(['gd', 'ln']);
  });

  it("never shows one file's graph with another file's plots", () => {
    const s = new PreviewStore();
    s.applyResults({ uri: 'a', revision: 1, final: true, doc: doc({ gd: { n: 3 } }) });
    s.applyStatus({ uri: 'a', revision: 1, nodes: [] });
    expect(s.status?.uri).toBe('a');
    s.applyStatus({ uri: 'b', revision: 1, nodes: [] });
    expect(s.status?.uri).toBe('a'); // b waits for its results
    s.applyResults({ uri: 'b', revision: 1, final: false, doc: doc({ x: { n: 1 } }) });
    expect(s.status?.uri).toBe('b');
  });

  it('snapshot → restore round-trips, stale marks included', () => {
    const s = new PreviewStore();
    s.applyResults({ uri: 'a', revision: 1, final: true, doc: doc({ gd: { n: 3 }, ln: { n: 3 } }) });
    s.applyResults({ uri: 'a', revision: 2, final: false, doc: doc({ gd: { n: 1, status: 'running' }, ln: { n: 0, status: 'queued' } }) });
    s.toggle('gd');
    const t = new PreviewStore();
    t.restore(JSON.parse(JSON.stringify(s.snapshot())));
    expect(t.staleRuns()).toEqual(['ln']);
    expect([...t.hidden]).toEqual(['gd']);
    expect(t.applyResults({ uri: 'a', revision: 1, final: true, doc: doc({}) })).toBe('dropped-old-revision');
  });
});

describe('renderWebviewHtml', () => {
  it('has a strict CSP: nonce-only scripts, no unsafe-inline, no remote sources', () => {
    const nonce = makeNonce();
    const csp = contentSecurityPolicy(nonce, 'https://x.vscode-cdn.net');
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain(`script-src 'nonce-${nonce}'`);
    expect(csp).toContain(`style-src https://x.vscode-cdn.net 'nonce-${nonce}'`);
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|https:(?!\/\/x\.)|\*/);
    expect(makeNonce()).not.toBe(nonce);
  });

  it('keeps state inert inside its attribute and refuses values that could break the header', () => {
    const evil = { text: '"><script>alert(1)</script>' };
    const html = renderWebviewHtml({ nonce: makeNonce(), cspSource: 'vscode-resource:', scriptUri: 'a.js', styleUri: 'a.css', state: evil });
    expect(html.match(/<script/g)).toHaveLength(1);
    const attr = /data-state="([^"]*)"/.exec(html)![1]!;
    const back = attr.replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
    expect(JSON.parse(back)).toEqual(evil);
    expect(() => renderWebviewHtml({ nonce: "abc'; script-src *", cspSource: 'x', scriptUri: '', styleUri: '' })).toThrow();
    expect(() => renderWebviewHtml({ nonce: makeNonce(), cspSource: "x; script-src 'unsafe-inline'", scriptUri: '', styleUri: '' })).toThrow();
  });

  it("accepts VS Code's real cspSource, a list of sources, and checks each source on its own", () => {
    const nonce = makeNonce();
    // what VS Code 1.9x's webview.cspSource is (vs/workbench/api/common/extHostWebview.ts)
    const real = "'self' https://*.vscode-cdn.net";
    const csp = contentSecurityPolicy(nonce, real);
    expect(csp).toContain(`style-src 'self' https://*.vscode-cdn.net 'nonce-${nonce}'`);
    expect(csp).toContain("img-src 'self' https://*.vscode-cdn.net data:");
    expect(csp).toContain("font-src 'self' https://*.vscode-cdn.net;");
    expect(csp).toContain("script-src 'nonce-");
    expect(csp).not.toMatch(/unsafe/);
    const html = renderWebviewHtml({ nonce, cspSource: real, scriptUri: 'a.js', styleUri: 'a.css' });
    expect(html).toContain(`style-src 'self' https://*.vscode-cdn.net 'nonce-${nonce}'`.replace(/'/g, '&#39;'));
    // older VS Code values, and extra white space (normalised)
    for (const ok of ['vscode-resource:', 'https://*.vscode-webview.net', 'vscode-webview://abc', 'http://127.0.0.1:39123', "  'self'\thttps://x.vscode-cdn.net:443/a/  "])
      expect(() => contentSecurityPolicy(nonce, ok), ok).not.toThrow();
    expect(contentSecurityPolicy(nonce, " 'self'   https://*.vscode-cdn.net ")).toBe(csp);
    // each source refused on its own, also next to valid ones
    for (const bad of [
      "'self' 'unsafe-inline'",
      "'self' 'unsafe-eval'",
      "'unsafe-hashes'",
      "'self' 'nonce-abc'",
      "'self' 'strict-dynamic'",
      '"self"',
      "'self' https://*.vscode-cdn.net; script-src *",
      "'self';",
      "'self' https://a.net,data:",
      "'self' *",
      "'self' https:",
      "'self' data:",
      "'self' https://*",
      "'self' https://a.net/'x'",
      "'none'",
      '',
      '   ',
    ]) expect(() => contentSecurityPolicy(nonce, bad), bad).toThrow(/cspSource/);
  });
});
