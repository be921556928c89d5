// Regenerates the README's gallery from `npm run demo`: every figure of every example
// (out/demo/*-plotN.svg, drawn by the CLI with the preview's own figure code) rasterised to
// docs/images/gallery/*.png at 800 px, and the list between the README's gallery markers.
//   node scripts/gallery.mjs            runs `npm run demo` first (runs come from the disk cache
//                                       when the examples did not change), then copies
//   node scripts/gallery.mjs --no-run   uses out/demo as it is
import { execSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Resvg } from '@resvg/resvg-js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const demo = join(root, 'out/demo');
const gallery = join(root, 'docs/images/gallery');

if (!process.argv.includes('--no-run') || !existsSync(demo)) execSync('npm run --silent demo', { cwd: root, stdio: 'inherit' });

const fonts = ['/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf', '/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf'].filter(existsSync);
rmSync(gallery, { recursive: true, force: true });
mkdirSync(gallery, { recursive: true });

const entries = [];
for (const json of readdirSync(demo).filter((f) => f.endsWith('.json') && !f.startsWith('.')).sort()) {
  const stem = json.replace(/\.json$/, '');
  const doc = JSON.parse(readFileSync(join(demo, json), 'utf8'));
  doc.plots.forEach((plot, i) => {
    const svgPath = join(demo, `${stem}-plot${i + 1}.svg`);
    if (!existsSync(svgPath)) return;
    const png = new Resvg(readFileSync(svgPath, 'utf8'), {
      background: 'white',
      fitTo: { mode: 'width', value: 800 },
      font: fonts.length
        ? { loadSystemFonts: false, fontFiles: fonts, defaultFontFamily: 'DejaVu Sans', sansSerifFamily: 'DejaVu Sans' }
        : { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' },
    }).render().asPng();
    const name = `${stem}-plot${i + 1}.png`;
    writeFileSync(join(gallery, name), png);
    entries.push({ file: doc.file, title: plot.title, name });
  });
}

// README: replace what is between the markers
const readmePath = join(root, 'README.md');
const readme = readFileSync(readmePath, 'utf8');
const start = '<!-- gallery:start -->';
const end = '<!-- gallery:end -->';
const i = readme.indexOf(start);
const j = readme.indexOf(end);
if (i >= 0 && j > i) {
  const byFile = new Map();
  for (const e of entries) byFile.set(e.file, [...(byFile.get(e.file) ?? []), e]);
  let body = '\n';
  for (const [file, es] of byFile) {
    body += `**[\`${file}\`](${file})**\n\n`;
    for (const e of es) body += `<img src="docs/images/gallery/${e.name}" width="400" alt="${e.title.replace(/"/g, '&quot;')}">\n`;
    body += '\n';
  }
  writeFileSync(readmePath, readme.slice(0, i + start.length) + body + readme.slice(j));
}
console.log(`gallery: ${entries.length} figures → docs/images/gallery`);
