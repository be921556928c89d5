// The webview in real headless Chromium (Debian's, driven by playwright-core): the built page
// (dist/webview) inside the HTML of src/extension/webviewHtml.ts, a stubbed VS Code API, recorded
// result messages (done, streaming, stale, diverged, invalid). Prints "N passed, N failed" last
// and exits non-zero on any failure. Screenshots: out/screenshots/webview-{light,dark}.png, or
// $SGDEXP_SCREENSHOT_DIR (`npm run docs:images` points it at docs/images).
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { navigateTests } from './navigate.mjs';
import { fixture, launch, loadHtmlModule, newNonce, pageHtml, root, serve, webviewFiles, THEMES } from './harness.mjs';

// the suite never writes into the work tree's tracked files
const shotsDir = process.env.SGDEXP_SCREENSHOT_DIR ? resolve(process.env.SGDEXP_SCREENSHOT_DIR) : join(root, 'out/screenshots');

let mod, server, origin, browser;
let html = '';
try {
  mod = await loadHtmlModule();
  ({ server, origin } = await serve({ ...webviewFiles(), '/index.html': { type: 'text/html', body: () => html }, '/favicon.ico': { type: 'image/x-icon', body: '' } }));
  browser = await launch({ width: 1200, height: 900 });
} catch (e) {
  console.log(`FAIL setup: ${e?.stack ?? e}`);
  server?.close();
  console.log('0 passed, 1 failed');
  process.exit(1);
}
const FIG1 = fixture('fig1.json');
const S40 = fixture('fig1-streaming-40.json');
const S70 = fixture('fig1-streaming-70.json');
const DIAG = fixture('diagonal.json');
const DIV = fixture('diverged.json');
const REAL = fixture('fig1-real.json'); // from the real core: `sgdexp run examples/01-varre-fig1.sgdexp`
const CLAIMS = fixture('claims.json'); // from the real core: `sgdexp run test/extension/workspace/claims.sgdexp`
const URI = 'file:///work/examples/01-varre-fig1.sgdexp';

const results = (revision, doc, final = true, uri = URI) => ({ type: 'results', uri, revision, final, doc });
const STATUS = (revision, states) => ({
  type: 'status', uri: URI, revision,
  nodes: [
    { id: 'data', kind: 'data', state: states.data ?? 'cached', deps: [] },
    { id: 'net', kind: 'model', state: 'cached', deps: [] },
    { id: 'gd', kind: 'run', state: states.gd ?? 'cached', deps: ['data', 'net'] },
    { id: 'ln', kind: 'run', state: states.ln ?? 'running', deps: ['data', 'net'], progress: { step: 4000, steps: 10000 } },
    { id: 'plot#0', kind: 'plot', state: states.plot0 ?? 'stale', deps: ['gd', 'ln'] },
    { id: 'plot#1', kind: 'plot', state: states.plot1 ?? 'stale', deps: ['gd', 'ln'] },
    { id: 'plot#2', kind: 'plot', state: states.plot2 ?? 'failed', deps: ['gd', 'ln'], message: 'no data' },
  ],
});

/** Open a fresh page; `saved` preloads what vscode.getState() returns (a reload). */
async function open({ theme = 'light', width = 1200, height = 900, saved, state, cspSource } = {}) {
  const nonce = newNonce();
  html = pageHtml(mod, { nonce, origin, theme, state, cspSource });
  const page = await browser.ctx.newPage();
  page.setDefaultTimeout(180_000); // a hang detector, not a speed limit: the suite passes on a busy machine
  await page.setViewportSize({ width, height });
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  // the one expected console error: the CSP refusing the un-nonced test script
  page.on('console', (m) => { if (m.type() === 'error' && !m.text().startsWith('Executing inline script violates')) errors.push(m.text()); });
  if (saved !== undefined) await page.addInitScript((s) => { window.__saved = s; }, saved);
  await page.goto(`${origin}/index.html`);
  // the page says ready before its first frame draws (start() schedules it, then posts ready):
  // what a test reads at once (the waiting message, restored figures) is there after that frame
  await page.waitForFunction(() => window.__posted?.some((m) => m.type === 'ready') && window.__posted.some((m) => m.type === 'rendered'));
  return { page, errors, nonce };
}

/** Two animation frames: a render the page has scheduled (by the time this is called) has run
 *  and posted its 'rendered' (the page renders at most once per frame, in its own rAF callback,
 *  which comes before ours). A wait on the page's frames, not on the clock. */
const frames = (page) => page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));

/**
 * Marks `window.__posted` when the page next receives a `type` event, before its own handlers
 * run (a capture listener on window comes first): a 'rendered' posted from that index on was
 * drawn by a frame that ran after the event was handled, so it shows what the event changed. A
 * 'rendered' of a frame scheduled earlier (a theme change, a resize after the last figures
 * changed the page's height, an earlier message) can come after a length read before the
 * event, and answer a wait for the event's render with the page not yet changed.
 */
const markNext = (page, type) =>
  page.evaluate((t) => {
    window.__mark = undefined;
    window.addEventListener(t, () => { window.__mark = window.__posted.length; }, { capture: true, once: true });
  }, type);
/** Waits for a 'rendered' from the mark on (revision at least `rev`), and returns what was posted from it. */
async function renderedSinceMark(page, rev = -Infinity) {
  await page.waitForFunction((r) => window.__mark !== undefined && window.__posted.slice(window.__mark).some((m) => m.type === 'rendered' && m.revision >= r), rev, { timeout: 180_000 });
  return page.evaluate(() => window.__posted.slice(window.__mark));
}

/** Post a message and wait for the render it causes (or prove that none happens). */
async function post(page, msg, { expectRender = true } = {}) {
  if (!expectRender) {
    // what was already scheduled draws first, so that a render after the message is its own
    await frames(page);
    const before = await page.evaluate(() => window.__posted.length);
    await markNext(page, 'message');
    await page.evaluate((m) => window.postMessage(m, '*'), msg);
    // handled (its synchronous answers, e.g. resync, posted), then the frame a render it
    // scheduled would take
    await page.waitForFunction(() => window.__mark !== undefined);
    await frames(page);
    return page.evaluate((n) => window.__posted.slice(n), before);
  }
  await markNext(page, 'message');
  await page.evaluate((m) => window.postMessage(m, '*'), msg);
  // for a results message, a render of its revision (or a later one); a status message leaves
  // the store's revision as it is
  return renderedSinceMark(page, msg?.type === 'results' && typeof msg.revision === 'number' ? msg.revision : -Infinity);
}

const card = (i) => `section.sg-card[data-plot="${i}"]`;
/** number of polylines drawn by the line marks of a card, split by faded (stale) or not */
const lineCount = (page, i) =>
  page.evaluate((sel) => {
    const paths = [...document.querySelectorAll(`${sel} g[aria-label="line"] path`)];
    const of = (d) => paths.filter((p) => p.closest('g[aria-label="line"]').getAttribute('aria-description') === d).length;
    return { all: paths.length, faded: of('stale runs (older revision)'), theory: of('theory') };
  }, card(i));
/** vertices of each data (non-theory, non-stale) line of a card, by stroke colour */
const linePoints = (page, i) =>
  page.evaluate((sel) => {
    const out = {};
    for (const g of document.querySelectorAll(`${sel} g[aria-label="line"][aria-description="runs"]`)) {
      for (const p of g.querySelectorAll('path')) {
        const stroke = p.getAttribute('stroke') ?? g.getAttribute('stroke');
        out[stroke] = (out[stroke] ?? 0) + (p.getAttribute('d').match(/[ML]/g) ?? []).length;
      }
    }
    return out;
  }, card(i));
const texts = (page, sel) => page.evaluate((s) => [...document.querySelectorAll(s)].map((e) => e.textContent), sel);

function assert(cond, msg) {
  if (!cond) throw new Error(msg);
}
function eq(a, b, msg) {
  if (JSON.stringify(a) !== JSON.stringify(b)) throw new Error(`${msg}: expected ${JSON.stringify(b)}, got ${JSON.stringify(a)}`);
}

const tests = [];
const test = (name, fn) => tests.push({ name, fn });

