// The UI scenario through the workbench, as a user does it: open the experiment from the explorer,
// run "SGDExp: Open Preview to the Side" from the command palette, find the plot inside the
// webview's frames, save the screenshot (the README's). Then reload the window: the serializer must
// bring the preview back with its plots from the cache.
//   node ui-preview.mjs --tools DIR --origin URL --workspace DIR --file NAME --screenshot PNG
//        [--installed | --ext DIR] [--shots DIR]
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { args, launch, remoteAuthority } from './browser.mjs';

const a = args(process.argv.slice(2));
const shots = a.shots ?? join(a.tmp ?? '/tmp', 'shots');
mkdirSync(shots, { recursive: true });
mkdirSync(dirname(a.screenshot), { recursive: true });
let passed = 0;
let failed = 0;
const t0 = Date.now();
const secs = () => ((Date.now() - t0) / 1000).toFixed(1);

const { ctx, page } = await launch(a.tools, a.tmp ?? '/tmp', { width: 1600, height: 900 });
const authority = await remoteAuthority(a.origin);
// --installed: the extension is installed in the server (the release .vsix); else load the
// working tree as an Extension Development Host
const payload = JSON.stringify([['extensionDevelopmentPath', `vscode-remote://${authority}${resolve(a.ext)}`]]);
const url = `${a.origin}/?folder=${encodeURIComponent(resolve(a.workspace))}${a.installed ? '' : `&payload=${encodeURIComponent(payload)}`}`;

// the webview is an iframe (the host page) holding another iframe (our page)
const webview = () => page.frameLocator('iframe.webview.ready').last().frameLocator('#active-frame');
// a drawn plot: an Observable Plot SVG with at least one line mark
const PLOT = 'svg g[aria-label="line"] path';

async function step(name, fn) {
  try {
    await fn();
    passed++;
    console.log(`ok - ui: ${name} (${secs()} s)`);
  } catch (e) {
    failed++;
    console.log(`not ok - ui: ${name}: ${String(e?.message ?? e).split('\n')[0]}`);
    await page.screenshot({ path: join(shots, `failed-${passed + failed}.png`) }).catch(() => {});
  }
}

/** Waits until the page shows its final results: the header badge says "up to date · as of …"
 *  (class sg-badge-done, only set on a final document), no
 *  run's badge says running or queued, and a plot is drawn. Throws on timeout with what the page
 *  showed, so a screenshot of half-drawn curves never passes silently. */
async function plotsSettled(timeout) {
  const wv = webview();
  const until = Date.now() + timeout;
  let seen = 'no page';
  for (;;) {
    const state = await Promise.all([
      wv.locator('.sg-title .sg-badge-done').count(),
      wv.locator('.sg-badge-running, .sg-badge-queued').count(),
      wv.locator(PLOT).count(),
      wv.locator('.sg-title .sg-badge').first().textContent({ timeout: 1000 }),
    ]).catch(() => null);
    if (state) {
      const [final, inFlight, lines, header] = state;
      seen = `header "${header}", ${inFlight} run(s) running or queued, ${lines} line path(s)`;
      if (final === 1 && inFlight === 0 && lines > 0 && /^up to date · (as of |update |from the cache)/.test(header ?? '')) return seen;
    }
    if (Date.now() > until) throw new Error(`the preview did not settle within ${timeout / 1000} s (${seen})`);
    await page.waitForTimeout(250);
  }
}

await step('open the experiment and run "Open Preview to the Side" from the command palette', async () => {
  await page.goto(url);
  await page.locator('.monaco-workbench').waitFor({ timeout: 180_000 });
  const row = page.locator('.explorer-folders-view .monaco-list-row', { hasText: a.file });
  await row.waitFor({ timeout: 120_000 });
  await row.click();
  await page.locator('#status\\.editor\\.mode', { hasText: 'SGD Experiment' }).waitFor({ timeout: 120_000 });
  await page.locator('.monaco-editor .view-lines').first().click();
  await page.keyboard.press('F1');
  await page.locator('.quick-input-widget input').fill('>SGDExp: Open Preview to the Side');
  // click the exact entry (Enter would take the first match, which may be the locked variant)
  const entry = page.locator('.quick-input-list .monaco-list-row', { hasText: 'SGDExp: Open Preview to the Side' }).first();
  await entry.waitFor({ timeout: 60_000 });
  await entry.click();
  await plotsSettled(Number(a["plot-timeout-ms"] ?? 300_000));
  // hide the side bars for a clean editor | preview screenshot (the secondary one, where chat
  // lives, sometimes opens on a first start)
  await page.locator('.monaco-editor .view-lines').first().click();
  if (await page.locator('.part.sidebar').isVisible()) await page.keyboard.press('Control+B');
  if (await page.locator('.part.auxiliarybar').isVisible()) await page.keyboard.press('Control+Alt+B');
  // the click above may land below the last line and the relayout can then scroll the editor to
  // it: show the file from its first line
  await page.locator('.monaco-editor .view-lines').first().click();
  await page.keyboard.press('Control+Home');
  await page.waitForTimeout(800);
  const settled = await plotsSettled(120_000);
  await page.screenshot({ path: a.screenshot });
  console.log(`  settled before the screenshot: ${settled}`);
  const n = await webview().locator('svg g[aria-label="line"]').count();
  if (n < 1) throw new Error('no line marks in the preview');
  console.log(`  ${n} line mark group(s) in the preview; screenshot ${a.screenshot}`);
});

