// Navigation between editor and preview, the page's half (webview/navigate.ts): clicks that name a
// source line post `reveal` with it; a `highlight` from the extension scrolls to the figure and
// marks it. Registered by run.mjs with its helpers.

/** Fig. 1 as a current writer sends it: plot lines, definition lines, and a status naming them. */
function navFixtures(FIG1, URI) {
  const doc = {
    ...FIG1,
    plots: FIG1.plots.map((p, i) => ({ ...p, line: 10 + 2 * i, endLine: 11 + 2 * i })),
    definitions: { data: { line: 2, endLine: 2 }, net: { line: 3, endLine: 3 }, gd: { line: 5, endLine: 5 }, ln: { line: 6, endLine: 7 } },
  };
  const status = {
    type: 'status', uri: URI, revision: 1,
    nodes: [
      { id: 'data', kind: 'data', state: 'cached', deps: [], line: 2, endLine: 2 },
      { id: 'net', kind: 'model', state: 'cached', deps: [], line: 3, endLine: 3 },
      { id: 'gd', kind: 'run', state: 'cached', deps: ['data', 'net'], line: 5, endLine: 5 },
      { id: 'ln', kind: 'run', state: 'cached', deps: ['data', 'net'], line: 6, endLine: 7 },
      ...doc.plots.map((p, i) => ({ id: `plot#${i}`, kind: 'plot', state: 'done', deps: ['gd', 'ln'], label: i === 2 ? 'plot loss' : p.title, line: p.line, endLine: p.endLine })),
    ],
  };
  return { doc, status };
}