test('page loads under its CSP, posts ready, and a script without the nonce does not run', async () => {
  const { page, errors } = await open();
  const evil = await page.evaluate(() => window.__evil);
  eq(evil, undefined, 'the un-nonced inline script ran');
  const v = await page.evaluate(() => window.__violations);
  assert(v.some((x) => x.directive === 'script-src-elem' || x.directive === 'script-src'), `no CSP violation reported for the un-nonced script: ${JSON.stringify(v)}`);
  const csp = await page.evaluate(() => document.querySelector('meta[http-equiv="Content-Security-Policy"]').content);
  assert(csp.includes("default-src 'none'") && !csp.includes('unsafe-inline') && !csp.includes('unsafe-eval'), `weak CSP: ${csp}`);
  assert((await texts(page, '.sg-empty')).join('').includes('Waiting'), 'no waiting message');
  eq(errors, [], 'page errors');
  await page.close();
});

test('done results: three figures with the right marks, axis labels, theory line; no CSP violation from Plot', async () => {
  const { page, errors } = await open();
  const out = await post(page, results(1, FIG1));
  const rendered = out.find((m) => m.type === 'rendered');
  eq([rendered.revision, rendered.plots], [1, 3], 'rendered message');
  eq(await page.locator('section.sg-card').count(), 3, 'cards');
  // log det: gd + ln curves, and the theory (Thm 4.2) line drawn twice per run (dashed + hairline)
  const ld = await lineCount(page, 0);
  eq([ld.all, ld.theory], [2 + 2 * 2, 4], 'logdet paths (all, theory)');
  // singular values: top-5 of W1 for each of 2 runs
  eq((await lineCount(page, 1)).all, 10, 'singular value paths');
  // loss: loss and test loss (dashed) per run
  eq((await lineCount(page, 2)).all, 4, 'loss paths');
  const labels = await texts(page, `${card(0)} g[aria-label="x-axis label"] text, ${card(0)} g[aria-label="y-axis label"] text`);
  assert(labels.includes('step') && labels.includes('log det(θᵀθ)'), `axis labels: ${labels}`);
  // the theory line of ln falls at the theorem's rate: compare its end points with the data's scale
  const ln = FIG1.runs.ln;
  const y0 = ln.metrics.logdet[0], rate = ln.theory.logdet_rate_per_step, last = ln.step.at(-1);
  const num = (t) => Number(t.replace(/\u2212/g, '-').replace(/,/g, ''));
  const ticks = (await texts(page, `${card(0)} g[aria-label="y-axis tick label"] text`)).map(num);
  assert(Math.min(...ticks) <= y0 + rate * last + 5, `y axis does not reach the theory's end ${y0 + rate * last}: ${ticks}`);
  const logTicks = await texts(page, `${card(1)} g[aria-label="y-axis tick label"] text`);
  assert(logTicks.includes('1') && logTicks.some((t) => /e-3|0\.001/.test(t)), `log ticks: ${logTicks}`);
  // Plot's own <style> elements carry the nonce and were admitted: no style violation at all
  const v = await page.evaluate(() => window.__violations.filter((x) => !String(x.directive).startsWith('script')));
  eq(v, [], 'style CSP violations');
  const maxw = await page.evaluate(() => getComputedStyle(document.querySelector('svg.sg-plot')).maxWidth);
  eq(maxw, '100%', 'svg max-width');
  eq(errors, [], 'page errors');
  await page.close();
});

test('a message reusing the runs of the previous one (RunReuse) redraws from them; an unknown base asks for resync', async () => {
  const { page, errors } = await open();
  await post(page, results(1, FIG1));
  const before = { ld: await linePoints(page, 0), sv: await linePoints(page, 1) };
  // a plot title edit: every run as before, so none is sent; plots are
  const plots = FIG1.plots.map((p, i) => (i === 1 ? { ...p, title: 'renamed plot' } : p));
  const delta = { ...results(2, { ...FIG1, runs: {}, plots }), reuse: { revision: 1, runs: ['gd', 'ln'], order: ['gd', 'ln'] } };
  const out = await post(page, delta);
  eq(out.filter((m) => m.type === 'resync').length, 0, 'resync after a reusable message');
  eq(out.find((m) => m.type === 'rendered').revision, 2, 'rendered revision');
  assert((await texts(page, `${card(1)} h2, ${card(1)} .sg-card-title, ${card(1)} text`)).some((t) => t.includes('renamed plot')), 'new title not drawn');
  eq({ ld: await linePoints(page, 0), sv: await linePoints(page, 1) }, before, 'curves rebuilt from the reused runs');
  eq((await lineCount(page, 0)).faded, 0, 'reused runs are current, not stale');
  // one run changed, the other reused: the changed one is drawn from the message
  const gd2 = { ...FIG1.runs.gd, step: FIG1.runs.gd.step.slice(0, 50), time: FIG1.runs.gd.time.slice(0, 50),
    metrics: Object.fromEntries(Object.entries(FIG1.runs.gd.metrics).map(([k, v]) => [k, v.slice(0, 50)])) };
  await post(page, { ...results(3, { ...FIG1, runs: { gd: gd2 }, plots }), reuse: { revision: 2, runs: ['ln'], order: ['gd', 'ln'] } });
  const pts = await linePoints(page, 0);
  assert(Object.values(pts).some((n) => n <= 50) && Object.values(pts).some((n) => n > 50), `one short (gd) and one full (ln) curve: ${JSON.stringify(pts)}`);
  // reusing a revision the page never held: nothing drawn from it, a resync request instead
  const bad = await post(page, { ...results(4, { ...FIG1, runs: {}, plots }), reuse: { revision: 99, runs: ['gd', 'ln'], order: ['gd', 'ln'] } }, { expectRender: false });
  eq(bad.filter((m) => m.type === 'resync').length, 1, 'resync requests');
  eq(bad.filter((m) => m.type === 'rendered').length, 0, 'renders of an incomplete message');
  // the whole document that answers the resync is applied
  eq((await post(page, results(4, FIG1))).find((m) => m.type === 'rendered').revision, 4, 'rendered after resync');
  eq(errors, [], 'page errors');
  await page.close();
});

test('legend toggles a run off and on in every plot', async () => {
  const { page } = await open();
  await post(page, results(1, FIG1));
  await page.click(`${card(0)} .sg-legend-item[data-run="ln"]`);
  await page.waitForFunction((sel) => document.querySelector(`${sel} .sg-legend-item[data-run="ln"]`)?.getAttribute('aria-pressed') === 'false', card(0));
  eq((await lineCount(page, 0)).all, 1 + 2, 'logdet paths with ln hidden');
  eq((await lineCount(page, 1)).all, 5, 'sv paths with ln hidden');
  const saved = await page.evaluate(() => window.__saved.hidden);
  eq(saved, ['ln'], 'hidden runs saved with setState');
  await page.click(`${card(1)} .sg-legend-item[data-run="ln"]`);
  await page.waitForFunction((sel) => document.querySelector(`${sel} .sg-legend-item[data-run="ln"]`)?.getAttribute('aria-pressed') === 'true', card(0));
  eq((await lineCount(page, 1)).all, 10, 'sv paths after showing ln again');
  // hiding a run that a plot does not draw leaves that plot's figure untouched
  const two = { ...FIG1, runs: { ...FIG1.runs, extra: FIG1.runs.gd }, plots: [...FIG1.plots, { ...FIG1.plots[2], runs: ['extra'] }] };
  await post(page, results(2, two));
  await page.evaluate(() => document.querySelectorAll('svg.sg-plot').forEach((s) => { s.__mark = 1; }));
  await page.click(`${card(3)} .sg-legend-item[data-run="extra"]`);
  await page.waitForFunction((sel) => document.querySelector(`${sel} .sg-legend-item[data-run="extra"]`)?.getAttribute('aria-pressed') === 'false', card(3));
  eq(await page.evaluate(() => [...document.querySelectorAll('svg.sg-plot')].map((s) => s.__mark ?? 0)), [1, 1, 1, 0], 'only the plot drawing the toggled run is redrawn');
  await page.close();
});

