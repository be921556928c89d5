// The page's comparison tools around the figures: per card, the y scale toggle (offered where the
// data allow a log axis), small multiples (offered for a crowded figure), reset zoom, and the
// brush; in the header, "Pin this revision" / "Unpin". It owns the view state (viewState.ts) and
// tells the page what each figure draws (`figure`), so app.ts needs only small hooks.
import { crowded, figureBuckets, figureData, type FigureData, type FigureOptions } from '../src/core/figures';
import type { PlotSpec, ResultsDoc } from '../src/core/wire/results';
import { button, h, setAttr, setText, show } from './dom';
import { ghostsFor, makePin } from './pin';
import { plotId, readViewState, setFigureView, type ViewState } from './viewState';
import { attachBrush, canLog, viewPlot, zoomBuckets } from './zoom';

interface CardTools {
  el: HTMLElement;
  scale: HTMLButtonElement;
  facet: HTMLButtonElement;
  reset: HTMLButtonElement;
}

export class FigureTools {
  view: ViewState;
  private cards: CardTools[] = [];
  /** plot identity and drawn rows of figure i, as last drawn */
  private drawn: { id: string; data: FigureData; plot: PlotSpec; canLog: boolean; crowded: boolean }[] = [];
  readonly pin: HTMLButtonElement;

  constructor(
    saved: unknown,
    /** the view changed: save the page's state */
    private readonly save: () => void,
    private readonly rerender: () => void,
    /** the shown revision (server's) and the page's count of revisions */
    private readonly revision: () => { revision: number; shown: number },
  ) {
    this.view = readViewState(saved);
    this.pin = button('Pin', '', () => this.togglePin());
    this.pin.dataset.focus = 'pin';
    this.pin.classList.add('sg-pin');
  }

  restore(saved: unknown): void {
    this.view = readViewState(saved);
  }

  private changed(): void {
    this.save();
    this.rerender();
  }

  private setView(i: number, patch: Parameters<typeof setFigureView>[2]): void {
    const d = this.drawn[i];
    if (!d) return;
    setFigureView(this.view, d.id, patch);
    this.changed();
  }

  /** The buttons of card i (made once) and the brush on its figure holder. */
  forCard(i: number, holder: HTMLElement): HTMLElement {
    let c = this.cards[i];
    if (c) return c.el;
    const el = h('div', 'sg-view-tools');
    const scale = button('', '', () => {
      const d = this.drawn[i];
      if (d) this.setView(i, { scale: d.plot.y === 'log' ? 'linear' : 'log' });
    }, 'sg-btn sg-btn-small');
    scale.dataset.view = 'scale';
    const facet = button('', '', () => this.setView(i, { facet: !this.view.figures[this.drawn[i]?.id ?? '']?.facet }), 'sg-btn sg-btn-small');
    facet.dataset.view = 'facet';
    const reset = button('Reset zoom', 'Show the whole x and y range again (or double-click the figure)', () => this.setView(i, { x: undefined, y: undefined }), 'sg-btn sg-btn-small');
    reset.dataset.view = 'reset';
    el.append(reset, scale, facet);
    c = { el, scale, facet, reset };
    this.cards[i] = c;
    attachBrush(holder,
      () => this.drawn[i]?.plot.kind === 'series' && !this.view.figures[this.drawn[i]!.id]?.facet,
      (x, y) => this.setView(i, { x, y: y ?? undefined }),
      () => this.setView(i, { x: undefined, y: undefined }));
    return el;
  }

  /** What of the view decides figure `plot`'s picture (besides its data, width and theme). */
  key(plot: PlotSpec): string {
    const id = plotId(plot);
    const pin = this.view.pin;
    const ghosts = !!pin && pin.revision !== this.revision().revision && id in pin.plots;
    return JSON.stringify([this.view.figures[id] ?? null, ghosts ? pin!.shown : null]);
  }

