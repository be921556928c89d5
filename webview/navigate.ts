// The page's half of the navigation between editor and preview (src/extension/preview/navigate.ts
// has the other): clicks that name a source line post `reveal`, and a `highlight` from the
// extension scrolls to the figures (or run rows) of the line under the editor's cursor and marks
// them for a moment. One delegated listener on the page root: the cards, legends and graph are
// rebuilt and updated in place by app.ts, which needs to know nothing of this.
//
//   figure title (click)                 → the `plot` statement
//   figure (double-click, or Ctrl/⌘+click) → the definition of the run under the pointer (Plot's
//                                          pointer value), else the `plot` statement
//   legend entry (Ctrl/⌘+click; a plain click still shows/hides the run) → the run's definition
//   graph node, run row, claim (click)   → its statement
//   results-table row (click)            → the run's definition (a header click only sorts)
import type { FromWebview, ToWebview } from '../src/core/wire/protocol';
import { defSpan, plotSpan, runLine, type NavSources } from '../src/core/navigate';

export const HIGHLIGHT_CLASS = 'sg-highlight';
/** how long a mark stays when no animation ends it (reduced motion, a hidden page) */
const HIGHLIGHT_MS = 1600;

type Highlight = Extract<ToWebview, { type: 'highlight' }>;

export interface NavigatorHost {
  /** the document and node statuses the page shows, and its file */
  sources(): NavSources & { uri: string | null };
  post(m: FromWebview): void;
  /** draws now what a scheduled frame would (a highlight right behind a results message) */
  flush(): void;
}

const modified = (e: MouseEvent) => e.ctrlKey || e.metaKey;

export class Navigator {
  private readonly timers = new Map<Element, ReturnType<typeof setTimeout>>();

  constructor(
    private readonly root: HTMLElement,
    private readonly host: NavigatorHost,
  ) {
    // capture: a Ctrl/⌘+click on a legend entry must not reach its show/hide handler
    // (a double-click on a figure belongs to the zoom: it resets the view, zoom.ts)
    root.addEventListener('click', (e) => this.onClick(e), true);
  }

  private reveal(line: number | null | undefined): boolean {
    const uri = this.host.sources().uri;
    if (line == null || uri == null) return false;
    this.host.post({ type: 'reveal', uri, line });
    return true;
  }

  private plotIndex(el: Element): number | null {
    const i = Number(el.closest('section.sg-card')?.getAttribute('data-plot'));
    return Number.isInteger(i) ? i : null;
  }

  private onClick(e: MouseEvent): void {
    const t = e.target instanceof Element ? e.target : null;
    if (!t || e.button !== 0) return;
    const src = this.host.sources();
    const legend = t.closest('.sg-legend-item[data-run]');
    if (legend) {
      if (!modified(e)) return;
      e.stopPropagation();
      e.preventDefault();
      this.reveal(runLine(src, legend.getAttribute('data-run')!));
      return;
    }
    if (t.closest('.sg-card-head h2')) {
      const i = this.plotIndex(t);
      if (i != null) this.reveal(plotSpan(src, i)?.line);
      return;
    }
    if (t.closest('.sg-figure')) {
      if (modified(e)) this.onFigure(e);
      return;
    }
    const node = t.closest('g.sg-node[data-id]');
    if (node) {
      const id = node.getAttribute('data-id')!;
      const n = src.nodes?.find((x) => x.id === id);
      const plot = /^plot#\d+$/.test(id) ? src.nodes?.filter((x) => x.kind === 'plot').indexOf(n!) ?? -1 : -1;
      this.reveal(n?.line ?? (plot >= 0 ? plotSpan(src, plot)?.line : defSpan(src, id)?.line));
      return;
    }
    const run = t.closest('li.sg-run')?.querySelector('.sg-run-name')?.textContent;
    if (run) {
      this.reveal(runLine(src, run));
      return;
    }
    // the table row names its run key (resultsTable.ts); its header is in <thead>, not a row
    const result = t.closest('tr.sg-result[data-run]')?.getAttribute('data-run');
    if (result) {
      this.reveal(runLine(src, result));
      return;
    }
    const claim = Number(t.closest('li.sg-claim[data-line]')?.getAttribute('data-line'));
    if (Number.isInteger(claim) && claim >= 1) this.reveal(claim);
  }

  /** A figure: the run under the pointer (Plot sets the figure's `value` to the datum its tip
   *  shows), else the plot. */
  private onFigure(e: MouseEvent): void {
    const t = e.target instanceof Element ? e.target : null;
    const holder = t?.closest('.sg-figure');
    if (!t || !holder) return;
    const i = this.plotIndex(t);
    if (i == null) return;
    const src = this.host.sources();
    const datum = (holder.querySelector('svg.sg-plot, figure') as { value?: unknown } | null)?.value as { run?: unknown } | null | undefined;
    const run = typeof datum?.run === 'string' ? datum.run : null;
    e.preventDefault();
    this.reveal((run ? runLine(src, run) : null) ?? plotSpan(src, i)?.line);
  }

  /** Scrolls to the first target and marks every target (its figures, then its run rows). */
  highlight(m: Highlight): void {
    if (m.uri !== this.host.sources().uri) return;
    this.host.flush();
    const cards = m.plots.map((i) => this.root.querySelector(`section.sg-card[data-plot="${i}"]`)).filter((x): x is HTMLElement => !!x);
    const wanted = new Set(m.runs);
    const rows = [...this.root.querySelectorAll<HTMLElement>('li.sg-run')].filter((li) => wanted.has(li.querySelector('.sg-run-name')?.textContent ?? ''));
    const first = cards[0] ?? rows[0];
    if (!first) return;
    // a run without a figure: its row, in the run list opened for it
    if (!cards.length) {
      const details = first.closest('details');
      if (details && !details.open) details.open = true;
    }
    const reduced = typeof matchMedia === 'function' && matchMedia('(prefers-reduced-motion: reduce)').matches;
    first.scrollIntoView({ block: 'start', behavior: reduced ? 'auto' : 'smooth' });
    for (const el of [...cards, ...rows]) this.mark(el);
  }

  private mark(el: HTMLElement): void {
    const old = this.timers.get(el);
    if (old) clearTimeout(old);
    // restart the animation of an element still marked: off, a reflow, on
    el.classList.remove(HIGHLIGHT_CLASS);
    void el.offsetWidth;
    el.classList.add(HIGHLIGHT_CLASS);
    const done = () => {
      el.classList.remove(HIGHLIGHT_CLASS);
      this.timers.delete(el);
    };
    this.timers.set(el, setTimeout(done, HIGHLIGHT_MS));
  }
}