test('streaming: progress bars per run, cancel button; an older revision is dropped', async () => {
  const { page } = await open();
  await post(page, results(1, FIG1));
  await post(page, results(2, S40, false));
  const bars = await page.evaluate(() => Object.fromEntries([...document.querySelectorAll('.sg-run')].map((li) => [li.dataset.run, li.querySelector('[role=progressbar]').getAttribute('aria-valuenow')])));
  eq(bars, { gd: '40', ln: '28' }, 'per-run progress (gd 4000/10000, ln 2800/10000)');
  const width = await page.evaluate(() => document.querySelector('.sg-run[data-run="gd"] .sg-progress-fill').style.width);
  eq(parseFloat(width), 40, 'progress fill width (%)');
  assert((await texts(page, '.sg-run .sg-badge')).includes('running 40%'), 'running badge');
  // the x axis now ends where the streamed data ends (4000), not at 10000
  const xt = (await texts(page, `${card(0)} g[aria-label="x-axis tick label"] text`)).map((t) => Number(t.replace(/,/g, '')));
  assert(Math.max(...xt) <= 4000, `x axis extends past the streamed data: ${xt}`);
  // the curves grow as the runs stream: the same revision at 70 % draws more points per run
  // (gd in charts-blue, ln in charts-red) and a longer x axis
  const blue = THEMES.light.vars['--vscode-charts-blue'], red = THEMES.light.vars['--vscode-charts-red'];
  const at40 = await linePoints(page, 0);
  assert(at40[blue] > 1 && at40[red] > 1, `curves at 40 %: ${JSON.stringify(at40)}`);
  await post(page, results(2, S70, false));
  const at70 = await linePoints(page, 0);
  assert(at70[blue] > at40[blue] && at70[red] > at40[red], `point counts did not grow from 40 % to 70 %: ${JSON.stringify(at40)} → ${JSON.stringify(at70)}`);
  const xt70 = (await texts(page, `${card(0)} g[aria-label="x-axis tick label"] text`)).map((t) => Number(t.replace(/,/g, '')));
  assert(Math.max(...xt70) > Math.max(...xt) && Math.max(...xt70) <= 7000, `x axis at 70 %: ${xt70} (at 40 %: ${xt})`);
  eq(await page.evaluate(() => document.querySelector('.sg-run[data-run="gd"] [role=progressbar]').getAttribute('aria-valuenow')), '70', 'gd progress at 70 %');
  // an old revision arriving late is ignored: nothing re-rendered, progress unchanged
  const late = await post(page, results(1, FIG1), { expectRender: false });
  assert(!late.some((m) => m.type === 'rendered'), 'a stale revision was rendered');
  eq(await page.evaluate(() => window.sgdexp.store.revision), 2, 'revision after a late old message');
  await page.click('.sg-header button:has-text("Cancel")');
  assert(await page.evaluate(() => window.__posted.some((m) => m.type === 'cancel')), 'cancel not posted');
  await page.close();
});

test('streaming updates change the page in place: Cancel, badges, bars and legend keep their elements; a click during updates posts one cancel', async () => {
  const { page, errors } = await open();
  await post(page, results(1, FIG1));
  await post(page, results(2, S40, false));
  const CANCEL = '.sg-header button[data-focus="cancel"]';
  await page.evaluate((sel) => {
    document.querySelector(sel).__mark = 'cancel';
    for (const e of document.querySelectorAll('.sg-run, .sg-run .sg-badge, .sg-run [role=progressbar], .sg-progress-overall, .sg-legend-item, button[data-export], section.sg-card')) e.__mark = 1;
  }, CANCEL);
  const tick = (step) => {
    const d = structuredClone(S70);
    d.runs.gd.progress = { step, steps: 10000 };
    return results(2, d, false);
  };
  for (const step of [5000, 6000, 7000]) await post(page, tick(step));
  eq(await page.evaluate((sel) => document.querySelector(sel).__mark, CANCEL), 'cancel', 'Cancel is the same element after streamed updates');
  const unmarked = await page.evaluate(() => [...document.querySelectorAll('.sg-run, .sg-run .sg-badge, .sg-run [role=progressbar], .sg-progress-overall, .sg-legend-item, button[data-export], section.sg-card')].filter((e) => e.__mark !== 1).map((e) => e.className || e.tagName));
  eq(unmarked, [], 'elements replaced by streamed updates');
  // the updates did change the text and attributes
  eq(await page.evaluate(() => document.querySelector('.sg-run[data-run="gd"] [role=progressbar]').getAttribute('aria-valuenow')), '70', 'gd progress updated in place');
  // press, an update arrives, release: the click still lands on the button, once
  const box = await page.locator(CANCEL).boundingBox();
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  await post(page, tick(8000));
  await page.mouse.up();
  await page.waitForFunction(() => window.__posted.some((m) => m.type === 'cancel'));
  eq(await page.evaluate(() => window.__posted.filter((m) => m.type === 'cancel').length), 1, 'cancel messages from one click');
  eq(errors, [], 'page errors');
  await page.close();
});

test('a new revision marks old curves stale instead of mixing, and final removes them', async () => {
  const { page } = await open();
  await post(page, results(1, FIG1));
  // revision 2 has streamed gd only; ln is queued without data
  const r2 = structuredClone(S40);
  r2.runs.ln = { ...r2.runs.ln, status: 'queued', step: [], time: [], metrics: {}, progress: { step: 0, steps: 10000 } };
  await post(page, results(2, r2, false));
  const c = await lineCount(page, 0);
  eq(c.faded, 1, 'faded (stale) ln curve in the log det plot');
  assert((await texts(page, '.sg-run[data-run="ln"] .sg-badge')).includes('stale'), 'ln not marked stale');
  assert((await texts(page, '.sg-title .sg-badge')).some((t) => t.includes('stale')), 'no stale count in header');
  // the gd curve is the new, shorter one: never old and new points in one curve
  const gdPoints = await page.evaluate(() => window.sgdexp.store.doc.runs.gd.step.length);
  eq(gdPoints, S40.runs.gd.step.length, 'gd holds exactly revision 2 points');
  await post(page, results(2, { ...FIG1 }, true));
  eq((await lineCount(page, 0)).faded, 0, 'faded curves after final');
  eq(await page.locator('.sg-run-stale').count(), 0, 'stale runs after final');
  await page.close();
});

test('a typo or a cancel keeps the last curve, faded and labelled, on unchanged axes; the header tells the state', async () => {
  const { page, errors } = await open();
  await post(page, results(1, FIG1));
  const axes = async () => {
    const out = [];
    for (const i of [0, 1, 2]) out.push(await texts(page, `${card(i)} g[aria-label="x-axis tick label"] text, ${card(i)} g[aria-label="y-axis tick label"] text`));
    return out;
  };
  const before = await axes();
  const fadedOpacity = () => page.evaluate((sel) => [...document.querySelectorAll(`${sel} g[aria-label="line"][aria-description="stale runs (older revision)"]`)].map((g) => Number(g.getAttribute('stroke-opacity') ?? 1)), card(0));
  // a typo drops ln's definition: the server's document has no ln, its plots draw gd only
  const typo = { ...structuredClone(FIG1), diagnostics: [{ severity: 'error', line: 13, message: "unknown parameter 'deltaa'", def: 'ln' }] };
  delete typo.runs.ln;
  typo.plots = typo.plots.map((p) => ({ ...p, runs: ['gd'] }));
  await post(page, results(2, typo));
  for (const i of [0, 1, 2]) assert((await lineCount(page, i)).faded >= 1, `plot ${i}: no faded ln curve after a typo`);
  const op = await fadedOpacity();
  assert(op.length && op.every((o) => o < 1), `faded opacity: ${op}`);
  assert((await texts(page, `${card(0)} svg text`)).some((t) => t.includes("ln: stale — line 13: unknown parameter 'deltaa'")), 'stale label on the curve');
  eq(await axes(), before, 'axes (x and y tick labels) after a typo');
  const head = (await texts(page, '.sg-title .sg-badge-state, .sg-header-detail')).join(' | ');
  assert(head.includes('error') && head.includes("error on line 13: unknown parameter 'deltaa'"), `header after a typo: ${head}`);
  // fixed and re-run, then cancelled early: the shorter partial does not replace the curve seen
  const cut = (r, n) => ({ ...r, status: 'cancelled', message: 'cancelled', progress: { step: r.step[n - 1], steps: 10000 }, step: r.step.slice(0, n), time: r.time.slice(0, n), metrics: Object.fromEntries(Object.entries(r.metrics).map(([k, v]) => [k, v.slice(0, n)])) });
  const cancelled = structuredClone(FIG1);
  cancelled.runs.ln = cut(cancelled.runs.ln, 30);
  await post(page, results(3, cancelled));
  assert((await lineCount(page, 0)).faded >= 1, 'no faded ln curve after a cancel');
  assert((await fadedOpacity()).every((o) => o < 1), 'cancelled curve not faded');
  const step = FIG1.runs.ln.step[29];
  assert((await texts(page, `${card(0)} svg text`)).some((t) => t.includes(`ln: cancelled at step ${step}`)), `cancelled label (at step ${step})`);
  eq(await axes(), before, 'axes (x and y tick labels) after a cancel');
  assert((await texts(page, '.sg-title .sg-badge-state')).join('').includes('cancelled'), 'header after a cancel');
  // a clean final revision is up to date again, nothing faded
  await post(page, results(4, FIG1));
  eq((await lineCount(page, 0)).faded, 0, 'faded curves after a clean run');
  assert((await texts(page, '.sg-title .sg-badge-state')).join('').includes('up to date'), 'header up to date');
  eq(errors, [], 'page errors');
  await page.close();
});

