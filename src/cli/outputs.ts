// What `run` and `render` write for one results document: figures (SVG, PNG), results (JSON),
// series (CSV) and the HTML report with the experiment's source; skipped when up to date.
import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import type { ResultsDoc } from '../core/wire/results';
import { toCsv } from '../core/csv';
import { toHtml, type ReportFigure } from './html';
import { loadFigureStack } from './lazy';
import { outputKey, stamp, upToDate } from './stamps';
import { jsonDigest, jsonTextIfFits, textDigest, writeJsonFile } from './jsonStream';
import { add, timed, timedAsync } from './timing';
import type { Format } from './formats';

/** Width of the figures in CSS pixels (the preview's default), PNGs at 2× for sharp text. */
const FIGURE_WIDTH = 640;
const PNG_SCALE = 2;

/** `source`: the experiment's text, shown in the report (null: not at hand) */
export async function writeOutputs(doc: ResultsDoc, stem: string, formats: readonly Format[], source: string | null = null): Promise<void> {
  mkdirSync(dirname(stem), { recursive: true });
  const name = basename(stem);
  // the JSON text is made once, hashed, then written; chunk by chunk only when it is longer than
  // one string can be (a document of 10⁶ runs is longer than V8's largest string)
  const text = timed('digest', () => jsonTextIfFits(doc));
  // the report shows the source: an edited comment (same results) still redraws it
  const digest = timed('digest', () => (text === null ? jsonDigest(doc) : textDigest(text)));
  const key = outputKey(formats.includes('html') && source != null ? `${digest}|${textDigest(source)}` : digest, formats);
  const expected = [
    ...(['json', 'csv', 'html'] as const).filter((f) => formats.includes(f)).map((f) => `${stem}.${f}`),
    ...(['svg', 'png'] as const).filter((f) => formats.includes(f)).flatMap((f) => doc.plots.map((_, i) => `${stem}-plot${i + 1}.${f}`)),
  ];
  if (upToDate(stem, key, expected)) return;
  // figures first: their PNGs rasterise on the thread pool while the JSON, CSV and HTML are written
  const wantSvg = formats.includes('svg') || formats.includes('png') || formats.includes('html');
  const figures: ReportFigure[] = [];
  let pngs: Promise<unknown> = Promise.resolve();
  if (wantSvg) {
    const t0 = performance.now();
    const { paperFigure, freshDocument, svgToPng, toStandaloneSvg, PRINT_THEME } = await loadFigureStack();
    const rasters: { svg: string; file: string }[] = [];
    doc.plots.forEach((plot, i) => {
      let svg: string;
      let inline: string;
      try {
        // the same standalone figure as the editor's Export Figures (src/core/figures/paper.ts)
        const el = paperFigure(doc, plot, { document: freshDocument(), width: FIGURE_WIDTH, theme: PRINT_THEME, tips: false }) as unknown as Element;
        svg = toStandaloneSvg(el);
        inline = el.outerHTML;
      } catch (e) {
        process.stderr.write(`${doc.file}: plot ${i + 1} (${plot.title}): cannot draw: ${(e as Error).message}\n`);
        return;
      }
      const fig = `${stem}-plot${i + 1}`;
      if (formats.includes('svg')) writeFileSync(fig + '.svg', svg);
      if (formats.includes('png')) rasters.push({ svg, file: fig + '.png' });
      figures.push({ title: plot.title, svg: inline });
    });
    add('figures', performance.now() - t0);
    pngs = Promise.all(rasters.map(({ svg, file }) => svgToPng(svg, FIGURE_WIDTH * PNG_SCALE).then((png) => writeFileSync(file, png))));
    pngs.catch(() => {}); // awaited below, after the other outputs
  }
  if (formats.includes('json'))
    await timedAsync('json', async () => (text === null ? writeJsonFile(stem + '.json', doc) : writeFileSync(stem + '.json', text)));
  if (formats.includes('csv')) timed('csv', () => writeFileSync(stem + '.csv', toCsv(doc)));
  if (formats.includes('html'))
    timed('html', () =>
      writeFileSync(stem + '.html', toHtml(doc, figures, { json: formats.includes('json') ? name + '.json' : undefined, csv: formats.includes('csv') ? name + '.csv' : undefined }, source)),
    );
  // `png` is what the rasters add after the other outputs are written
  await timedAsync('png', () => pngs);
  if (!wantSvg) return stamp(stem, key);
  if (figures.length === doc.plots.length) stamp(stem, key);
}
