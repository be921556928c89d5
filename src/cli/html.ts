// The HTML report of one experiment file: every figure (inline SVG, the same figures as the
// preview), a table of the runs with their status, and links to the JSON and CSV.
// Self-contained: no scripts, no external resources, so it opens from a CI artifact.
import { sep } from 'node:path';
import type { ResultsDoc } from '../core/wire/results';

export interface ReportFigure {
  title: string;
  svg: string;
}

/** `source`: the experiment's text, shown escaped at the end of the report (null: not at hand). */
export function toHtml(doc: ResultsDoc, figures: readonly ReportFigure[], links: { json?: string; csv?: string } = {}, source: string | null = null): string {
  const rows = Object.entries(doc.runs)
    .map(([k, r]) => {
      const params = Object.entries(r.params ?? {})
        .map(([p, v]) => `${p}=${v}`)
        .join(', ');
      const last = r.step?.length ? r.step[r.step.length - 1] : '';
      return `<tr class="${esc(r.status)}"><td><code>${esc(k)}</code></td><td>${esc(r.model ?? '')}</td><td>${esc(
        r.optimizer ?? '',
      )}</td><td>${esc(params)}</td><td>${esc(r.status)}</td><td>${last}</td><td>${esc(r.message ?? '')}</td></tr>`;
    })
    .join('\n');
  const figs = figures
    // the figures draw their own titles; the attribute keeps them findable
    .map((f) => `<figure title="${esc(f.title)}">\n${f.svg}\n</figure>`)
    .join('\n');
  const claims = (doc.claims ?? [])
    .map((c) => `<li class="${esc(c.status)}">${c.status === 'held' ? '✓' : '✗'} line ${c.line}: <code>${esc(c.text)}</code> — ${esc(c.status === 'held' ? c.summary : (c.message ?? c.summary))}</li>`)
    .join('\n');
  const linkHtml = [links.json && `<a href="${esc(hrefOf(links.json))}">results (JSON)</a>`, links.csv && `<a href="${esc(hrefOf(links.csv))}">series (CSV)</a>`]
    .filter(Boolean)
    .join(' · ');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>${esc(doc.file)} — sgdexp</title>
<style>
body { font-family: "DejaVu Sans", system-ui, sans-serif; margin: 2em auto; max-width: 1000px; color: #222; }
h1 { font-size: 1.3em; } figure { margin: 1.5em 0; } figcaption { font-weight: bold; margin-bottom: .4em; }
table { border-collapse: collapse; font-size: .85em; } td, th { border-bottom: 1px solid #ddd; padding: .25em .6em; text-align: left; }
tr.diverged td, tr.error td, li.failed, li.error { color: #a00; } li.held { color: #060; } svg { max-width: 100%; height: auto; }
pre.source { background: #f6f6f6; padding: .8em; overflow-x: auto; font-size: .85em; }
</style></head><body>
<h1>${esc(doc.file)}</h1>
<p>seed ${doc.seed} · ${Object.keys(doc.runs).length} runs · ${doc.plots.length} plots${linkHtml ? ' · ' + linkHtml : ''}</p>
${claims ? `<h2>Claims</h2>\n<ul class="claims">\n${claims}\n</ul>\n` : ''}${figs}
<h2>Runs</h2>
<table><thead><tr><th>run</th><th>model</th><th>optimizer</th><th>parameters</th><th>status</th><th>last step</th><th>message</th></tr></thead>
<tbody>
${rows}
</tbody></table>
${source != null ? `<h2>Source</h2>\n<pre class="source"><code>${esc(source)}</code></pre>\n` : ''}</body></html>
`;
}

/**
 * A relative file path (OS separators) as a link that can only name that file: every segment
 * percent-encoded (a `:` in `javascript:alert(1).sgdexp` cannot start a scheme, a `#` or `?`
 * cannot end the path) and `./` in front (the first segment is never read as a scheme or host).
 */
export function hrefOf(path: string): string {
  return './' + path.split(sep).map(encodeURIComponent).join('/');
}

/** The index page of a multi-file run: one link per report (paths relative to the index). */
export function indexHtml(entries: readonly { file: string; href: string; status: string }[]): string {
  const items = entries.map((e) => `<li><a href="${esc(hrefOf(e.href))}">${esc(e.file)}</a> — ${esc(e.status)}</li>`).join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>sgdexp reports</title>
<style>body { font-family: "DejaVu Sans", system-ui, sans-serif; margin: 2em auto; max-width: 800px; }</style></head>
<body><h1>sgdexp reports</h1><ul>
${items}
</ul></body></html>
`;
}

export function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
