// Reliability (d): user text never becomes markup or a formula. Titles (the language's strings),
// the file name and, through a hand-written results document, run keys and metric names carry
// `<script>`, `"><img onerror=alert(1)>`, `</style>` and spreadsheet formula prefixes. The HTML
// report and the SVG figures, parsed, hold no element or attribute the input created, and every
// CSV text cell that starts like a formula is prefixed with ' (numbers such as -1.5 stay numbers).
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseHTML, DOMParser } from 'linkedom';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toCsv } from '../../src/core/csv';
import { toHtml } from '../../src/cli/html';
import { buildFigure, figureCsv, LIGHT_THEME } from '../../src/core/figures';
import type { ResultsDoc } from '../../src/core/results';
import type { NodeStatus } from '../../src/core/protocol';
import { renderGraph } from '../../webview/graph';
import { CLI, ensureBuilt, runProcess, tempDir } from '../cli/helpers';

const PAYLOADS = ['<script>alert(1)</script>', '"><img src=x onerror=alert(1)>', '</style><script>alert(2)</script>', "'><svg onload=alert(3)>"];
const FORMULAS = ['=1+2', '+cmd|calc', '-2+3', '@SUM(A1)', '=HYPERLINK("http://x")'];
const counts: string[] = [];

/** Elements and attributes that only injected text could have made. */
function injected(root: { querySelectorAll(s: string): ArrayLike<Element> }): string[] {
  const found: string[] = [];
  for (const e of Array.from(root.querySelectorAll('*'))) {
    const tag = e.tagName.toLowerCase();
    if (['script', 'img', 'iframe', 'object', 'embed', 'foreignobject'].includes(tag)) found.push(`<${tag}>`);
    for (const a of Array.from(e.attributes)) if (/^on/i.test(a.name)) found.push(`${tag}[${a.name}]`);
  }
  return found;
}

/** Cells of a CSV text (RFC 4180: quoted cells may hold commas and quotes). */
function cells(csv: string): string[] {
  const out: string[] = [];
  const re = /("(?:[^"]|"")*"|[^,\n]*)(,|\n|$)/g;
  for (let m = re.exec(csv); m && m.index < csv.length; m = re.exec(csv)) {
    const c = m[1];
    out.push(c.startsWith('"') ? c.slice(1, -1).replace(/""/g, '"') : c);
    if (!m[0]) re.lastIndex++;
  }
  return out;
}
/** Cells a spreadsheet would evaluate: starting with = + - @ and not a plain number. */
const formulas = (csv: string) => cells(csv).filter((c) => /^[=+\-@\t\r]/.test(c) && !/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(c) && !/^-inf$/.test(c));

let root: string;
beforeAll(async () => {
  await ensureBuilt();
  root = tempDir('reliability-injection');
});
afterAll(() => {
  console.log(`reliability(d): ${counts.join('; ')}`);
  if (root) rmSync(root, { recursive: true, force: true });
});

