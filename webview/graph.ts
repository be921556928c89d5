// A small picture of the experiment's graph: one box per node (data, model, run, plot…), arrows
// for dependencies, coloured by state (cached, running, stale, failed…). Layered by longest path
// from the sources; ids are user text, so they only ever enter the DOM as textContent.
import type { NodeStatus } from '../src/core/wire/protocol';

const SVG = 'http://www.w3.org/2000/svg';

export function layers(nodes: NodeStatus[]): Map<string, number> {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const depth = new Map<string, number>();
  const visiting = new Set<string>();
  const d = (id: string): number => {
    const known = depth.get(id);
    if (known != null) return known;
    if (visiting.has(id)) return 0; // a cycle is the checker's error; draw it flat, do not loop
    visiting.add(id);
    const n = byId.get(id);
    const v = n ? Math.max(-1, ...n.deps.filter((x) => byId.has(x)).map(d)) + 1 : 0;
    visiting.delete(id);
    depth.set(id, v);
    return v;
  };
  for (const n of nodes) d(n.id);
  return depth;
}

export function renderGraph(doc: Document, nodes: NodeStatus[]): SVGSVGElement {
  const depth = layers(nodes);
  const cols = new Map<number, NodeStatus[]>();
  for (const n of nodes) cols.set(depth.get(n.id)!, [...(cols.get(depth.get(n.id)!) ?? []), n]);
  const W = 104, H = 24, GX = 28, GY = 8;
  const pos = new Map<string, { x: number; y: number }>();
  let rows = 0;
  for (const [c, list] of [...cols].sort((a, b) => a[0] - b[0])) {
    list.forEach((n, i) => pos.set(n.id, { x: 4 + c * (W + GX), y: 4 + i * (H + GY) }));
    rows = Math.max(rows, list.length);
  }
  const width = 8 + cols.size * (W + GX) - GX;
  const height = 8 + rows * (H + GY) - GY;
  const svg = doc.createElementNS(SVG, 'svg') as SVGSVGElement;
  svg.setAttribute('class', 'sg-graph');
  svg.setAttribute('width', String(width));
  svg.setAttribute('height', String(height));
  svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', 'experiment graph');
  for (const n of nodes) {
    const to = pos.get(n.id)!;
    for (const dep of n.deps) {
      const from = pos.get(dep);
      if (!from) continue;
      const p = doc.createElementNS(SVG, 'path');
      const x1 = from.x + W, y1 = from.y + H / 2, x2 = to.x, y2 = to.y + H / 2;
      p.setAttribute('d', `M${x1},${y1} C${x1 + GX / 2},${y1} ${x2 - GX / 2},${y2} ${x2},${y2}`);
      p.setAttribute('class', 'sg-edge');
      svg.appendChild(p);
    }
  }
  for (const n of nodes) {
    const { x, y } = pos.get(n.id)!;
    const g = doc.createElementNS(SVG, 'g');
    g.setAttribute('class', `sg-node sg-state-${n.state}`);
    g.setAttribute('data-id', n.id);
    g.setAttribute('data-state', n.state);
    g.setAttribute('transform', `translate(${x},${y})`);
    const r = doc.createElementNS(SVG, 'rect');
    r.setAttribute('width', String(W));
    r.setAttribute('height', String(H));
    r.setAttribute('rx', '5');
    g.appendChild(r);
    if (n.progress && n.progress.steps > 0 && n.state === 'running') {
      const bar = doc.createElementNS(SVG, 'rect');
      bar.setAttribute('class', 'sg-node-progress');
      bar.setAttribute('y', String(H - 3));
      bar.setAttribute('height', '3');
      bar.setAttribute('width', String((W * Math.min(1, n.progress.step / n.progress.steps)).toFixed(1)));
      g.appendChild(bar);
    }
    const t = doc.createElementNS(SVG, 'text');
    t.setAttribute('x', String(W / 2));
    t.setAttribute('y', String(H / 2));
    t.setAttribute('dy', '0.35em');
    t.setAttribute('text-anchor', 'middle');
    // named as written: a definition's name, a plot's title or `plot <metric>` (not its id `plot#i`)
    const name = n.label ?? n.id;
    t.textContent = name.length > 15 ? name.slice(0, 14) + '…' : name;
    g.appendChild(t);
    const title = doc.createElementNS(SVG, 'title');
    title.textContent = `${name} (${n.kind}${n.line != null ? `, line ${n.line}` : ''}): ${n.state}${n.message ? ` — ${n.message}` : ''}`;
    g.appendChild(title);
    svg.appendChild(g);
  }
  return svg;
}