  /**
   * Rows and figure options of plot i as the user views it: their y scale, zoom (finer decimation
   * over the visible range), pinned ghosts and facets. `key` changes whenever any of them does.
   */
  figure(doc: ResultsDoc, plot: PlotSpec, i: number, width: number, base: Omit<FigureOptions, 'width' | 'data'> & { hidden: string[] }): { plot: PlotSpec; options: FigureOptions } {
    const id = plotId(plot);
    const view = this.view.figures[id];
    const scaled = viewPlot(plot, view ? { scale: view.scale } : undefined);
    const buckets = figureBuckets(width);
    let data = figureData(doc, scaled, { ...base, buckets });
    if (view?.x && data.kind === 'series' && data.rows.length) {
      let x0 = Infinity, x1 = -Infinity;
      for (const r of data.rows) { if (r.x < x0) x0 = r.x; if (r.x > x1) x1 = r.x; }
      const more = zoomBuckets(buckets, [x0, x1], view.x);
      if (more > buckets) data = figureData(doc, scaled, { ...base, buckets: more });
    }
    const drawn = viewPlot(plot, view, data);
    const { revision } = this.revision();
    const ghosts = data.kind === 'series' ? ghostsFor(this.view.pin, id, revision, new Set(base.hidden)) : undefined;
    const isCrowded = data.kind === 'series' && crowded(data, plot.metric);
    const facet = !!view?.facet && isCrowded;
    this.drawn[i] = { id, data, plot: drawn, canLog: plot.y === 'log' || drawn.y === 'log' || canLog(data), crowded: isCrowded };
    this.updateCard(i, view != null && (view.x != null || view.y != null));
    const options: FigureOptions = { ...base, width, data, ...(ghosts ? { ghosts } : {}), ...(facet ? { facet } : {}) };
    return { plot: drawn, options };
  }

  /** A reused figure: its card's buttons still follow the view. */
  reused(i: number): void {
    const d = this.drawn[i];
    if (d) this.updateCard(i, !!(this.view.figures[d.id]?.x || this.view.figures[d.id]?.y));
  }

  private updateCard(i: number, zoomed: boolean): void {
    const c = this.cards[i], d = this.drawn[i];
    if (!c || !d) return;
    const series = d.plot.kind === 'series';
    const log = d.plot.y === 'log';
    setText(c.scale, log ? 'log y' : 'linear y');
    c.scale.title = log ? 'y axis: log — click for linear' : 'y axis: linear — click for log';
    setAttr(c.scale, 'aria-pressed', String(log));
    show(c.scale, series && d.canLog);
    const faceted = !!this.view.figures[d.id]?.facet;
    setText(c.facet, faceted ? 'overlay' : 'small multiples');
    c.facet.title = faceted ? 'Draw all curves in one frame' : 'Draw each run (or component) in its own small panel';
    setAttr(c.facet, 'aria-pressed', String(faceted));
    show(c.facet, series && d.crowded);
    show(c.reset, series && zoomed);
  }

  /** Forget cards beyond the first n (plots removed from the file). */
  trim(n: number): void {
    this.cards.length = Math.min(this.cards.length, n);
    this.drawn.length = Math.min(this.drawn.length, n);
  }

  /** The header's pin button: its label follows the state. */
  updatePin(hasDoc: boolean): HTMLButtonElement {
    const p = this.view.pin;
    setText(this.pin, p ? `Unpin rev ${p.shown}` : 'Pin');
    this.pin.title = p ? `Remove the ghost curves of revision ${p.shown}` : 'Pin this revision: keep its curves as ghost lines to compare later revisions with';
    setAttr(this.pin, 'aria-pressed', String(!!p));
    show(this.pin, hasDoc);
    return this.pin;
  }

  private togglePin(): void {
    if (this.view.pin) this.view.pin = null;
    else {
      const { revision, shown } = this.revision();
      this.view.pin = makePin(revision, shown, this.drawn.filter((d) => d.plot.kind === 'series'));
    }
    this.updatePin(true);
    this.changed();
  }
}