test('diverged and failed runs show their messages on the curve and in the run list', async () => {
  const { page } = await open();
  await post(page, results(5, DIV, true, 'file:///work/examples/diverge.sgdexp'));
  const svgText = (await texts(page, `${card(0)} svg text`)).join('\n');
  assert(svgText.includes('diverged at step 812'), 'diverged message not drawn on the figure');
  assert(svgText.includes('data has NaN in row 3'), 'failed-run message not drawn');
  eq(await page.locator(`${card(0)} g[aria-label="dot"] path`).count(), 1, 'cross at the diverged end');
  const msgs = await texts(page, '.sg-run-message');
  await post(page, results(6, { ...DIV, runs: { ...DIV.runs, gd: { ...DIV.runs.gd, notes: ['det(θᵀθ) = 0 for all time: width < p + k'] } } }, true, 'file:///work/examples/diverge.sgdexp'));
  eq(await texts(page, '.sg-run[data-run="gd"] .sg-run-note'), ['det(θᵀθ) = 0 for all time: width < p + k'], 'run notes');
  assert(msgs.some((m) => m.includes('812')) && msgs.some((m) => m.includes('NaN')), `run list messages: ${msgs}`);
  assert((await texts(page, '.sg-badge-diverged')).length === 1, 'diverged badge');
  await page.close();
});

test('claims list: each claim with its line, ✓ / ✗ and measured values; the last verdicts stand while a revision streams', async () => {
  const { page, errors } = await open();
  const CURI = 'file:///work/test/claims.sgdexp';
  const claimRows = () => page.evaluate(() => [...document.querySelectorAll('.sg-claims li.sg-claim')].map((li) => ({
    cls: li.className, line: li.querySelector('.sg-claim-line').textContent, mark: li.querySelector('.sg-claim-mark').textContent, summary: li.querySelector('.sg-claim-summary').textContent,
  })));
  await post(page, results(1, CLAIMS, true, CURI));
  eq(await claimRows(), [
    { cls: 'sg-claim sg-claim-held', line: 'line 11', mark: '✓', summary: 'final(loss, gd) = 5.097e−24 < max(loss, gd) = 8.411' },
    { cls: 'sg-claim sg-claim-failed', line: 'line 12', mark: '✗', summary: 'final(loss, gd) = 5.097e−24 > 1e9' },
  ], 'claims list');
  eq(await texts(page, '.sg-claims > summary'), ['Claims · 1 of 2 hold'], 'claims summary');
  // the same elements from one message to the next (a streamed document carries no claims)
  await page.evaluate(() => document.querySelectorAll('.sg-claims li.sg-claim').forEach((li, i) => { li.__mark = i; }));
  const { claims: _drop, ...streaming } = CLAIMS;
  await post(page, results(2, { ...streaming, runs: { gd: { ...CLAIMS.runs.gd, status: 'running', progress: { step: 100, steps: 200 } } } }, false, CURI));
  eq(await texts(page, '.sg-claims > summary'), ['Claims · 1 of 2 hold · from revision 1'], 'claims summary while streaming');
  await post(page, results(3, CLAIMS, true, CURI));
  eq(await texts(page, '.sg-claims > summary'), ['Claims · 1 of 2 hold'], 'claims summary of the new final document');
  eq(await page.evaluate(() => [...document.querySelectorAll('.sg-claims li.sg-claim')].map((li) => li.__mark)), [0, 1], 'claim items kept their elements');
  // a final document without claims: no list
  await post(page, results(4, streaming, true, CURI));
  eq(await page.locator('.sg-claims').count(), 0, 'no claims list for a file without claims');
  eq(errors, [], 'page errors');
  await page.close();
});

test('a diverged run does not stretch the y axis: clipped at the frame with "↑ diverged at step N"', async () => {
  const { page, errors } = await open();
  await post(page, results(5, DIV, true, 'file:///work/examples/diverge.sgdexp'));
  const svgText = (await texts(page, `${card(0)} svg text`)).join('\n');
  assert(svgText.includes('↑ diverged at step 812'), `no divergence marker: ${svgText}`);
  // healthy gd: loss 0.01 … 1.31 (log axis); the diverged run reaches 37.6 before it stops
  const num = (t) => Number(t.replace(/\u2212/g, '-').replace(/,/g, ''));
  const ticks = (await texts(page, `${card(0)} g[aria-label="y-axis tick label"] text`)).filter((t) => t).map(num);
  assert(ticks.length && Math.max(...ticks) <= 1.31 * 10 ** 1.05, `y axis reaches the diverged values: ${ticks}`);
  assert(await page.locator(`${card(0)} svg clipPath`).count() > 0, 'lines not clipped at the frame');
  eq(errors, [], 'page errors');
  await page.close();
});

test('invalid messages are ignored and reported with {type:"error"}', async () => {
  const { page } = await open();
  await post(page, results(1, FIG1));
  const bad = [
    { type: 'results', uri: URI, revision: -1, final: true, doc: FIG1 },
    { type: 'results', uri: URI, revision: 9, final: true, doc: { ...FIG1, format: 'other' } },
    { type: 'results', uri: URI, revision: 9, final: true, doc: { ...FIG1, runs: { gd: { ...FIG1.runs.gd, metrics: { loss: [1, 2] } } } } },
    { type: 'nonsense' },
    'a string',
  ];
  for (const m of bad) {
    const out = await post(page, m, { expectRender: false });
    assert(!out.some((x) => x.type === 'rendered'), `rendered after invalid ${JSON.stringify(m).slice(0, 60)}`);
    assert(out.some((x) => x.type === 'error' && x.text.startsWith('invalid message ignored')), `no error reported for ${JSON.stringify(m).slice(0, 60)}`);
  }
  const errs = await page.evaluate(() => window.__posted.filter((m) => m.type === 'error').map((m) => m.text));
  assert(errs.some((e) => e.includes('doc.runs["gd"].metrics.loss: has 2 entries')), `imprecise error: ${errs}`);
  eq(await page.evaluate(() => window.sgdexp.store.revision), 1, 'revision after invalid messages');
  await page.close();
});

