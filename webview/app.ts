// The preview page: header with overall progress, run list (status, progress bar, message),
// experiment graph, and one card per plot (title, export buttons, clickable legend, figure).
// Pure renderer: every message is validated, state lives in PreviewStore, figures come from
// src/core/figures (the same code the CLI uses).
import type { FromWebview, NodeStatus } from '../src/core/wire/protocol';
import { revisionWords } from '../src/core/wire/protocol';
import type { ClaimResult, PlotSpec, ResultsDoc, RunResult } from '../src/core/wire/results';
import { buildFigure, paperFigure, PRINT_THEME, figureBuckets, figureColors, figureCsv, figureData, groupKey, metricLabel, plotRuns, DRAWN_ALONGSIDE, type FigureData, type FigureOptions, type FigureTheme } from '../src/core/figures';
import { validateToWebview } from '../src/core/wire/webviewMessages';
import { PreviewStore, type WebviewState } from './store';
import { plotThemeSetting, readTheme, type PlotThemeSetting } from './theme';
import { renderGraph } from './graph';
import { resultsJson, serializeSvg, svgToPng } from './exporter';
import { Navigator } from './navigate';
import { button, h, progressBar, setAttr, setClass, setText, show, syncChildren, type ProgressBar } from './dom';
import { ResultsTable } from './resultsTable';
import { FigureTools } from './figureTools';

export interface VsCodeApi {
  postMessage(m: FromWebview): void;
  getState(): unknown;
  setState(s: unknown): void;
}

function runFraction(r: RunResult): number {
  if (r.status === 'done' || r.status === 'diverged' || r.status === 'error' || r.status === 'cancelled') return 1;
  const steps = r.progress?.steps ?? Number(r.params?.steps ?? 0);
  return steps > 0 ? Math.min(1, (r.progress?.step ?? 0) / steps) : 0;
}

/** The page's fixed parts, made once (see dom.ts: updates change text and attributes only). */
interface Chrome {
  header: HTMLElement;
  title: HTMLElement;
  h1: HTMLElement;
  state: HTMLElement;
  stale: HTMLElement;
  detail: HTMLElement;
  tools: HTMLElement;
  overall: ProgressBar;
  cancel: HTMLButtonElement;
  json: HTMLButtonElement;
  messages: HTMLElement;
  empty: HTMLElement;
  top: HTMLElement;
  runs: HTMLDetailsElement;
  runsSummary: HTMLElement;
  runList: HTMLElement;
  claims: HTMLDetailsElement;
  claimsSummary: HTMLElement;
  claimList: HTMLElement;
  graph: HTMLDetailsElement;
  graphSummary: HTMLElement;
  graphWrap: HTMLElement;
  plots: HTMLElement;
}

interface ClaimItem {
  li: HTMLElement;
  line: HTMLElement;
  mark: HTMLElement;
  summary: HTMLElement;
}

const CLAIM_MARK: Record<ClaimResult['status'], string> = { held: '✓', failed: '✗', error: '⚠' };

interface RunItem {
  li: HTMLElement;
  name: HTMLElement;
  badge: HTMLElement;
  bar: ProgressBar;
  message: HTMLElement;
  notes: HTMLElement[];
}

/** A plot before its first results: what it waits for, and how far that is. */
interface PendingCard {
  el: HTMLElement;
  title: HTMLElement;
  text: HTMLElement;
  bar: ProgressBar;
}

const busy = (s: string) => s === 'queued' || s === 'running';

/** "gd: cached · ln: running 40%", and the deps' overall fraction done */
function depsProgress(deps: NodeStatus[]): { text: string; fraction: number | null } {
  let done = 0, total = 0;
  const parts = deps.map((d) => {
    const p = d.progress && d.progress.steps > 0 ? d.progress : null;
    if (p) { done += Math.min(p.step, p.steps); total += p.steps; }
    return `${d.id}: ${d.state}${p && d.state === 'running' ? ` ${Math.round((100 * p.step) / p.steps)}%` : ''}`;
  });
  return { text: parts.join(' · '), fraction: total > 0 ? done / total : null };
}