// The loop, step by step (the README's walkthrough): edit a number, save, the preview re-runs the
// runs that changed and the claims are checked again, in the editor (inlay hints) and the preview.
await step('the loop: edit a number and save; the preview re-runs and checks the claims', async () => {
  const loopShot = (n, what) => join(dirname(a.screenshot), `loop-${n}-${what}.png`);
  // the page's count of revisions shown, from the header badge's title ("revision N shown here
  // …", the "update N" of its words): a higher one is the save's revision on the page (the edit
  // alone only marks runs stale). The header reads no clock: no sleep is needed before the edit.
  const shownRevision = async () => {
    const t = await webview().locator('.sg-title .sg-badge-state').first().getAttribute('title', { timeout: 5000 });
    return Number(/revision (\d+) shown/.exec(t ?? '')?.[1] ?? NaN);
  };
  const before = await shownRevision();
  if (!Number.isFinite(before)) throw new Error('no revision in the preview header');
  const text = readFileSync(join(resolve(a.workspace), a.file), 'utf8').split('\n');
  const row = text.findIndex((l) => /label_noise\(.*delta = 2\b/.test(l));
  if (row < 0) throw new Error(`no label_noise(…, delta = 2) line in ${a.file}`);
  const col = text[row].indexOf('delta = 2') + 'delta = '.length + 1;
  await page.locator('.monaco-editor .view-lines').first().click();
  await page.keyboard.press('Control+G');
  await page.locator('.quick-input-widget input').fill(`:${row + 1}:${col}`);
  await page.keyboard.press('Enter');
  // the keys below go to the editor once Go to Line has closed and put the cursor there
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 60_000 });
  await page.locator('#status\\.editor\\.selection', { hasText: `Ln ${row + 1}, Col ${col}` }).waitFor({ timeout: 60_000 });
  await page.keyboard.press('Shift+ArrowRight');
  await page.keyboard.type('4');
  await page.locator('.monaco-editor .view-lines', { hasText: 'delta = 4' }).first().waitFor({ timeout: 60_000 });
  await page.screenshot({ path: loopShot(1, 'edit') });
  await page.keyboard.press('Control+S');
  // the preview answers the save with a new revision
  const until = Date.now() + 120_000;
  let shown = before;
  while (!((shown = await shownRevision().catch(() => before)) > before)) {
    if (Date.now() > until) throw new Error(`the preview still showed revision ${shown} (${before} before the save)`);
    await page.waitForTimeout(100);
  }
  const settled = await plotsSettled(300_000);
  if (!readFileSync(join(resolve(a.workspace), a.file), 'utf8').includes('delta = 4')) throw new Error('the edit was not saved');
  await page.screenshot({ path: loopShot(2, 'preview-updated') });
  // the claims: verdicts in the preview's list and ✓ inlay hints at the end of the expect lines
  const summary = await webview().locator('.sg-claims summary').first().textContent({ timeout: 60_000 });
  if (!/^Claims · \d+ of \d+ hold/.test(summary ?? '')) throw new Error(`no claims list in the preview (saw "${summary}")`);
  await page.locator('.monaco-editor .view-lines').first().click();
  await page.keyboard.press('Control+End');
  const hint = page.locator('.monaco-editor .view-lines', { hasText: '✓' }).first();
  await hint.waitFor({ timeout: 120_000 });
  await page.screenshot({ path: loopShot(3, 'claims-checked') });
  console.log(`  after the save: ${settled}; ${summary}`);
});

await step('the preview survives a window reload (serializer) and shows its plots from the cache', async () => {
  const tr = Date.now();
  let shot = 0;
  const tracer = a['trace-reload']
    ? setInterval(() => void page.screenshot({ path: join(shots, `reload-${String(shot++).padStart(2, '0')}.png`) }).catch(() => {}), 3000)
    : null;
  if (a['trace-reload']) page.on('console', (m) => console.error(`[console +${Date.now() - tr}] ${m.text().slice(0, 200)}`));
  const stage = async (what, p) => {
    try {
      await p;
    } catch (e) {
      throw new Error(`${what} after ${Date.now() - tr} ms: ${String(e?.message ?? e).split('\n')[0]}`);
    }
  };
  // as a user does: "Developer: Reload Window" (an expected shutdown: the workbench stores its
  // layout first; a bare browser reload may drop it, and with it the preview)
  await page.locator('.monaco-editor .view-lines').first().click();
  await page.keyboard.press('F1');
  await page.locator('.quick-input-widget input').fill('>Developer: Reload Window');
  const reload = page.locator('.quick-input-list .monaco-list-row', { hasText: 'Developer: Reload Window' }).first();
  await reload.waitFor({ timeout: 60_000 });
  await Promise.all([page.waitForEvent('framenavigated', { timeout: 180_000 }), reload.click()]);
  await stage('no workbench', page.locator('.monaco-workbench').waitFor({ timeout: 240_000 }));
  const tw = Date.now();
  // VS Code restores the panel once the extension host is up and the extension activated
  await stage('no webview frame', page.locator('iframe.webview.ready').first().waitFor({ state: 'attached', timeout: 300_000 }));
  const tf = Date.now();
  await stage('no plot in the restored preview', webview().locator(PLOT).first().waitFor({ timeout: 180_000 }));
  const tp = Date.now();
  if (tracer) clearInterval(tracer);
  console.log(`bench reload-to-plot ${tp - tr} ms (workbench ${tw - tr} ms, webview frame +${tf - tw} ms, plot +${tp - tf} ms)`);
  await page.screenshot({ path: join(shots, 'after-reload.png') });
});

await ctx.close();
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