test('immediate feedback: a card per plot with what it waits for on first open; plots a new revision will change are marked at once', async () => {
  const { page, errors } = await open();
  // first open, no results yet: the status alone shows the plots and their progress
  await post(page, STATUS(1, { gd: 'queued', plot0: 'queued', plot1: 'queued', plot2: 'queued' }));
  eq(await page.locator('section.sg-card').count(), 3, 'pending cards before any results');
  const pending = await texts(page, 'section.sg-card .sg-msg');
  assert(pending.length === 3 && pending.every((t) => t.includes('waiting for gd, ln') && t.includes('ln: running 40%')), `pending card text: ${pending}`);
  eq(await page.evaluate(() => document.querySelector('section.sg-card [role=progressbar]').getAttribute('aria-valuenow')), '40', 'pending card progress');
  eq(await page.locator('.sg-empty').count(), 0, 'empty pane shown');
  // results arrive: real figures
  await post(page, results(1, FIG1));
  await post(page, STATUS(1, { ln: 'cached', plot0: 'done', plot1: 'done', plot2: 'done' }));
  eq(await page.locator('section.sg-card.sg-rerunning').count(), 0, 're-running marks when up to date');
  await page.evaluate(() => document.querySelectorAll('svg.sg-plot').forEach((s) => { s.__mark = 1; }));
  // a new revision starts: its status comes before any data, and marks the plots at once
  await post(page, STATUS(2, { gd: 'cached', ln: 'queued', plot0: 'queued', plot1: 'queued', plot2: 'queued' }));
  eq(await page.locator('section.sg-card.sg-rerunning').count(), 3, 'plots marked re-running');
  const badges = await texts(page, 'section.sg-card .sg-card-badge');
  assert(badges.length === 3 && badges.every((t) => t.startsWith('re-running')), `re-running badges: ${badges}`);
  eq(await page.evaluate(() => [...document.querySelectorAll('svg.sg-plot')].map((s) => s.__mark)), [1, 1, 1], 'figures kept while marked');
  // done: the marks go
  await post(page, results(2, FIG1));
  await post(page, STATUS(2, { ln: 'done', plot0: 'done', plot1: 'done', plot2: 'done' }));
  eq(await page.locator('section.sg-card.sg-rerunning').count(), 0, 're-running marks after the revision is done');
  eq(errors, [], 'page errors');
  await page.close();
});

test('graph view shows each node with its status', async () => {
  const { page } = await open();
  await post(page, results(1, FIG1));
  await page.evaluate(() => document.querySelectorAll('svg.sg-plot').forEach((s) => { s.__mark = 1; }));
  await post(page, STATUS(1, {}));
  // a status message does not redraw unchanged figures
  eq(await page.evaluate(() => [...document.querySelectorAll('svg.sg-plot')].map((s) => s.__mark)), [1, 1, 1], 'figures reused');
  const states = await page.evaluate(() => Object.fromEntries([...document.querySelectorAll('.sg-graph .sg-node')].map((g) => [g.dataset.id, g.dataset.state])));
  eq(states, { data: 'cached', net: 'cached', gd: 'cached', ln: 'running', 'plot#0': 'stale', 'plot#1': 'stale', 'plot#2': 'failed' }, 'node states');
  eq(await page.locator('.sg-graph .sg-edge').count(), 2 + 2 + 6, 'edges');
  eq(await page.locator('.sg-graph .sg-node-progress').count(), 1, 'progress on the running node');
  assert((await texts(page, '.sg-graph-view summary')).join('').includes('1 failed'), 'summary counts');
  await page.close();
});

test('exports: SVG, PNG, CSV, JSON per plot, and the Export Figures request', async () => {
  const { page } = await open();
  await post(page, results(1, FIG1));
  const exported = async (fmt, i) => {
    const n = await page.evaluate(() => window.__posted.length);
    await page.click(`${card(i)} button[data-export="${fmt}"]`);
    await page.waitForFunction((n) => window.__posted.slice(n).some((m) => m.type === 'export'), n);
    return page.evaluate((n) => window.__posted.slice(n).find((m) => m.type === 'export'), n);
  };
  const svg = await exported('svg', 0);
  assert(svg.plotIndex === 0 && svg.data.startsWith('<svg') && svg.data.includes('xmlns="http://www.w3.org/2000/svg"') && !svg.data.includes('nonce'), 'svg export');
  const png = await exported('png', 1);
  assert(png.data.startsWith('data:image/png;base64,') && png.data.length > 5000, `png export (${png.data.length} chars)`);
  const csv = await exported('csv', 0);
  const lines = csv.data.trim().split('\n');
  eq(lines[0], 'run,kind,metric,component,step,time,value,min,max,seeds', 'csv header');
  eq(lines.filter((l) => l.startsWith('ln,data,logdet')).length, FIG1.runs.ln.step.length, 'csv rows of ln');
  eq(lines.filter((l) => l.includes(',theory,')).length, 4, 'csv theory rows');
  const json = JSON.parse((await exported('json', 2)).data);
  eq([json.format, Object.keys(json.runs), json.plots.length], ['sgdexp-results', ['gd', 'ln'], 1], 'json export');
  // the extension's Export Figures command asks for all plots at once
  const n = await page.evaluate(() => window.__posted.length);
  await page.evaluate(() => window.postMessage({ type: 'export', requestId: 7, format: 'svg' }, '*'));
  await page.waitForFunction((n) => window.__posted.slice(n).filter((m) => m.requestId === 7).length === 3, n);
  const answers = await page.evaluate((n) => window.__posted.slice(n).filter((m) => m.requestId === 7), n);
  eq(answers.map((a) => [a.plotIndex, a.total, a.format, a.title]), FIG1.plots.map((p, i) => [i, 3, 'svg', p.title]), 'export answers');
  // Export Figures waits for the final document and asks right after it: the answer must be the
  // final figures even though the page has not had a frame to redraw yet
  await post(page, results(2, S40, false));
  const m = await page.evaluate(() => window.__posted.length);
  await page.evaluate((r) => { window.postMessage(r, '*'); window.postMessage({ type: 'export', requestId: 8, format: 'svg' }, '*'); }, results(2, FIG1, true));
  await page.waitForFunction((m) => window.__posted.slice(m).filter((x) => x.requestId === 8).length === 3, m);
  const first = await page.evaluate((m) => window.__posted.slice(m).find((x) => x.requestId === 8 && x.plotIndex === 0).data, m);
  assert(/>10,000</.test(first), 'the exported log det figure is not the final one (its x axis does not reach 10,000)');
  await page.close();
});

test('family plots: final metric vs lr with seed spread, Gain bars GD beside SGD, mean and band over seeds', async () => {
  const { page, errors } = await open();
  await post(page, results(1, DIAG, true, 'file:///work/examples/04-even-diagonal.sgdexp'));
  // final: 6 gd points + 3 seeds × 4 finite sgd points, diverged members as crosses (2 lr × 3 seeds);
  // of the 18 finite ones, the 15 whose training loss ended above 1% of its start (the fixture's
  // short runs) are drawn hollow, in a group of their own
  const dots = await page.evaluate((sel) => [...document.querySelectorAll(`${sel} g[aria-label="dot"]`)].map((g) => [g.getAttribute('aria-description') ?? '', g.querySelectorAll('circle, path').length]), card(0));
  eq(dots.map(([, n]) => n), [3, 15, 6], 'final-plot dots (converged, not converged, diverged)');
  eq(dots[1][0], 'not converged', 'the hollow group is described as not converged');
  eq(await page.locator(`${card(0)} g[aria-label="rule"] line`).count(), 4, 'seed spread rules (sgd lr with 3 finite seeds)');
  eq(await page.locator(`${card(1)} g[aria-label="bar"] rect`).count(), 2 * 30, 'gain bars (2 runs × 30 coordinates)');
  eq(await page.locator(`${card(2)} g[aria-label="area"] path`).count(), 1, 'spread band of sgd[lr=0.3] over 3 seeds');
  eq(await texts(page, `${card(2)} .sg-legend-item`), ['gd[lr=0.3]', 'sgd[lr=0.3]'], 'legend of a seed family');
  eq(errors, [], 'page errors');
  await page.close();
});

