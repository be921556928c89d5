// Small DOM helpers for a page that updates in place: elements are made once and then only their
// text and attributes change, so a button under the pointer is the same element from one streamed
// message to the next (a click that lands between two updates still reaches it).

export const h = <K extends keyof HTMLElementTagNameMap>(tag: K, cls?: string, text?: string): HTMLElementTagNameMap[K] => {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text != null) e.textContent = text;
  return e;
};

export function button(label: string, title: string, onClick: () => void, cls = 'sg-btn'): HTMLButtonElement {
  const b = h('button', cls, label);
  b.type = 'button';
  b.title = title;
  b.addEventListener('click', onClick);
  return b;
}

/** Writes only what changed: an unchanged text or attribute is not touched (no mutation, no
 *  layout invalidation, no lost selection). */
export function setText(e: Element, text: string): void {
  if (e.textContent !== text) e.textContent = text;
}
export function setAttr(e: Element, name: string, value: string | null): void {
  if (value == null) {
    if (e.hasAttribute(name)) e.removeAttribute(name);
  } else if (e.getAttribute(name) !== value) e.setAttribute(name, value);
}
export function setClass(e: Element, cls: string): void {
  if (e.getAttribute('class') !== cls) e.setAttribute('class', cls);
}
export function show(e: HTMLElement, on: boolean): void {
  if (e.hidden === on) e.hidden = !on;
}

/**
 * Makes `nodes` the children of `parent`, in order, moving only what is out of place: a child
 * already at its position is never detached (detaching would drop its focus, and a click whose
 * press and release straddle a re-insertion never fires).
 */
export function syncChildren(parent: Element, nodes: Node[]): void {
  let cur = parent.firstChild;
  for (const n of nodes) {
    if (cur === n) {
      cur = cur.nextSibling;
      continue;
    }
    parent.insertBefore(n, cur);
  }
  while (cur) {
    const next = cur.nextSibling;
    parent.removeChild(cur);
    cur = next;
  }
}

export interface ProgressBar {
  el: HTMLElement;
  set(fraction: number, label: string): void;
}

export function progressBar(cls = 'sg-progress'): ProgressBar {
  const el = h('div', cls);
  el.setAttribute('role', 'progressbar');
  el.setAttribute('aria-valuemin', '0');
  el.setAttribute('aria-valuemax', '100');
  const fill = h('div', 'sg-progress-fill');
  el.appendChild(fill);
  return {
    el,
    set(fraction, label) {
      const f = Math.max(0, Math.min(1, fraction));
      setAttr(el, 'aria-valuenow', String(Math.round(f * 100)));
      setAttr(el, 'aria-label', label);
      const w = `${(f * 100).toFixed(1)}%`;
      if (fill.style.width !== w) fill.style.width = w; // CSSOM: allowed by the CSP
    },
  };
}
