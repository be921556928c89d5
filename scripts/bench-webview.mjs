// Benchmark: the webview renders 8 plots of 10 runs × 1000 points (80 000 points) in headless
// Chromium. Prints medians of (a) the page's own render time (the `ms` of its `rendered` message:
// figure data + Plot + DOM insertion) and (b) postMessage → `rendered` (adds validation of the
// message and the wait for the animation frame). Target (issue 5): render < 100 ms.
// Usage: node scripts/bench-webview.mjs [iterations=15]
import { launch, loadHtmlModule, newNonce, pageHtml, serve, webviewFiles } from '../test/webview/harness.mjs';

const iterations = Number(process.argv[2] ?? 15);
const RUNS = 10, POINTS = 1000, PLOTS = 8;
const metrics = ['loss', 'test_loss', 'logdet', 'gain_norm', 'effective_alpha', 'sv_ratio', 'imbalance', 'distance'];

function makeDoc() {
  const step = Array.from({ length: POINTS }, (_, i) => i * 10);
  const runs = {};
  for (let r = 0; r < RUNS; r++) {
    const m = {};
    metrics.forEach((k, j) => {
      m[k] = step.map((s, i) => Math.exp(-s / (2000 + 300 * r)) + 0.01 * (1 + j) + 0.001 * Math.sin(i * (r + 1)));
    });
    runs[`run${r}`] = { status: 'done', message: null, model: 'linear2', optimizer: 'gd', params: { lr: 0.01, steps: 10000 }, member: null, step, time: step.map((s) => s * 0.01), metrics: m, theory: {} };
  }
  const plots = metrics.slice(0, PLOTS).map((k, i) => ({ title: k, kind: 'series', metric: k, runs: Object.keys(runs), x: 'step', y: i % 2 ? 'log' : 'linear', theory: false, top: null }));
  return { format: 'sgdexp-results', version: 1, file: 'bench.sgdexp', seed: 1, runs, plots };
}

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); const n = s.length; return n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2; };

const mod = await loadHtmlModule();
const nonce = newNonce();
let html = '';
const { server, origin } = await serve({ ...webviewFiles(), '/index.html': { type: 'text/html', body: () => html } });
html = pageHtml(mod, { nonce, origin, evil: false });
const browser = await launch({ width: 1200, height: 900 });
const page = await browser.ctx.newPage();
await page.goto(`${origin}/index.html`);
await page.waitForFunction(() => window.__posted?.some((m) => m.type === 'ready'));
const doc = makeDoc();
await page.evaluate((d) => { window.__doc = d; }, doc);
const render = [], total = [], parts = [];
for (let i = 0; i < iterations + 3; i++) {
  const r = await page.evaluate(async (rev) => {
    const n = window.__posted.length;
    const t0 = performance.now();
    window.postMessage({ type: 'results', uri: 'file:///bench.sgdexp', revision: rev, final: true, doc: window.__doc }, '*');
    for (;;) {
      await new Promise((res) => setTimeout(res, 0));
      const m = window.__posted.slice(n).find((x) => x.type === 'rendered');
      if (m) return { ms: m.ms, total: performance.now() - t0, plots: m.plots, timings: window.sgdexp.timings };
    }
  }, i + 1);
  if (r.plots !== PLOTS) throw new Error(`rendered ${r.plots} plots, expected ${PLOTS}`);
  if (i >= 3) { render.push(r.ms); total.push(r.total); parts.push(r.timings); }
}
const paths = await page.evaluate(() => document.querySelectorAll('g[aria-label="line"] path').length);
await browser.close();
server.close();
const os = await import('node:os');
console.log(`machine: ${os.cpus().length} cores, load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')} (other work on the machine inflates these times)`);
console.log(`webview: ${PLOTS} plots × ${RUNS} runs × ${POINTS} points (${paths} polylines), ${iterations} iterations`);
console.log(`render (page's own measure)   median ${median(render).toFixed(1)} ms  (min ${Math.min(...render).toFixed(1)}, max ${Math.max(...render).toFixed(1)})`);
console.log(`postMessage → rendered        median ${median(total).toFixed(1)} ms  (min ${Math.min(...total).toFixed(1)}, max ${Math.max(...total).toFixed(1)})`);
console.log(`  of which (medians): ${Object.keys(parts[0]).map((k) => `${k} ${median(parts.map((p) => p[k])).toFixed(1)} ms`).join(', ')}`);
console.log(`target: render < 100 ms → ${median(render) < 100 ? 'met' : 'NOT met'}`);
