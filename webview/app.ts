// The preview page: header with overall progress, run list (status, progress bar, message),
// experiment graph, and one card per plot (title, export buttons, clickable legend, figure).
// Pure renderer: every message is validated, state lives in PreviewStore, figures come from
// src/core/figures (the same code the CLI uses).
import type { FromWebview } from '../src/core/wire/protocol';
import type { PlotSpec, ResultsDoc, RunResult } from '../src/core/wire/results';
import { buildFigure, figureBuckets, figureCsv, figureData, groupKey, plotRuns, type FigureData, type FigureOptions, type FigureTheme } from '../src/core/figures';
import { validateToWebview } from '../src/core/wire/webviewMessages';
import { PreviewStore, type WebviewState } from './store';
import { plotThemeSetting, readTheme, type PlotThemeSetting } from './theme';
import { renderGraph } from './graph';
import { resultsJson, serializeSvg, svgToPng } from './exporter';

export interface VsCodeApi {
  postMessage(m: FromWebview): void;
  getState(): unknown;
  setState(s: unknown): void;
}

const h = <K extends keyof HTMLElementTagNameMap>(tag: K, cls?: string, text?: string): HTMLElementTagNameMap[K] => {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text != null) e.textContent = text;
  return e;
};

function button(label: string, title: string, onClick: () => void, cls = 'sg-btn'): HTMLButtonElement {
  const b = h('button', cls, label);
  b.type = 'button';
  b.title = title;
  b.addEventListener('click', onClick);
  return b;
}

function progressBar(fraction: number, label: string, cls = 'sg-progress'): HTMLElement {
  const p = h('div', cls);
  p.setAttribute('role', 'progressbar');
  p.setAttribute('aria-valuemin', '0');
  p.setAttribute('aria-valuemax', '100');
  p.setAttribute('aria-valuenow', String(Math.round(fraction * 100)));
  p.setAttribute('aria-label', label);
  const fill = h('div', 'sg-progress-fill');
  fill.style.width = `${(Math.max(0, Math.min(1, fraction)) * 100).toFixed(1)}%`; // CSSOM: allowed by the CSP
  p.appendChild(fill);
  return p;
}

function runFraction(r: RunResult): number {
  if (r.status === 'done' || r.status === 'diverged' || r.status === 'error' || r.status === 'cancelled') return 1;
  const steps = r.progress?.steps ?? Number(r.params?.steps ?? 0);
  return steps > 0 ? Math.min(1, (r.progress?.step ?? 0) / steps) : 0;
}

export class App {
  readonly store = new PreviewStore();
  private frame = 0;
  private lastWidth = 0;
  private messages: { level: 'info' | 'error'; text: string }[] = [];
  private figures: (SVGSVGElement | null)[] = [];
  private theme: FigureTheme;
  /** the `sgdexp.plot.theme` setting from the initial state ('auto': follow VS Code) */
  private plotTheme: PlotThemeSetting = 'auto';
  /** where the last render spent its time (ms), for scripts/bench-webview.mjs */
  timings: Record<string, number> = {};
  private validateMs = 0;
  private built: { doc: ResultsDoc; plot: PlotSpec; options: FigureOptions; hk: string; sk: string; svg: SVGSVGElement; tipped: boolean }[] = [];
  /** fields of the page's initial state that belong to the extension (uri, locked, …): kept in
   *  every setState, because the panel serializer reads them back after a reload */
  private extra: Record<string, unknown> = {};

  constructor(
    private readonly root: HTMLElement,
    private readonly vscode: VsCodeApi,
    private readonly nonce: string,
  ) {
    this.theme = readTheme(document);
    // VS Code switches the body class (light/dark/high contrast) and rewrites the --vscode-*
    // variables on <html> (also between two themes of the same kind): redraw on either. With a
    // fixed plot theme only the font can change this way.
    const onTheme = () => this.updateTheme();
    const mo = new MutationObserver(onTheme);
    mo.observe(document.body, { attributes: true, attributeFilter: ['class', 'data-vscode-theme-kind'] });
    mo.observe(document.documentElement, { attributes: true, attributeFilter: ['style'] });
    new ResizeObserver(() => {
      const w = this.root.clientWidth;
      if (Math.abs(w - this.lastWidth) >= 2) this.scheduleRender();
    }).observe(this.root);
  }