interface Card {
  el: HTMLElement;
  title: HTMLElement;
  /** "re-running 40%" while a revision in flight will change this plot */
  badge: HTMLElement;
  /** the view's buttons (figureTools.ts): y scale, small multiples, reset zoom */
  view: HTMLElement;
  tools: HTMLElement;
  legend: HTMLElement;
  legendItems: Map<string, HTMLButtonElement>;
  holder: HTMLElement;
  /** what the holder shows now: a figure, or a message */
  shown: Element | null;
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
  /** spec: the document's plot; plot: as drawn (the user's view applied); vk: that view's key */
  private built: { doc: ResultsDoc; spec: PlotSpec; plot: PlotSpec; options: FigureOptions; hk: string; sk: string; vk: string; svg: SVGSVGElement; tipped: boolean }[] = [];
  /** fields of the page's initial state that belong to the extension (uri, locked, …): kept in
   *  every setState, because the panel serializer reads them back after a reload */
  private extra: Record<string, unknown> = {};
  /** reveal clicks and the editor cursor's highlights (navigate.ts) */
  private readonly nav: Navigator;
  /** comparison tools: the view state (zoom, y scale, facets, pin; saved as `view`) and the results table */
  private readonly tools = new FigureTools(undefined, () => this.saveState(), () => this.scheduleRender(), () => ({ revision: this.store.revision, shown: this.store.shown }));
  private readonly table = new ResultsTable(null, () => {
    this.tools.view.sort = this.table.sort;
    this.saveState();
  });

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
    this.nav = new Navigator(root, {
      sources: () => ({ doc: this.store.doc, nodes: this.store.status?.nodes, uri: this.store.uri }),
      post: (m) => this.vscode.postMessage(m),
      flush: () => this.flush(),
    });
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
    for (const [k, v] of Object.entries(s)) if (k !== 'results' && k !== 'status' && k !== 'hidden' && k !== 'view') this.extra[k] = v;
    // the extension's initial state carries no view: the saved one stands
    if ('view' in s) {
      this.tools.restore(s.view);
      this.table.sort = this.tools.view.sort;
    }
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
      this.vscode.setState({ ...this.extra, ...this.store.snapshot(), view: this.tools.view });
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
      void this.answerExport(m.requestId, m.format, m.theme ?? 'print');
      return;
    }
    if (m.type === 'highlight') return this.nav.highlight(m);
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

  private chrome: Chrome | null = null;
  private runItems = new Map<string, RunItem>();
  private cards: Card[] = [];
  private pending = new Map<string, PendingCard>();

  /** The fixed parts of the page, made on the first render and only updated afterwards. */
  private skeleton(): Chrome {
    if (this.chrome) return this.chrome;
    const header = h('header', 'sg-header');
    const title = h('div', 'sg-title');
    const h1 = h('h1', undefined, 'sgdexp preview');
    const state = h('span', 'sg-badge sg-badge-state');
    const stale = h('span', 'sg-badge sg-badge-stale');
    const detail = h('div', 'sg-header-detail');
    const tools = h('div', 'sg-tools');
    const overall = progressBar('sg-progress sg-progress-overall');
    const cancel = button('Cancel', 'Cancel the runs in flight', () => this.vscode.postMessage({ type: 'cancel' }));
    cancel.dataset.focus = 'cancel';
    const json = button('JSON', 'Export all results as JSON', () => this.exportPlot('json', null));
    json.dataset.focus = 'json-all';
    tools.append(overall.el, this.tools.pin, cancel, json);
    header.append(title, tools);
    const runs = h('details', 'sg-runs');
    const runsSummary = h('summary');
    const runList = h('ul', 'sg-run-list');
    runs.append(runsSummary, runList);
    const claims = h('details', 'sg-claims');
    claims.open = true;
    const claimsSummary = h('summary');
    const claimList = h('ul', 'sg-claim-list');
    claims.append(claimsSummary, claimList);
    const graph = h('details', 'sg-graph-view');
    graph.open = true;
    const graphSummary = h('summary');
    const graphWrap = h('div', 'sg-graph-wrap');
    graph.append(graphSummary, graphWrap);
    const top = h('div', 'sg-top');
    this.chrome = {
      header, title, h1, state, stale, detail, tools, overall, cancel, json,
      messages: h('div', 'sg-messages'),
      empty: h('p', 'sg-empty', 'Waiting for results… Save the .sgdexp file or run “sgdexp: Run Now”.'),
      top, runs, runsSummary, runList, claims, claimsSummary, claimList, graph, graphSummary, graphWrap,
      plots: h('div', 'sg-plots'),
    };
    return this.chrome;
  }

  render(): void {
    const t0 = performance.now();
    this.lastWidth = this.root.clientWidth;
    const doc = this.store.doc;
    const c = this.skeleton();
    this.updateHeader(doc);
    syncChildren(c.messages, this.messages.map((m) => h('div', `sg-msg sg-msg-${m.level}`, m.text)));
    const status = this.store.status;
    const parts: Node[] = [c.header];
    if (this.messages.length) parts.push(c.messages);
    if (!doc) {
      // first open: a card per plot of the status, with what it waits for, instead of nothing
      const plotNodes = status?.nodes.filter((n) => n.kind === 'plot') ?? [];
      if (plotNodes.length) {
        syncChildren(c.plots, plotNodes.map((n) => this.pendingCard(n, status!.nodes)));
        parts.push(c.plots);
      } else parts.push(c.empty);
      syncChildren(this.root, parts);
      this.figures = [];
      this.vscode.postMessage({ type: 'rendered', revision: Math.max(0, this.store.revision), plots: 0, ms: performance.now() - t0 });
      return;
    }
    const topParts: Node[] = [this.runsPanel(doc), this.table.update(doc, new Set(this.store.staleRuns()), this.store.wallMs)];
    const claims = this.claimsPanel(doc);
    if (claims) topParts.push(claims);
    if (status?.nodes.length) topParts.push(this.graphPanel());
    syncChildren(c.top, topParts);
    parts.push(c.top, c.plots);
    syncChildren(this.root, parts);
    this.pending.clear();
    while (this.cards.length > doc.plots.length) this.cards.pop();
    this.tools.trim(doc.plots.length);
    const cards = doc.plots.map((p, i) => this.card(doc, p, i));
    syncChildren(c.plots, cards.map((k) => k.el));
    const stale = this.store.staleRuns();
    const labels = this.store.labels;
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
        const sk = stale.filter((k) => mine.has(k)).map((k) => `${k}\u0001${labels.get(k) ?? ''}`).join('\u0000');
        // A figure whose inputs did not change (a status message, a run-list update, another
        // plot's legend click) is reused as it is, tips included.
        const prev = built[i];
        const vk = this.tools.key(plot);
        if (prev && prev.doc === doc && prev.spec === plot && prev.options.width === widths[i] && prev.options.theme === this.theme && prev.hk === hk && prev.sk === sk && prev.vk === vk && prev.svg) {
          this.fillLegend(card, prev.options.data!, i);
          this.tools.reused(i);
          this.built[i] = prev;
          return prev.svg;
        }
        // the rows once, at the figure's resolution (as buildFigure would compute them), for
        // both the legend and the figure; as the user views it (figureTools.ts: zoom, y scale,
        // pinned ghosts, facets).
        // Tips are added when the pointer first enters a figure: Plot's pointer/tip machinery is
        // about half of a figure's cost, and most renders (streaming) are never hovered.
        const f = this.tools.figure(doc, plot, i, widths[i]!, { document, theme: this.theme, hidden, stale, labels, legend: false, title: false, notes: true, className: 'sg-plot', tips: false });
        const options = f.options;
        this.fillLegend(card, options.data!, i);
        const svg = this.nonced(buildFigure(doc, f.plot, options));
        this.built[i] = { doc, spec: plot, plot: f.plot, options, hk, sk, vk, svg, tipped: false };
        return svg;
      } catch (e) {
        this.showInHolder(card, h('div', 'sg-msg sg-msg-error', `could not draw this plot: ${(e as Error).message}`));
        this.reportError(`plot ${i}: ${(e as Error).message}`);
        return null;
      }
    });
    const t3 = performance.now();
    this.figures.forEach((svg, i) => {
      const card = cards[i]!;
      if (svg) this.showInHolder(card, svg);
      else if (!card.shown?.classList.contains('sg-msg-error')) this.showInHolder(card, null);
    });
    this.timings = { validate: this.validateMs, chrome: t1 - t0, layout: t2 - t1, figures: t3 - t2, attach: performance.now() - t3 };
    this.announce(doc);
    this.vscode.postMessage({ type: 'rendered', revision: this.store.revision, plots: this.figures.filter(Boolean).length, ms: performance.now() - t0 });
  }

  /** The figure (or message) of a card: replaced only when it is another element. */
  private showInHolder(card: Card, e: Element | null): void {
    if (card.shown === e) return;
    card.shown = e;
    syncChildren(card.holder, [...card.holder.querySelectorAll(':scope > .sg-msg-info'), ...(e ? [e] : [])]);
  }

  /** One short line for screen readers when the state changes (the page itself is not live:
   *  it changes on every streamed message). */
  private announce(doc: ResultsDoc): void {
    const live = document.getElementById('sg-live');
    if (!live) return;
    const failed = Object.values(doc.runs).filter((r) => r.status === 'diverged' || r.status === 'error').length;
    const text = `${doc.file.split(/[\\/]/).pop()}: results ${revisionWords(this.store.shown)} ${this.store.final ? 'done' : 'running'}${failed ? `, ${failed} run${failed > 1 ? 's' : ''} failed` : ''}`;
    if (live.textContent !== text) live.textContent = text;
  }

  private updateHeader(doc: ResultsDoc | null): void {
    const c = this.chrome!;
    const st = this.store;
    setText(c.h1, doc ? doc.file.split(/[\\/]/).pop()! : 'sgdexp preview');
    const titleParts: Node[] = [c.h1];
    let detail: string | null = null;
    if (doc) {
      const stale = st.staleRuns().length;
      const line = st.headline();
      detail = line.detail;
      const cls = { 'up to date': 'done', running: 'running', queued: 'queued', stale: 'stale', cancelled: 'cancelled', error: 'error' }[line.state];
      setText(c.state, `${line.state} · ${revisionWords(st.shown)}`);
      setClass(c.state, `sg-badge sg-badge-state sg-badge-${cls}`);
      c.state.title = `revision ${st.shown} shown here (the server's revision ${st.revision})`;
      titleParts.push(c.state);
      if (stale) {
        setText(c.stale, `${stale} stale`);
        titleParts.push(c.stale);
      }
    }
    if (detail) {
      setText(c.detail, detail);
      titleParts.push(c.detail);
    }
    syncChildren(c.title, titleParts);
    const prog = st.progress();
    // a full bar with nothing in flight says nothing: shown only while runs are
    show(c.overall.el, !!doc && prog.total > 0 && prog.running > 0);
    if (prog.total > 0) c.overall.set(prog.done / prog.total, 'overall progress');
    show(c.cancel, prog.running > 0);
    show(c.json, !!doc);
    this.tools.updatePin(!!doc);
  }

  private runsPanel(doc: ResultsDoc): HTMLElement {
    const c = this.chrome!;
    const keys = Object.keys(doc.runs);
    // open by default when the list is short; after that the user's choice stands
    if (!c.runs.dataset.init) {
      c.runs.dataset.init = '1';
      c.runs.open = keys.length <= 12;
    }
    setText(c.runsSummary, `Runs (${keys.length})`);
    const stale = new Set(this.store.staleRuns());
    const items: HTMLElement[] = [];
    for (const k of keys) {
      const r = doc.runs[k]!;
      let it = this.runItems.get(k);
      if (!it) {
        const li = h('li');
        li.dataset.run = k;
        it = { li, name: h('span', 'sg-run-name', k), badge: h('span'), bar: progressBar(), message: h('span', 'sg-run-message'), notes: [] };
        this.runItems.set(k, it);
      }
      const status = stale.has(k) ? 'stale' : r.status;
      setClass(it.li, `sg-run sg-run-${status}`);
      const frac = runFraction(r);
      setClass(it.badge, `sg-badge sg-badge-${status}`);
      setText(it.badge, status === 'running' ? `running ${Math.round(frac * 100)}%` : status);
      it.bar.set(frac, `${k} progress`);
      // a cancelled run's message is often just "cancelled": the badge says it already
      const message = r.message && r.message !== status ? r.message : '';
      setText(it.message, message);
      const notes = r.notes ?? [];
      if (it.notes.length !== notes.length || it.notes.some((n, i) => n.textContent !== notes[i])) it.notes = notes.map((n) => h('span', 'sg-run-note', n));
      // a finished run's full bar is idle: the bar shows progress only where some was made or is missing
      syncChildren(it.li, [it.name, it.badge, ...(status === 'done' ? [] : [it.bar.el]), ...(message ? [it.message] : []), ...it.notes]);
      items.push(it.li);
    }
    for (const k of [...this.runItems.keys()]) if (!(k in doc.runs)) this.runItems.delete(k);
    syncChildren(c.runList, items);
    return c.runs;
  }

  private claimItems = new Map<string, ClaimItem>();
  /** the verdicts of the last final document: streamed documents carry none, and the previous
   *  verdicts stand (marked as such) while the next revision computes */
  private lastClaims: { revision: number; claims: ClaimResult[] } | null = null;

  /** Each claim of the file: its line, ✓ / ✗ and the measured values (null: the file has none). */
  private claimsPanel(doc: ResultsDoc): HTMLElement | null {
    const c = this.chrome!;
    if (this.store.final) this.lastClaims = doc.claims?.length ? { revision: this.store.shown, claims: doc.claims } : null;
    const last = this.lastClaims;
    if (!last) {
      this.claimItems.clear();
      return null;
    }
    const held = last.claims.filter((x) => x.status === 'held').length;
    const older = last.revision !== this.store.shown ? ` · from revision ${last.revision}` : '';
    setText(c.claimsSummary, `Claims · ${held} of ${last.claims.length} hold${older}`);
    setClass(c.claims, `sg-claims${held < last.claims.length ? ' sg-claims-failing' : ''}`);
    const items: HTMLElement[] = [];
    const seen = new Set<string>();
    for (const cl of last.claims) {
      // keyed by what the claim says, so an item stays the same element across revisions
      let key = `${cl.line}\u0000${cl.text}`;
      while (seen.has(key)) key += '\u0000';
      seen.add(key);
      let it = this.claimItems.get(key);
      if (!it) {
        const li = h('li');
        it = { li, line: h('span', 'sg-claim-line'), mark: h('span', 'sg-claim-mark'), summary: h('span', 'sg-claim-summary') };
        li.append(it.line, it.mark, it.summary);
        this.claimItems.set(key, it);
      }
      setClass(it.li, `sg-claim sg-claim-${cl.status}`);
      it.li.dataset.line = String(cl.line);
      setText(it.line, `line ${cl.line}`);
      setText(it.mark, CLAIM_MARK[cl.status]);
      setAttr(it.mark, 'aria-label', cl.status);
      setText(it.summary, cl.summary);
      setAttr(it.li, 'title', cl.message ?? `expect ${cl.text}`);
      items.push(it.li);
    }
    for (const k of [...this.claimItems.keys()]) if (!seen.has(k)) this.claimItems.delete(k);
    syncChildren(c.claimList, items);
    return c.claims;
  }

  private graphPanel(): HTMLElement {
    const c = this.chrome!;
    const nodes = this.store.status!.nodes;
    const counts = new Map<string, number>();
    for (const n of nodes) counts.set(n.state, (counts.get(n.state) ?? 0) + 1);
    setText(c.graphSummary, `Graph · ${[...counts].map(([s, k]) => `${k} ${s}`).join(', ')}`);
    // the picture is no control: redrawn when the nodes change
    const key = JSON.stringify(nodes);
    if (c.graphWrap.dataset.key !== key) {
      c.graphWrap.dataset.key = key;
      c.graphWrap.replaceChildren(renderGraph(document, nodes));
    }
    return c.graph;
  }

  private card(doc: ResultsDoc, plot: PlotSpec, i: number): Card {
    let card = this.cards[i];
    if (!card) {
      const el = h('section', 'sg-card');
      el.dataset.plot = String(i);
      const head = h('header', 'sg-card-head');
      const title = h('h2');
      const badge = h('span', 'sg-badge sg-card-badge');
      const tools = h('div', 'sg-card-tools');
      for (const f of ['svg', 'png', 'csv', 'json'] as const) {
        const b = button(f.toUpperCase(), `Export this plot as ${f.toUpperCase()}`, () => this.exportPlot(f, i), 'sg-btn sg-btn-small');
        b.dataset.export = f;
        b.dataset.focus = `export-${f}-${i}`;
        tools.appendChild(b);
      }
      const holder = h('div', 'sg-figure');
      const view = this.tools.forCard(i, holder);
      head.append(title, view, tools);
      const legend = h('div', 'sg-legend');
      legend.setAttribute('role', 'group');
      legend.setAttribute('aria-label', 'runs (click to show or hide)');
      // tips are added on the first pointer entry into the figure shown at that time
      holder.addEventListener('pointerenter', () => this.enableTips(i));
      el.append(head, legend, holder);
      card = { el, title, badge, view, tools, legend, legendItems: new Map(), holder, shown: null };
      this.cards[i] = card;
    }
    setText(card.title, plot.title);
    const rerun = this.rerunning(doc, plot, i);
    setClass(card.el, rerun == null ? 'sg-card' : 'sg-card sg-rerunning');
    if (rerun != null) setText(card.badge, rerun);
    syncChildren(card.title.parentElement!, [card.title, ...(rerun != null ? [card.badge] : []), card.view, card.tools]);
    const waiting = plotRuns(doc, plot).length
      ? null
      : this.store.final ? `no runs match ${plot.runs.join(', ')}` : `waiting for ${plot.runs.join(', ')}…`;
    let msg = card.holder.querySelector(':scope > .sg-msg-info');
    if (waiting && !msg) card.holder.prepend((msg = h('div', 'sg-msg sg-msg-info')));
    if (waiting) setText(msg!, waiting);
    else msg?.remove();
    return card;
  }

  /**
   * "re-running …" when a revision in flight will change plot i, else null: at once from the
   * status (its plot node, the i-th, or a run it depends on, is queued or running), before any
   * new data; then from the results while they stream.
   */
  private rerunning(doc: ResultsDoc, plot: PlotSpec, i: number): string | null {
    const st = this.store.status;
    if (st && st.revision >= this.store.revision) {
      const node = st.nodes.filter((n) => n.kind === 'plot')[i];
      if (node) {
        const byId = new Map(st.nodes.map((n) => [n.id, n]));
        const deps = node.deps.map((d) => byId.get(d)).filter((d): d is NodeStatus => !!d);
        if (busy(node.state) || deps.some((d) => busy(d.state))) {
          const f = depsProgress(deps).fraction;
          return f == null ? 're-running…' : `re-running ${Math.round(f * 100)}%`;
        }
        if (st.revision > this.store.revision || this.store.final) return null;
      }
    }
    if (this.store.final) return null;
    return plotRuns(doc, plot).some((k) => busy(doc.runs[k]!.status) || this.store.labels.get(k) === 'stale — re-running') ? 're-running…' : null;
  }

  /** The card of a plot before its first results (first open): its deps and their progress. */
  private pendingCard(n: NodeStatus, nodes: NodeStatus[]): HTMLElement {
    let p = this.pending.get(n.id);
    if (!p) {
      const el = h('section', 'sg-card sg-pending');
      el.dataset.plot = n.id.replace(/^plot#/, '');
      const head = h('header', 'sg-card-head');
      const title = h('h2');
      head.appendChild(title);
      const text = h('div', 'sg-msg sg-msg-info');
      const bar = progressBar();
      el.append(head, text, bar.el);
      p = { el, title, text, bar };
      this.pending.set(n.id, p);
    }
    const index = Number(n.id.replace(/^plot#/, ''));
    setText(p.title, n.label ?? (Number.isInteger(index) ? `plot ${index + 1}` : n.id));
    const byId = new Map(nodes.map((m) => [m.id, m]));
    const deps = n.deps.map((d) => byId.get(d)).filter((d): d is NodeStatus => !!d);
    const prog = depsProgress(deps);
    const what = n.deps.length ? `waiting for ${n.deps.join(', ')}` : 'waiting';
    setText(p.text, `${what}${prog.text ? ` — ${prog.text}` : ''}${n.message ? ` (${n.message})` : ''}`);
    p.bar.set(prog.fraction ?? 0, `${n.id} progress`);
    show(p.bar.el, prog.fraction != null);
    return p.el;
  }

  /** One toggle per drawn run (or seed group), in the figure's colour for it; the toggles stay
   *  the same elements while the run is drawn. */
  private fillLegend(card: Card, data: FigureData, i: number): void {
    const nodes: Node[] = [];
    const keep = new Set<string>();
    // the figure's own colours (optimiser kind, then order): the swatch matches the drawn line
    const doc = this.store.doc;
    const colours = doc ? figureColors(doc, data.runs, this.theme.palette) : new Map<string, string>();
    data.runs.forEach((k) => {
      keep.add(k);
      const on = !this.store.hidden.has(k);
      let b = card.legendItems.get(k);
      if (!b) {
        b = button('', '', () => {
          this.store.toggle(k);
          this.saveState();
          this.scheduleRender();
        });
        b.dataset.run = k;
        b.dataset.focus = `legend-${i}-${k}`;
        b.append(h('span', 'sg-swatch'), document.createTextNode(k));
        card.legendItems.set(k, b);
      }
      setClass(b, `sg-legend-item${on ? '' : ' sg-off'}`);
      b.title = on ? `Hide ${k}` : `Show ${k}`;
      setAttr(b, 'aria-pressed', String(on));
      const colour = colours.get(k) ?? this.theme.palette[0]!;
      const sw = b.firstChild as HTMLElement;
      if (sw.dataset.colour !== colour) {
        sw.dataset.colour = colour;
        sw.style.background = colour;
      }
      nodes.push(b);
    });
    for (const k of [...card.legendItems.keys()]) if (!keep.has(k)) card.legendItems.delete(k);
    const note = (t: string) => h('span', 'sg-legend-note', t);
    // what the metric's entry draws alongside, dashed (loss: test_loss)
    if (data.kind === 'series') for (const k of DRAWN_ALONGSIDE) if (data.rows.some((r) => r.metric === k)) nodes.push(note(`┅ ${metricLabel(k)}`));
    if (data.kind === 'series' && data.theory.length) nodes.push(note(`╌ ${data.theoryLabel}`));
    if (data.kind === 'final' && data.summary.some((s) => s.n > 1)) nodes.push(note('┃ min–max over seeds'));
    if (data.kind === 'final' && data.rows.some((r) => r.status === 'diverged' || r.status === 'error')) nodes.push(note('✕ diverged (last finite value, not in the mean)'));
    // notes are text only: keep the ones already there when the same
    const old = [...card.legend.querySelectorAll(':scope > .sg-legend-note')];
    const notes = nodes.filter((n) => !(n instanceof HTMLButtonElement)) as HTMLElement[];
    const same = old.length === notes.length && old.every((o, j) => o.textContent === notes[j]!.textContent);
    syncChildren(card.legend, [...nodes.filter((n) => n instanceof HTMLButtonElement), ...(same ? old : notes)]);
  }

  /** Export Figures (extension command): every drawn plot, one answer each, same requestId. */
  async answerExport(requestId: number, format: 'svg' | 'png', theme: 'print' | 'editor' = 'print'): Promise<void> {
    this.flush();
    const doc = this.store.doc;
    const drawn = this.figures.map((svg, i) => ({ svg, i })).filter((f): f is { svg: SVGSVGElement; i: number } => f.svg != null);
    if (!doc || !drawn.length) {
      this.vscode.postMessage({ type: 'export', format, plotIndex: null, requestId, total: 0 });
      return;
    }
    const paper = theme === 'print' ? PRINT_THEME : this.theme;
    for (const { svg: shown, i } of drawn) {
      try {
        // the standalone figure (title and legend inside, opaque background), as drawn: same
        // rows, runs shown and width as the card's
        const b = this.built[i];
        const svg = b ? paperFigure(b.doc, b.plot, { ...b.options, theme: paper }) : shown;
        let data = serializeSvg(svg);
        if (format === 'png') data = await svgToPng(data, Number(svg.getAttribute('width')), Number(svg.getAttribute('height')), paper.background);
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
  private enableTips(i: number): void {
    const b = this.built[i];
    const old = this.figures[i];
    const card = this.cards[i];
    if (!b || !old || !card || b.tipped || b.svg !== old || this.store.doc !== b.doc || !old.isConnected) return;
    try {
      const svg = this.nonced(buildFigure(b.doc, b.plot, { ...b.options, tips: true }));
      this.showInHolder(card, svg);
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
        const shown = this.figures[plotIndex ?? 0];
        if (!shown) throw new Error('this plot has not been drawn');
        // the standalone figure, as Export Figures writes it (print theme unless set otherwise)
        const paper = this.extra.exportTheme === 'editor' ? this.theme : PRINT_THEME;
        const b = this.built[plotIndex ?? 0];
        const svg = b ? paperFigure(b.doc, b.plot, { ...b.options, theme: paper }) : shown;
        data = serializeSvg(svg);
        if (format === 'png') {
          data = await svgToPng(data, Number(svg.getAttribute('width')), Number(svg.getAttribute('height')), paper.background);
        }
      }
      this.vscode.postMessage({ type: 'export', format, plotIndex, data });
    } catch (e) {
      this.reportError(`export ${format}: ${(e as Error).message}`);
    }
  }
}