test('restores at once from saved state (reload) and from the initial data-state', async () => {
  const { page } = await open();
  await post(page, results(3, FIG1));
  await post(page, STATUS(3, { ln: 'cached', plot2: 'cached' }));
  const saved = await page.evaluate(() => window.__saved);
  await page.close();
  eq(saved.results.revision, 3, 'saved revision');
  const r = await open({ saved, state: { uri: URI, locked: true } });
  await r.page.waitForFunction(() => window.__posted.some((m) => m.type === 'rendered' && m.plots === 3));
  eq(await r.page.locator('section.sg-card svg.sg-plot').count(), 3, 'figures after reload');
  eq(await r.page.locator('.sg-graph .sg-node').count(), 7, 'graph after reload');
  // the extension's own state fields survive in setState (its panel serializer reads them back)
  await post(r.page, results(4, FIG1));
  const s2 = await r.page.evaluate(() => window.__saved);
  eq([s2.uri, s2.locked, s2.results.revision], [URI, true, 4], 'extension fields kept in saved state');
  await r.page.close();
  const c = await open({ state: { uri: URI, results: { uri: URI, revision: 2, final: true, doc: FIG1 } } });
  await c.page.waitForFunction(() => window.__posted.some((m) => m.type === 'rendered' && m.plots === 3));
  await c.page.close();
});

test('narrow panel (340 px): figures shrink to fit, nothing overflows sideways', async () => {
  const { page } = await open({ width: 340, height: 800 });
  await post(page, results(1, FIG1));
  await post(page, STATUS(1, {}));
  const m = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    inner: window.innerWidth,
    svg: Math.max(...[...document.querySelectorAll('svg.sg-plot')].map((s) => s.getBoundingClientRect().width)),
  }));
  assert(m.scroll <= m.inner, `page scrolls sideways: ${m.scroll} > ${m.inner}`);
  assert(m.svg <= m.inner - 20, `figure wider than the panel: ${m.svg}`);
  await page.close();
});

test("sgdexp.plot.theme: a fixed theme's colours whatever VS Code's theme; 'auto' follows VS Code", async () => {
  const stroke0 = (page) => page.evaluate((sel) => {
    const p = document.querySelector(`${sel} g[aria-label="line"][aria-description="runs"] path`);
    return p.getAttribute('stroke') ?? p.closest('g[aria-label="line"]').getAttribute('stroke');
  }, card(0));
  const look = async (page) => ({
    color: await page.evaluate(() => document.querySelector('svg.sg-plot').getAttribute('color')),
    stroke: await stroke0(page),
    background: await page.evaluate(() => getComputedStyle(document.querySelector('.sg-figure')).backgroundColor),
    swatch: await page.evaluate(() => document.querySelector('.sg-legend-item .sg-swatch').style.background),
  });
  const rgb = (hex) => `rgb(${[1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)).join(', ')})`;
  // the palettes of src/core/figures/theme.ts (DARK_THEME, LIGHT_THEME, HIGH_CONTRAST_THEME)
  const want = {
    dark: { color: '#cccccc', stroke: '#3794ff', background: rgb('#1f1f1f') },
    light: { color: '#1f1f1f', stroke: '#1a85ff', background: rgb('#ffffff') },
    'high-contrast': { color: '#ffffff', stroke: '#3794ff', background: rgb('#000000') },
  };
  for (const [setting, vscodeTheme] of [['dark', 'light'], ['light', 'dark'], ['high-contrast', 'light']]) {
    const { page, errors } = await open({ theme: vscodeTheme, state: { uri: URI, locked: false, theme: setting } });
    await post(page, results(1, FIG1));
    const got = await look(page);
    eq({ color: got.color, stroke: got.stroke, background: got.background }, want[setting], `plot theme ${setting} in VS Code ${vscodeTheme}`);
    eq(got.swatch, rgb(want[setting].stroke), `legend swatch of plot theme ${setting}`);
    // VS Code switching its theme changes nothing in the figures
    await page.evaluate(() => document.querySelectorAll('svg.sg-plot').forEach((s) => { s.__mark = 1; }));
    await page.evaluate((t) => window.__applyTheme('other', t), THEMES[vscodeTheme === 'light' ? 'dark' : 'light']);
    // the page sees the switch in a MutationObserver (a microtask, before the evaluate returns);
    // a redraw it scheduled would run in the next frame
    await frames(page);
    eq(await page.evaluate(() => [...document.querySelectorAll('svg.sg-plot')].map((s) => s.__mark)), [1, 1, 1], `figures kept after a VS Code theme switch (plot theme ${setting})`);
    eq((await look(page)).stroke, want[setting].stroke, `plot theme ${setting} after a VS Code theme switch`);
    eq(errors, [], 'page errors');
    await page.close();
  }
  // 'auto' (and anything unknown) takes VS Code's colours and no background of its own
  for (const setting of ['auto', 'sepia']) {
    const { page } = await open({ theme: 'dark', state: { uri: URI, locked: false, theme: setting } });
    await post(page, results(1, FIG1));
    const got = await look(page);
    eq([got.color, got.stroke, got.background], [THEMES.dark.vars['--vscode-editor-foreground'], THEMES.dark.vars['--vscode-charts-blue'], 'rgba(0, 0, 0, 0)'], `plot theme ${setting}`);
    await page.close();
  }
});

test("VS Code's real cspSource ('self' https://*.vscode-cdn.net): the stylesheet loads, nothing else is admitted", async () => {
  const { page, errors } = await open({ cspSource: "'self' https://*.vscode-cdn.net" });
  await post(page, results(1, FIG1));
  const csp = await page.evaluate(() => document.querySelector('meta[http-equiv="Content-Security-Policy"]').content);
  assert(csp.includes("style-src 'self' https://*.vscode-cdn.net 'nonce-"), `CSP: ${csp}`);
  // webview.css applied (served from 'self'), Plot's nonce'd styles admitted, the un-nonced script not
  eq(await page.evaluate(() => getComputedStyle(document.querySelector('svg.sg-plot')).maxWidth), '100%', 'svg max-width from webview.css');
  eq(await page.evaluate(() => window.__evil), undefined, 'the un-nonced inline script ran');
  eq(await page.evaluate(() => window.__violations.filter((x) => !String(x.directive).startsWith('script'))), [], 'style CSP violations');
  eq(errors, [], 'page errors');
  await page.close();
});

test('theme: follows body class and --vscode-* colours (light → dark); screenshots', async () => {
  mkdirSync(shotsDir, { recursive: true });
  const shots = {};
  for (const theme of ['light', 'dark']) {
    const { page, errors } = await open({ theme, width: 1180, height: 920 });
    await post(page, results(2, S40, false));
    await post(page, STATUS(2, {}));
    await post(page, results(2, REAL, true));
    await post(page, STATUS(2, { ln: 'done', plot0: 'cached', plot1: 'cached', plot2: 'cached' }));
    // a 'rendered' from an earlier message's frame can answer the wait above: wait for the drawn curve
    await page.waitForSelector(`${card(0)} svg.sg-plot g[aria-label="line"] path`, { timeout: 180_000 });
    const color = await page.evaluate(() => document.querySelector('svg.sg-plot').getAttribute('color'));
    eq(color, THEMES[theme].vars['--vscode-editor-foreground'], `${theme} figure foreground`);
    const stroke = await page.evaluate((sel) => {
      const p = document.querySelector(`${sel} g[aria-label="line"] path`);
      return p.getAttribute('stroke') ?? p.closest('g[aria-label="line"]').getAttribute('stroke');
    }, card(0));
    eq(stroke, THEMES[theme].vars['--vscode-charts-blue'], `${theme} first run colour`);
    // hover the label-noise curve of the first plot so the screenshot shows a tooltip
    const box = await page.locator(`${card(0)} svg.sg-plot`).boundingBox();
    await page.mouse.move(box.x + box.width * 0.4, box.y + box.height * 0.4);
    // tips are added on the first pointer entry; the next move shows one
    await page.waitForFunction((sel) => document.querySelector(`${sel} svg.sg-plot g[aria-label="tip"]`), card(0));
    await page.mouse.move(box.x + box.width * 0.45, box.y + box.height * 0.45);
    await page.waitForFunction((sel) => document.querySelector(`${sel} g[aria-label="tip"] text`), card(0));
    const tip = (await texts(page, `${card(0)} g[aria-label="tip"] text`)).join(' ');
    assert(/ln|gd/.test(tip) && tip.includes('log det'), `tooltip text: ${tip}`);
    await page.screenshot({ path: join(shotsDir, `webview-${theme}.png`) });
    shots[theme] = true;
    if (theme === 'light') {
      // switching the theme live re-renders with the new colours
      await page.evaluate((t) => window.__applyTheme('dark', t), THEMES.dark);
      await page.waitForFunction((c) => document.querySelector('svg.sg-plot')?.getAttribute('color') === c, THEMES.dark.vars['--vscode-editor-foreground']);
    }
    if (theme === 'dark') {
      // another dark theme: same body class, new --vscode-* colours only
      await page.evaluate(() => document.documentElement.style.setProperty('--vscode-charts-blue', '#00aaff'));
      await page.waitForFunction((sel) => {
        const p = document.querySelector(`${sel} g[aria-label="line"] path`);
        return (p?.getAttribute('stroke') ?? p?.closest('g[aria-label="line"]').getAttribute('stroke')) === '#00aaff';
      }, card(0));
    }
    eq(errors, [], 'page errors');
    await page.close();
  }
  eq(shots, { light: true, dark: true }, 'screenshots');
  // high contrast: VS Code's class and its colours
  const hc = { cls: 'vscode-high-contrast', vars: { ...THEMES.dark.vars, '--vscode-editor-foreground': '#ffffff', '--vscode-editor-background': '#000000', '--vscode-contrastBorder': '#6fc3df' } };
  const { page } = await open({ theme: 'dark' });
  await page.evaluate((t) => window.__applyTheme('hc', t), hc);
  await post(page, results(1, FIG1));
  eq(await page.evaluate(() => document.querySelector('svg.sg-plot').getAttribute('color')), '#ffffff', 'high-contrast foreground');
  eq(await page.evaluate(() => getComputedStyle(document.querySelector('.sg-card')).borderTopColor), 'rgb(111, 195, 223)', 'high-contrast card border');
  await page.close();
});