  private updateTheme(): void {
    const t = readTheme(document, this.plotTheme);
    // a fixed plot theme brings its own background: the figures sit on it (not on the editor's),
    // or dark text would land on a dark editor background; 'auto' figures stay transparent
    if (this.plotTheme === 'auto') this.root.style.removeProperty('--sg-plot-bg');
    else this.root.style.setProperty('--sg-plot-bg', t.background); // CSSOM: allowed by the CSP
    this.root.dataset.plotTheme = this.plotTheme;
    if (JSON.stringify(t) === JSON.stringify(this.theme)) return;
    this.theme = t;
    this.scheduleRender();
  }

  /** Restore a saved or initial state (already parsed JSON, validated here). */
  restore(raw: unknown): boolean {
    if (typeof raw !== 'object' || raw == null) return false;
    const s = raw as WebviewState & Record<string, unknown>;
    for (const [k, v] of Object.entries(s)) if (k !== 'results' && k !== 'status' && k !== 'hidden') this.extra[k] = v;
    // the extension ships the setting in every page load (and reloads the page when it changes)
    this.plotTheme = plotThemeSetting(this.extra.theme);
    this.updateTheme();
    const out: WebviewState = { hidden: Array.isArray(s.hidden) ? s.hidden.filter((x) => typeof x === 'string') : [] };
    if (s.results) {
      const v = validateToWebview({ ...s.results, type: 'results' });
      if (!v.ok) return this.reportError(`saved state: ${v.error}`), false;
      if (v.value.type === 'results') out.results = { ...v.value, staleRuns: Array.isArray(s.results.staleRuns) ? s.results.staleRuns : [] };
    }
    if (s.status) {
      const v = validateToWebview({ ...s.status, type: 'status' });
      if (v.ok && v.value.type === 'status') out.status = v.value;
    }
    this.store.restore(out);
    this.scheduleRender();
    return out.results != null;
  }

  private saveTimer: ReturnType<typeof setTimeout> | null = null;

  /** setState serialises the whole document in VS Code: while runs stream, at most every 0.5 s;
   *  final results, status and legend changes at once. */
  private saveState(soon = false) {
    if (this.saveTimer) clearTimeout(this.saveTimer);
    this.saveTimer = null;
    const save = () => {
      this.saveTimer = null;
      this.vscode.setState({ ...this.extra, ...this.store.snapshot() });
    };
    if (soon) this.saveTimer = setTimeout(save, 500);
    else save();
  }

  private reportError(text: string) {
    this.vscode.postMessage({ type: 'error', text });
  }

  /** Entry point for window 'message' events. */
  handle(data: unknown): void {
    const tv = performance.now();
    const v = validateToWebview(data);
    this.validateMs = performance.now() - tv;
    if (!v.ok) {
      this.reportError(`invalid message ignored: ${v.error}`);
      return;
    }
    const m = v.value;
    if (m.type === 'export') {
      void this.answerExport(m.requestId, m.format);
      return;
    }
    if (m.type === 'message') {
      this.messages = [...this.messages, { level: m.level, text: m.text }].slice(-5);
    } else if (m.type === 'status') {
      if (this.store.applyStatus(m) !== 'applied') return;
    } else {
      const outcome = this.store.applyResults(m);
      if (outcome === 'need-full') this.vscode.postMessage({ type: 'resync' });
      if (outcome !== 'applied') return;
    }
    this.saveState(m.type === 'results' && !m.final);
    this.scheduleRender();
  }