describe('reliability (d): no markup and no formula from user text', () => {
  it('the CLI: titles and the file name with payloads → HTML and SVG without injected markup', async () => {
    // a file name can hold < > " = but no slash
    const name = `evil"><img src=x onerror=alert(1)>=1+2`;
    const src = join(root, `${name}.sgdexp`);
    const titles = [...PAYLOADS, ...FORMULAS];
    writeFileSync(
      src,
      `data = teacher(n = 20, p = 3, k = 1)
net  = linear2(width = 4)
gd   = train(net, data, gd(lr = 0.05), steps = 50, record = 10)
${titles.map((t) => `plot loss(gd, title = ${JSON.stringify(t)})`).join('\n')}
`,
    );
    const out = join(root, 'out');
    mkdirSync(out);
    const r = await runProcess(process.execPath, [CLI, 'run', src, '--out', out, '--format', 'svg,html,csv,json', '-q', '--no-cache', '--jobs', '1']);
    expect(r.code, r.stderr).toBe(0);
    const files = readdirSync(out);
    const html = readFileSync(join(out, `${name}.html`), 'utf8');
    const { document } = parseHTML(html);
    expect(injected(document), 'elements/attributes in the HTML report').toEqual([]);
    // one style sheet for the page and one per Plot figure; none holds a title's text
    const styles = Array.from(document.querySelectorAll('style'));
    expect(styles.length, 'style elements: the page + one per figure').toBe(1 + titles.length);
    expect(styles.filter((e) => /alert|onerror/.test(e.textContent ?? '')).map((e) => e.textContent), 'a </style> in a title escaped into a style sheet').toEqual([]);
    // the payloads did reach the report, as text: the test is not vacuous
    const text = document.body.textContent ?? '';
    for (const t of titles) expect(text.includes(t) || Array.from(document.querySelectorAll('figure')).some((f) => f.getAttribute('title') === t), `title ${t} shown as text`).toBe(true);
    expect(document.querySelector('h1')?.textContent).toContain(name);
    const svgs = files.filter((f) => f.endsWith('.svg'));
    expect(svgs).toHaveLength(titles.length);
    let svgText = '';
    for (const f of svgs) {
      const s = readFileSync(join(out, f), 'utf8');
      const svg = new DOMParser().parseFromString(s, 'image/svg+xml');
      expect(injected(svg), `elements/attributes in ${f}`).toEqual([]);
      svgText += svg.documentElement.textContent;
    }
    for (const t of titles) expect(svgText, `title ${t} drawn as text in an SVG`).toContain(t);
    const csv = readFileSync(join(out, `${name}.csv`), 'utf8');
    expect(formulas(csv)).toEqual([]);
    counts.push(`CLI: ${titles.length} titles + file name → 1 HTML, ${svgs.length} SVG, ${cells(csv).length} CSV cells: 0 injected elements, 0 formulas`);
  });

  it('a hand-written document: run keys, metric names, statuses and messages with payloads', async () => {
    const evil = [...PAYLOADS, ...FORMULAS];
    const runs: ResultsDoc['runs'] = {};
    evil.forEach((k, i) => {
      runs[k] = {
        status: i % 2 ? 'done' : (FORMULAS[i % FORMULAS.length] as never),
        message: PAYLOADS[i % PAYLOADS.length],
        model: PAYLOADS[(i + 1) % PAYLOADS.length] as never,
        optimizer: FORMULAS[i % FORMULAS.length] as never,
        params: { lr: -1.5, [PAYLOADS[0]]: 1 } as never,
        member: { lr: -1.5, seed: FORMULAS[0] as never },
        step: [0, 1],
        time: [0, 0.1],
        metrics: { loss: [-1.5, 2], [FORMULAS[i % FORMULAS.length]]: [1, -2e-3] },
      } as never;
    });
    const doc = { format: 'sgdexp-results', version: 1, file: PAYLOADS[1], seed: 0, runs, plots: [] } as unknown as ResultsDoc;
    const csv = toCsv(doc);
    expect(formulas(csv), 'cells a spreadsheet would evaluate').toEqual([]);
    // the guard touched only text: the numbers are still numbers
    const lines = csv.trim().split('\n');
    expect(lines.some((l) => l.endsWith(',-1.5'))).toBe(true);
    expect(lines.some((l) => l.endsWith(',-0.002'))).toBe(true);
    expect(cells(csv)).toContain("'=1+2");
    expect(cells(csv)).toContain('-1.5');
    const html = toHtml(doc, [{ title: PAYLOADS[2], svg: '<svg xmlns="http://www.w3.org/2000/svg"></svg>' }], { json: PAYLOADS[1], csv: PAYLOADS[0] });
    const { document } = parseHTML(html);
    expect(injected(document)).toEqual([]);
    expect(document.querySelectorAll('style').length).toBe(1);
    expect(document.querySelectorAll('tbody tr').length).toBe(evil.length);
    for (const k of evil) expect(document.body.textContent).toContain(k);
    counts.push(`hand-written document: ${evil.length} hostile run keys → ${cells(csv).length} CSV cells, 0 formulas; HTML 0 injected elements`);
  });

  it('the preview side (webview/graph.ts renderGraph, src/core/figures buildFigure/figureCsv) under linkedom', async () => {
    const { document } = parseHTML('<!doctype html><html><body></body></html>');
    const nodes: NodeStatus[] = PAYLOADS.map((id, i) => ({ id, kind: 'run', state: 'done' as never, deps: i ? [PAYLOADS[i - 1]] : [], message: PAYLOADS[(i + 1) % PAYLOADS.length] }));
    const g = renderGraph(document as unknown as Document, nodes);
    document.body.appendChild(g as never);
    expect(injected(document)).toEqual([]);
    for (const id of PAYLOADS) expect(g.textContent).toContain(id.slice(0, 8));
    // a figure with a hostile title and run key, built as the preview builds it
    const key = FORMULAS[0] + PAYLOADS[0];
    const doc = {
      format: 'sgdexp-results', version: 1, file: 'x.sgdexp', seed: 0,
      runs: { [key]: { status: 'done', message: null, model: 'linear2', optimizer: 'gd', params: {}, member: null, step: [0, 1, 2], time: [0, 1, 2], metrics: { loss: [1, 0.5, 0.25] } } },
      plots: [{ title: PAYLOADS[1] + FORMULAS[0], kind: 'series', metric: 'loss', runs: [key], x: 'step', y: 'linear', theory: false, top: null }],
    } as unknown as ResultsDoc;
    const svg = buildFigure(doc, doc.plots[0], { document: document as unknown as Document, width: 400, theme: LIGHT_THEME, tips: true });
    document.body.appendChild(svg as never);
    expect(injected(document)).toEqual([]);
    const fcsv = figureCsv(doc, doc.plots[0]);
    expect(formulas(fcsv)).toEqual([]);
    expect(document.body.textContent).toContain(PAYLOADS[1]);
    counts.push(`preview: graph of ${nodes.length} hostile ids and a hostile figure: 0 injected elements, figure CSV 0 formulas (the App itself needs a browser: test/webview, Chromium)`);
  });
});