export function navigateTests({ test, open, post, results, card, eq, assert, FIG1, URI }) {
  const { doc, status } = navFixtures(FIG1, URI);
  /** the reveal messages the page posted since `from` */
  const reveals = (page, from) => page.evaluate((n) => window.__posted.slice(n).filter((m) => m.type === 'reveal'), from);
  const posted = (page) => page.evaluate(() => window.__posted.length);
  /** clicks `sel` (with `modifiers`) and waits for the reveal it posts */
  async function revealBy(page, sel, modifiers = []) {
    const n = await posted(page);
    await page.click(sel, { modifiers });
    await page.waitForFunction((k) => window.__posted.slice(k).some((m) => m.type === 'reveal'), n);
    return reveals(page, n);
  }

  test('navigation: figure title, Ctrl+click on a legend entry or a curve, graph node and run row post reveal with their line', async () => {
    const { page, errors } = await open({ height: 600 });
    await post(page, results(1, doc));
    await post(page, status);
    eq(await revealBy(page, `${card(1)} .sg-card-head h2`), [{ type: 'reveal', uri: URI, line: 12 }], 'title of plot 2');
    // Ctrl/⌘+click goes to the run's definition and leaves the run shown
    eq(await revealBy(page, `${card(0)} .sg-legend-item[data-run="ln"]`, ['Control']), [{ type: 'reveal', uri: URI, line: 6 }], 'legend entry ln');
    eq(await page.getAttribute(`${card(0)} .sg-legend-item[data-run="ln"]`, 'aria-pressed'), 'true', 'ln still shown after Ctrl+click');
    // graph nodes are named as written (a plot by its title or `plot <metric>`), and reveal their line
    const labels = await page.evaluate(() => [...document.querySelectorAll('g.sg-node text')].map((t) => t.textContent));
    assert(labels.includes('plot loss') && !labels.some((l) => l.startsWith('plot#')), `graph labels: ${labels}`);
    eq(await revealBy(page, 'g.sg-node[data-id="plot#2"]'), [{ type: 'reveal', uri: URI, line: 14 }], 'graph node of plot 3');
    eq(await revealBy(page, 'g.sg-node[data-id="gd"]'), [{ type: 'reveal', uri: URI, line: 5 }], 'graph node gd');
    await page.evaluate(() => { document.querySelector('details.sg-runs').open = true; });
    eq(await revealBy(page, 'li.sg-run .sg-run-name:text-is("ln")'), [{ type: 'reveal', uri: URI, line: 6 }], 'run row ln');
    // a curve: the run under the pointer (tips are added on the first pointer entry; the next move shows one)
    const box = await page.locator(`${card(0)} svg.sg-plot`).boundingBox();
    await page.mouse.move(box.x + box.width * 0.4, box.y + box.height * 0.4);
    await page.waitForFunction((sel) => document.querySelector(`${sel} svg.sg-plot g[aria-label="tip"]`), card(0));
    await page.mouse.move(box.x + box.width * 0.45, box.y + box.height * 0.45);
    await page.waitForFunction((sel) => document.querySelector(`${sel} svg.sg-plot`)?.value?.run, card(0));
    const run = await page.evaluate((sel) => document.querySelector(`${sel} svg.sg-plot`).value.run, card(0));
    const n = await posted(page);
    await page.keyboard.down('Control');
    await page.mouse.click(box.x + box.width * 0.45, box.y + box.height * 0.45);
    await page.keyboard.up('Control');
    await page.waitForFunction((k) => window.__posted.slice(k).some((m) => m.type === 'reveal'), n);
    eq(await reveals(page, n), [{ type: 'reveal', uri: URI, line: run === 'gd' ? 5 : 6 }], `curve of ${run}`);
    eq(errors, [], 'page errors');
    await page.close();
  });

  test('navigation: a highlight message scrolls to the figure and marks it for a moment', async () => {
    const { page, errors } = await open({ height: 500 });
    await post(page, results(1, doc));
    await post(page, status);
    const inView = (i) => page.evaluate((sel) => {
      const r = document.querySelector(sel).getBoundingClientRect();
      return r.top >= -1 && r.top < window.innerHeight;
    }, card(i));
    assert(!(await inView(2)), 'the third figure starts below the fold');
    // the marks last HIGHLIGHT_MS (1.6 s): read on a loaded machine after the waits below, they
    // may be gone already. What each message marked is recorded as it happens instead.
    const recordMarks = () => page.evaluate(() => {
      window.__marks = [];
      window.__marksObserver?.disconnect();
      window.__marksObserver = new MutationObserver((records) => {
        for (const r of records) {
          const e = r.target;
          if (!e.classList.contains('sg-highlight') || (r.oldValue ?? '').split(/\s+/).includes('sg-highlight')) continue;
          const id = e.dataset.plot ?? e.querySelector('.sg-run-name')?.textContent ?? e.tagName;
          if (!window.__marks.includes(id)) window.__marks.push(id);
        }
      });
      window.__marksObserver.observe(document.body, { subtree: true, attributes: true, attributeFilter: ['class'], attributeOldValue: true });
    });
    await recordMarks();
    await page.evaluate((m) => window.postMessage(m, '*'), { type: 'highlight', uri: URI, line: 14, plots: [2], runs: [] });
    await page.waitForFunction((sel) => document.querySelector(sel).classList.contains('sg-highlight'), card(2));
    await page.waitForFunction((sel) => {
      const r = document.querySelector(sel).getBoundingClientRect();
      return r.top >= -1 && r.top < window.innerHeight / 2;
    }, card(2));
    eq(await page.evaluate(() => window.__marks), ['2'], 'marked elements');
    // the mark goes away by itself
    await page.waitForFunction((sel) => !document.querySelector(sel).classList.contains('sg-highlight'), card(2));
    // a highlight for another file is not this page's
    await recordMarks();
    await page.evaluate((m) => window.postMessage(m, '*'), { type: 'highlight', uri: 'file:///other.sgdexp', line: 12, plots: [1], runs: [] });
    await page.evaluate((m) => window.postMessage(m, '*'), { type: 'highlight', uri: URI, line: 5, plots: [0], runs: ['gd'] });
    await page.waitForFunction((sel) => document.querySelector(sel).classList.contains('sg-highlight'), card(0));
    eq(await page.evaluate(() => [...window.__marks].sort()), ['0', 'gd'], 'a run line marks its figures and its row, not another file\'s');
    eq(await page.evaluate(() => window.__posted.filter((m) => m.type === 'error')), [], 'no message rejected');
    eq(errors, [], 'page errors');
    await page.close();
  });
}