  scheduleRender(): void {
    if (this.frame) return;
    // at most one render per frame: streaming messages arrive faster than frames
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.render();
    });
  }

  /** Draws now what a scheduled frame would draw: an export request right behind a results
   *  message (Export Figures waits for the final document, then asks) must serialize the figures
   *  of that document, not the ones still on screen from the previous message. */
  private flush(): void {
    if (!this.frame) return;
    cancelAnimationFrame(this.frame);
    this.frame = 0;
    this.render();
  }

  render(): void {
    const t0 = performance.now();
    const focusKey = (document.activeElement as HTMLElement | null)?.dataset?.focus;
    this.lastWidth = this.root.clientWidth;
    const doc = this.store.doc;
    this.root.replaceChildren();
    this.root.appendChild(this.header(doc));
    if (this.messages.length) {
      const box = h('div', 'sg-messages');
      for (const m of this.messages) box.appendChild(h('div', `sg-msg sg-msg-${m.level}`, m.text));
      this.root.appendChild(box);
    }
    if (!doc) {
      this.root.appendChild(h('p', 'sg-empty', 'Waiting for results… Save the .sgdexp file or run “sgdexp: Run Now”.'));
      this.figures = [];
      this.vscode.postMessage({ type: 'rendered', revision: Math.max(0, this.store.revision), plots: 0, ms: performance.now() - t0 });
      return;
    }
    const top = h('div', 'sg-top');
    top.appendChild(this.runsPanel(doc));
    if (this.store.status?.nodes.length) top.appendChild(this.graphPanel());
    this.root.appendChild(top);
    const plots = h('div', 'sg-plots');
    this.root.appendChild(plots);
    const cards = doc.plots.map((p, i) => {
      const card = this.card(doc, p, i);
      plots.appendChild(card.el);
      return card;
    });
    const stale = this.store.staleRuns();
    const hidden = [...this.store.hidden];
    // Read every width first (one layout), build all figures detached, then attach them all:
    // interleaving reads and inserts would force a layout per plot.
    const t1 = performance.now();
    const widths = cards.map(({ holder }) => holder.clientWidth || 600);
    const t2 = performance.now();
    const built = this.built;
    this.built = [];
    this.figures = cards.map((card, i) => {
      try {
        const plot = doc.plots[i]!;
        // only the hidden/stale keys this plot draws decide whether it must be redrawn
        const mine = new Set<string>();
        for (const k of plotRuns(doc, plot)) {
          mine.add(k);
          mine.add(groupKey(k, doc.runs[k]!));
          mine.add(groupKey(k, doc.runs[k]!, [plot.x]));
        }
        const hk = hidden.filter((k) => mine.has(k)).join('\u0000');
        const sk = stale.filter((k) => mine.has(k)).join('\u0000');
        // A figure whose inputs did not change (a status message, a run-list update, another
        // plot's legend click) is reused as it is, tips included.
        const prev = built[i];
        if (prev && prev.doc === doc && prev.plot === plot && prev.options.width === widths[i] && prev.options.theme === this.theme && prev.hk === hk && prev.sk === sk && prev.svg) {
          this.fillLegend(card.legend, prev.options.data!, i);
          this.built[i] = prev;
          if (!prev.tipped) card.holder.addEventListener('pointerenter', () => this.enableTips(i, doc), { once: true });
          return prev.svg;
        }
        // the rows once, at the figure's resolution (as buildFigure would compute them), for
        // both the legend and the figure
        const data = figureData(doc, plot, { hidden, stale, buckets: figureBuckets(widths[i]!) });
        this.fillLegend(card.legend, data, i);
        // Tips are added when the pointer first enters a figure: Plot's pointer/tip machinery is
        // about half of a figure's cost, and most renders (streaming) are never hovered.
        const options: FigureOptions = { document, width: widths[i]!, theme: this.theme, hidden, stale, legend: false, title: false, notes: true, className: 'sg-plot', data, tips: false };
        card.holder.addEventListener('pointerenter', () => this.enableTips(i, doc), { once: true });
        const svg = this.nonced(buildFigure(doc, plot, options));
        this.built[i] = { doc, plot, options, hk, sk, svg, tipped: false };
        return svg;
      } catch (e) {
        cards[i]!.holder.appendChild(h('div', 'sg-msg sg-msg-error', `could not draw this plot: ${(e as Error).message}`));
        this.reportError(`plot ${i}: ${(e as Error).message}`);
        return null;
      }
    });
    const t3 = performance.now();
    this.figures.forEach((svg, i) => svg && cards[i]!.holder.appendChild(svg));
    this.timings = { validate: this.validateMs, chrome: t1 - t0, layout: t2 - t1, figures: t3 - t2, attach: performance.now() - t3 };
    this.announce(doc);
    if (focusKey) (this.root.querySelector(`[data-focus="${CSS.escape(focusKey)}"]`) as HTMLElement | null)?.focus();
    this.vscode.postMessage({ type: 'rendered', revision: this.store.revision, plots: this.figures.filter(Boolean).length, ms: performance.now() - t0 });
  }

  /** One short line for screen readers when the state changes (the page itself is not live:
   *  it is rebuilt on every streamed message). */
  private announce(doc: ResultsDoc): void {
    const live = document.getElementById('sg-live');
    if (!live) return;
    const failed = Object.values(doc.runs).filter((r) => r.status === 'diverged' || r.status === 'error').length;
    const text = `${doc.file.split(/[\\/]/).pop()}: revision ${this.store.shown} ${this.store.final ? 'done' : 'running'}${failed ? `, ${failed} run${failed > 1 ? 's' : ''} failed` : ''}`;
    if (live.textContent !== text) live.textContent = text;
  }

  private header(doc: ResultsDoc | null): HTMLElement {
    const head = h('header', 'sg-header');
    const title = h('div', 'sg-title');
    title.appendChild(h('h1', undefined, doc ? doc.file.split(/[\\/]/).pop()! : 'sgdexp preview'));
    const st = this.store;
    if (doc) {
      const stale = st.staleRuns().length;
      const state = st.final ? (stale ? 'done' : 'up to date') : 'running';
      const badge = h('span', `sg-badge sg-badge-${st.final ? 'done' : 'running'}`, `revision ${st.shown} · ${state}`);
      badge.title = `revision ${st.shown} shown here (the server's revision ${st.revision})`;
      title.appendChild(badge);
      if (stale) title.appendChild(h('span', 'sg-badge sg-badge-stale', `${stale} stale`));
    }
    head.appendChild(title);
    const tools = h('div', 'sg-tools');
    const prog = st.progress();
    if (doc && prog.total > 0) tools.appendChild(progressBar(prog.done / prog.total, 'overall progress', 'sg-progress sg-progress-overall'));
    if (prog.running > 0) {
      const c = button('Cancel', 'Cancel the runs in flight', () => this.vscode.postMessage({ type: 'cancel' }));
      c.dataset.focus = 'cancel';
      tools.appendChild(c);
    }
    if (doc) {
      const j = button('JSON', 'Export all results as JSON', () => this.exportPlot('json', null));
      j.dataset.focus = 'json-all';
      tools.appendChild(j);
    }
    head.appendChild(tools);
    return head;
  }

  private runsPanel(doc: ResultsDoc): HTMLElement {
    const det = h('details', 'sg-runs');
    const keys = Object.keys(doc.runs);
    det.open = keys.length <= 12;
    det.appendChild(h('summary', undefined, `Runs (${keys.length})`));
    const list = h('ul', 'sg-run-list');
    const stale = new Set(this.store.staleRuns());
    for (const k of keys) {
      const r = doc.runs[k]!;
      const li = h('li', `sg-run sg-run-${stale.has(k) ? 'stale' : r.status}`);
      li.dataset.run = k;
      li.appendChild(h('span', 'sg-run-name', k));
      const status = stale.has(k) ? 'stale' : r.status;
      const frac = runFraction(r);
      li.appendChild(h('span', `sg-badge sg-badge-${status}`, status === 'running' ? `running ${Math.round(frac * 100)}%` : status));
      li.appendChild(progressBar(frac, `${k} progress`));
      if (r.message) li.appendChild(h('span', 'sg-run-message', r.message));
      for (const n of r.notes ?? []) li.appendChild(h('span', 'sg-run-note', n));
      list.appendChild(li);
    }
    det.appendChild(list);
    return det;
  }

  private graphPanel(): HTMLElement {
    const det = h('details', 'sg-graph-view');
    det.open = true;
    const nodes = this.store.status!.nodes;
    const counts = new Map<string, number>();
    for (const n of nodes) counts.set(n.state, (counts.get(n.state) ?? 0) + 1);
    det.appendChild(h('summary', undefined, `Graph · ${[...counts].map(([s, c]) => `${c} ${s}`).join(', ')}`));
    const wrap = h('div', 'sg-graph-wrap');
    wrap.appendChild(renderGraph(document, nodes));
    det.appendChild(wrap);
    return det;
  }

  private card(doc: ResultsDoc, plot: PlotSpec, i: number): { el: HTMLElement; holder: HTMLElement; legend: HTMLElement } {
    const el = h('section', 'sg-card');
    el.dataset.plot = String(i);
    const head = h('header', 'sg-card-head');
    head.appendChild(h('h2', undefined, plot.title));
    const tools = h('div', 'sg-card-tools');
    for (const f of ['svg', 'png', 'csv', 'json'] as const) {
      const b = button(f.toUpperCase(), `Export this plot as ${f.toUpperCase()}`, () => this.exportPlot(f, i), 'sg-btn sg-btn-small');
      b.dataset.export = f;
      b.dataset.focus = `export-${f}-${i}`;
      tools.appendChild(b);
    }
    head.appendChild(tools);
    el.appendChild(head);
    const legend = h('div', 'sg-legend');
    el.appendChild(legend);
    const holder = h('div', 'sg-figure');
    el.appendChild(holder);
    if (!plotRuns(doc, plot).length) {
      const text = this.store.final ? `no runs match ${plot.runs.join(', ')}` : `waiting for ${plot.runs.join(', ')}…`;
      holder.appendChild(h('div', 'sg-msg sg-msg-info', text));
    }
    return { el, holder, legend };
  }

  /** One toggle per drawn run (or seed group), in the figure's colour for it. */
  private fillLegend(legend: HTMLElement, data: FigureData, i: number): void {
    legend.setAttribute('role', 'group');
    legend.setAttribute('aria-label', 'runs (click to show or hide)');
    data.runs.forEach((k, j) => {
      const on = !this.store.hidden.has(k);
      const b = button('', on ? `Hide ${k}` : `Show ${k}`, () => {
        this.store.toggle(k);
        this.saveState();
        this.scheduleRender();
      }, `sg-legend-item${on ? '' : ' sg-off'}`);
      b.dataset.run = k;
      b.dataset.focus = `legend-${i}-${k}`;
      b.setAttribute('aria-pressed', String(on));
      const sw = h('span', 'sg-swatch');
      sw.style.background = this.theme.palette[j % this.theme.palette.length]!;
      b.append(sw, document.createTextNode(k));
      legend.appendChild(b);
    });
    if (data.kind === 'series' && data.rows.some((r) => r.metric === 'test_loss')) legend.appendChild(h('span', 'sg-legend-note', '┅ test loss'));
    if (data.kind === 'series' && data.theory.length) legend.appendChild(h('span', 'sg-legend-note', '╌ theory (Thm 4.2)'));
    if (data.kind === 'final' && data.summary.some((s) => s.n > 1)) legend.appendChild(h('span', 'sg-legend-note', '┃ min–max over seeds'));
    if (data.kind === 'final' && data.rows.some((r) => r.status === 'diverged' || r.status === 'error')) legend.appendChild(h('span', 'sg-legend-note', '✕ diverged (last finite value, not in the mean)'));
  }

  /** Export Figures (extension command): every drawn plot, one answer each, same requestId. */
  async answerExport(requestId: number, format: 'svg' | 'png'): Promise<void> {
    this.flush();
    const doc = this.store.doc;
    const drawn = this.figures.map((svg, i) => ({ svg, i })).filter((f): f is { svg: SVGSVGElement; i: number } => f.svg != null);
    if (!doc || !drawn.length) {
      this.vscode.postMessage({ type: 'export', format, plotIndex: null, requestId, total: 0 });
      return;
    }
    for (const { svg, i } of drawn) {
      try {
        let data = serializeSvg(svg);
        if (format === 'png') data = await svgToPng(data, Number(svg.getAttribute('width')), Number(svg.getAttribute('height')), this.theme.background);
        this.vscode.postMessage({ type: 'export', format, plotIndex: i, data, requestId, total: drawn.length, title: doc.plots[i]!.title });
      } catch (e) {
        this.reportError(`export ${format} of plot ${i}: ${(e as Error).message}`);
      }
    }
  }

  /** Plot adds <style> elements without a nonce; give them ours before they enter the document
   *  so the strict style-src of webviewHtml.ts admits them. */
  private nonced(svg: SVGSVGElement): SVGSVGElement {
    for (const s of Array.from(svg.querySelectorAll('style'))) s.setAttribute('nonce', this.nonce);
    return svg;
  }

  /** Redraw figure i with pointer tips (same rows, same size) when the pointer first enters it. */
  private enableTips(i: number, doc: ResultsDoc): void {
    const b = this.built[i];
    const old = this.figures[i];
    if (!b || !old || b.tipped || b.doc !== doc || this.store.doc !== doc || !old.isConnected) return;
    try {
      const svg = this.nonced(buildFigure(b.doc, b.plot, { ...b.options, tips: true }));
      old.replaceWith(svg);
      this.figures[i] = svg;
      b.svg = svg;
      b.tipped = true;
    } catch (e) {
      this.reportError(`tips of plot ${i}: ${(e as Error).message}`);
    }
  }

  async exportPlot(format: 'svg' | 'png' | 'csv' | 'json', plotIndex: number | null): Promise<void> {
    const doc = this.store.doc;
    if (!doc) return;
    try {
      let data: string;
      if (format === 'json') {
        if (plotIndex == null) data = resultsJson(doc);
        else {
          const plot = doc.plots[plotIndex]!;
          const runs = Object.fromEntries(plotRuns(doc, plot).map((k) => [k, doc.runs[k]]));
          data = resultsJson({ ...doc, runs, plots: [plot] });
        }
      } else if (format === 'csv') {
        data = figureCsv(doc, doc.plots[plotIndex ?? 0]!, { hidden: this.store.hidden, stale: this.store.staleRuns() });
      } else {
        const svg = this.figures[plotIndex ?? 0];
        if (!svg) throw new Error('this plot has not been drawn');
        data = serializeSvg(svg);
        if (format === 'png') {
          data = await svgToPng(data, Number(svg.getAttribute('width')), Number(svg.getAttribute('height')), this.theme.background);
        }
      }
      this.vscode.postMessage({ type: 'export', format, plotIndex, data });
    } catch (e) {
      this.reportError(`export ${format}: ${(e as Error).message}`);
    }
  }
}