navigateTests({ test, open, post, results, card, eq, assert, FIG1, URI });

// ---- comparison tools: results table, zoom, y scale, pin, small multiples ----
const scaled = (run, f) => ({ ...run, metrics: { ...run.metrics, loss: run.metrics.loss.map((v) => v * f), test_loss: run.metrics.test_loss.map((v) => v * f) } });
/** runs gd, ln, half (gd's losses halved) and noloss (no loss recorded) */
const TABLE_DOC = (() => {
  const { loss: _l, test_loss: _t, ...rest } = FIG1.runs.gd.metrics;
  return { ...FIG1, runs: { gd: FIG1.runs.gd, ln: FIG1.runs.ln, half: scaled(FIG1.runs.gd, 0.5), noloss: { ...FIG1.runs.gd, metrics: rest } } };
})();
const tableOrder = (page) => page.evaluate(() => [...document.querySelectorAll('.sg-results-table tbody tr')].map((tr) => tr.dataset.run));
/** the x (or y) domain of a card's figure, from Plot's own scale */
const domainOf = (page, i, axis = 'x') => page.evaluate(([sel, a]) => document.querySelector(`${sel} svg.sg-plot`).scale(a).domain, [card(i), axis]);
const scaleType = (page, i) => page.evaluate((sel) => document.querySelector(`${sel} svg.sg-plot`).scale('y').type, card(i));
/** click a control and wait for the render it causes */
async function clickRender(page, selector) {
  await markNext(page, 'click');
  await page.click(selector);
  await renderedSinceMark(page);
}

test('results table: a header click sorts the rows (numbers numerically, missing last), kept across updates and a reload', async () => {
  const { page, errors } = await open();
  await post(page, results(1, TABLE_DOC));
  eq(await tableOrder(page), ['gd', 'ln', 'half', 'noloss'], 'document order before sorting');
  const loss = (k) => TABLE_DOC.runs[k].metrics.loss?.at(-1);
  const byLoss = ['gd', 'ln', 'half'].sort((a, b) => loss(a) - loss(b));
  await page.click('.sg-results-table th[data-col="loss"] button');
  await page.waitForFunction(() => document.querySelector('.sg-results-table th[data-col="loss"]').getAttribute('aria-sort') === 'ascending');
  eq(await tableOrder(page), [...byLoss, 'noloss'], 'ascending by final loss, the run without one last');
  await page.click('.sg-results-table th[data-col="loss"] button');
  await page.waitForFunction(() => document.querySelector('.sg-results-table th[data-col="loss"]').getAttribute('aria-sort') === 'descending');
  eq(await tableOrder(page), [...byLoss].reverse().concat('noloss'), 'descending, missing still last');
  // a streamed update of the next revision keeps the sort
  await post(page, results(2, { ...TABLE_DOC, runs: { noloss: TABLE_DOC.runs.noloss, half: TABLE_DOC.runs.half, ln: TABLE_DOC.runs.ln, gd: TABLE_DOC.runs.gd } }, false));
  eq(await tableOrder(page), [...byLoss].reverse().concat('noloss'), 'order after an update');
  const saved = await page.evaluate(() => window.__saved);
  eq(saved.view.sort, { col: 'loss', dir: 'desc' }, 'sort saved with setState');
  await page.close();
  // reload: the saved state restores the sort
  const again = await open({ saved });
  await again.page.waitForSelector('.sg-results-table tbody tr');
  eq(await tableOrder(again.page), [...byLoss].reverse().concat('noloss'), 'order after a reload');
  eq(await again.page.evaluate(() => document.querySelector('.sg-results-table th[data-col="loss"]').getAttribute('aria-sort')), 'descending', 'aria-sort after a reload');
  eq([...errors, ...again.errors], [], 'page errors');
  await again.page.close();
});

test('results table: wall times sent beside the document (cached, unknown), sorted with those last; a row click reveals the run', async () => {
  const { page, errors } = await open();
  const doc = {
    ...TABLE_DOC,
    runs: { ...TABLE_DOC.runs, noloss: { ...TABLE_DOC.runs.noloss, status: 'error', message: 'boom' } },
    definitions: { gd: { line: 5, endLine: 5 }, ln: { line: 6, endLine: 7 }, half: { line: 8, endLine: 8 }, noloss: { line: 9, endLine: 9 } },
  };
  // gd and half computed by the server; ln finished and unmeasured: served from a cache; noloss failed
  await post(page, { ...results(1, doc), wallMs: { gd: 270, half: 1500 } });
  const wallCells = () => page.evaluate(() => {
    const i = [...document.querySelectorAll('.sg-results-table thead th')].findIndex((th) => th.dataset.col === 'wall');
    return Object.fromEntries([...document.querySelectorAll('.sg-results-table tbody tr')].map((tr) => [tr.dataset.run, tr.children[i].textContent]));
  });
  eq(await wallCells(), { gd: '0.27 s', ln: 'cached', half: '1.5 s', noloss: '—' }, 'wall time cells, worded as the CodeLens');
  const n0 = await page.evaluate(() => window.__posted.length);
  await page.click('.sg-results-table th[data-col="wall"] button');
  await page.waitForFunction(() => document.querySelector('.sg-results-table th[data-col="wall"]').getAttribute('aria-sort') === 'ascending');
  eq(await tableOrder(page), ['gd', 'half', 'ln', 'noloss'], 'ascending by wall time, cached and unknown last');
  await page.click('.sg-results-table th[data-col="wall"] button');
  await page.waitForFunction(() => document.querySelector('.sg-results-table th[data-col="wall"]').getAttribute('aria-sort') === 'descending');
  eq(await tableOrder(page), ['half', 'gd', 'ln', 'noloss'], 'descending, cached and unknown still last');
  eq(await page.evaluate((n) => window.__posted.slice(n).filter((m) => m.type === 'reveal'), n0), [], 'a header click reveals nothing');
  // a row click: the run's definition, as a run row of the runs list
  for (const [run, line] of [['ln', 6], ['half', 8]]) {
    const n = await page.evaluate(() => window.__posted.length);
    await page.click(`.sg-results-table tbody tr[data-run="${run}"] td:last-child`);
    await page.waitForFunction((k) => window.__posted.slice(k).some((m) => m.type === 'reveal'), n);
    eq(await page.evaluate((k) => window.__posted.slice(k).filter((m) => m.type === 'reveal'), n), [{ type: 'reveal', uri: URI, line }], `row ${run}`);
  }
  // a sender that tells no times (an older extension): every time unknown
  await post(page, results(2, doc));
  eq(await wallCells(), { gd: '—', ln: '—', half: '—', noloss: '—' }, 'no times sent (all missing: document order)');
  eq(errors, [], 'page errors');
  await page.close();
});

test('brush zoom: a drag over a series figure zooms x (kept across updates), a double-click restores it', async () => {
  const { page, errors } = await open();
  await post(page, results(1, FIG1));
  const full = await domainOf(page, 0);
  const frame = await page.evaluate((sel) => {
    const svg = document.querySelector(`${sel} svg.sg-plot`);
    const b = svg.getBoundingClientRect(), k = b.width / Number(svg.getAttribute('width'));
    const xr = svg.scale('x').range, yr = svg.scale('y').range;
    return { left: b.left + xr[0] * k, right: b.left + xr[1] * k, top: b.top + Math.min(...yr) * k, bottom: b.top + Math.max(...yr) * k };
  }, card(0));
  const y = (frame.top + frame.bottom) / 2;
  const at = (f) => frame.left + f * (frame.right - frame.left);
  await page.mouse.move(at(0.2), y);
  await page.mouse.down();
  await page.mouse.move(at(0.3), y + 2);
  await page.mouse.move(at(0.5), y + 3);
  await markNext(page, 'pointerup');
  await page.mouse.up();
  await renderedSinceMark(page);
  const zoomed = await domainOf(page, 0);
  const want = [full[0] + 0.2 * (full[1] - full[0]), full[0] + 0.5 * (full[1] - full[0])];
  assert(Math.abs(zoomed[0] - want[0]) < 0.02 * (full[1] - full[0]) && Math.abs(zoomed[1] - want[1]) < 0.02 * (full[1] - full[0]), `zoomed x domain ${zoomed}, want about ${want} (full ${full})`);
  eq(await domainOf(page, 1), full, 'the other figures keep their domain');
  assert(await page.isVisible(`${card(0)} button[data-view="reset"]`), 'no reset button on the zoomed figure');
  // a streamed update keeps the zoom
  await post(page, results(2, S70, false));
  eq(await domainOf(page, 0), zoomed, 'zoom after an update');
  eq(Object.values((await page.evaluate(() => window.__saved)).view.figures).map((f) => f.x), [zoomed], 'zoom saved with setState');
  await post(page, results(3, FIG1));
  const box = await page.locator(`${card(0)} svg.sg-plot`).boundingBox();
  await markNext(page, 'dblclick');
  await page.mouse.dblclick(at(0.4), y);
  await renderedSinceMark(page);
  eq(await domainOf(page, 0), full, 'x domain after a double-click');
  assert(box.width > 0 && !(await page.isVisible(`${card(0)} button[data-view="reset"]`)), 'reset button still shown');
  eq(errors, [], 'page errors');
  await page.close();
});

test('log/linear y toggle: offered where every value is positive; switches the scale and survives an update', async () => {
  const { page, errors } = await open();
  await post(page, results(1, FIG1));
  // log det goes negative: no log axis offered; the loss (log by the file) may go linear
  assert(!(await page.isVisible(`${card(0)} button[data-view="scale"]`)), 'log toggle offered on a figure with negative values');
  eq(await scaleType(page, 2), 'log', 'loss axis before');
  eq(await page.textContent(`${card(2)} button[data-view="scale"]`), 'log y', 'toggle label');
  await clickRender(page, `${card(2)} button[data-view="scale"]`);
  eq(await scaleType(page, 2), 'linear', 'loss axis after the toggle');
  await post(page, results(2, FIG1));
  eq(await scaleType(page, 2), 'linear', 'loss axis after an update');
  eq(await scaleType(page, 1), 'log', 'another figure keeps its scale');
  await clickRender(page, `${card(2)} button[data-view="scale"]`);
  eq(await scaleType(page, 2), 'log', 'loss axis toggled back');
  eq(errors, [], 'page errors');
  await page.close();
});

test('pin: after a new revision the pinned curves are drawn as ghost lines labelled "pinned rev 1"; unpin removes them', async () => {
  const { page, errors } = await open();
  await post(page, results(1, FIG1));
  const ghosts = (i) => page.evaluate((sel) => document.querySelectorAll(`${sel} g[aria-description="pinned"] path`).length, card(i));
  await page.click('button.sg-pin');
  await page.waitForFunction(() => document.querySelector('button.sg-pin').getAttribute('aria-pressed') === 'true');
  eq(await ghosts(2), 0, 'no ghosts in the pinned revision itself');
  const pin = (await page.evaluate(() => window.__saved)).view.pin;
  assert(pin && Object.keys(pin.plots).length === 3, `pin saved: ${JSON.stringify(pin)?.slice(0, 200)}`);
  const points = Object.values(pin.plots).flat().reduce((n, l) => n + l.x.length, 0);
  assert(points <= 3 * 24 * 170, `pinned points bounded: ${points}`);
  await post(page, results(2, { ...FIG1, runs: { gd: scaled(FIG1.runs.gd, 3), ln: scaled(FIG1.runs.ln, 3) } }));
  eq(await ghosts(2), 4, 'ghost lines of the loss figure (loss and test loss of gd and ln)');
  eq(await ghosts(1), 10, 'ghost lines of the singular values');
  assert((await texts(page, `${card(2)} g[aria-description="pinned label"] text`)).every((t) => t === 'pinned rev 1'), 'ghost labels');
  eq((await lineCount(page, 2)).all - 4, 4, 'current curves still drawn');
  await clickRender(page, 'button.sg-pin');
  eq(await ghosts(2), 0, 'ghosts after unpin');
  eq((await page.evaluate(() => window.__saved)).view.pin, null, 'pin removed from the saved state');
  eq(errors, [], 'page errors');
  await page.close();
});

test('small multiples: a crowded family offers facets, drawn as a panel per member; a figure of two runs does not', async () => {
  const members = {};
  for (let j = 0; j < 10; j++) members[`gd[lr=${j + 1}]`] = { ...scaled(FIG1.runs.gd, j + 1), def: 'gd', member: { lr: j + 1 }, coords: { lr: j + 1 } };
  const doc = { ...FIG1, runs: members, plots: [{ ...FIG1.plots[2], runs: ['gd'] }, FIG1.plots[1]] };
  const { page, errors } = await open();
  await post(page, results(1, doc));
  assert(await page.isVisible(`${card(0)} button[data-view="facet"]`), 'no small-multiples toggle on a crowded figure');
  eq(await page.evaluate((sel) => document.querySelectorAll(`${sel} g[aria-description="panel"] text`).length, card(0)), 0, 'panels before the toggle');
  await clickRender(page, `${card(0)} button[data-view="facet"]`);
  const panels = await texts(page, `${card(0)} g[aria-description="panel"] text`);
  eq(panels.length, 10, 'one panel per member');
  assert(panels.includes('gd[lr=1]') && panels.includes('gd[lr=10]'), `panel labels: ${panels}`);
  eq((await lineCount(page, 0)).all, 20, 'loss and test loss of each member, in its panel');
  await post(page, results(2, doc));
  eq((await texts(page, `${card(0)} g[aria-description="panel"] text`)).length, 10, 'facets after an update');
  await page.close();
  const two = await open();
  await post(two.page, results(1, FIG1));
  assert(!(await two.page.isVisible(`${card(2)} button[data-view="facet"]`)), 'small-multiples toggle on a figure of two runs');
  eq([...errors, ...two.errors], [], 'page errors');
  await two.page.close();
});

let passed = 0, failed = 0;
// SGDEXP_WEBVIEW_ONLY=text runs only the tests whose name contains it
const only = process.env.SGDEXP_WEBVIEW_ONLY;
for (const t of tests.filter((t) => !only || t.name.includes(only))) {
  const t0 = Date.now();
  try {
    await t.fn();
    passed++;
    console.log(`ok   ${t.name} (${Date.now() - t0} ms)`);
  } catch (e) {
    failed++;
    console.log(`FAIL ${t.name}\n     ${String(e?.stack ?? e).split('\n').slice(0, 3).join('\n     ')}`);
  }
}
await browser.close();
server.close();
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
