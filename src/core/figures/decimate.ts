// Min–max decimation: what a line keeps when drawn at the screen's resolution.

/**
 * Min–max decimation of one line with `k` points (x increasing): split [x0, x1] into `buckets`
 * columns and keep, in order, the lowest and the highest point of each column, plus the line's
 * first and last point. With a column per w px the drawn polyline differs from the full one by
 * under w px horizontally and keeps every extreme (spikes, divergence). Returns kept indices.
 */
export function minMaxKeep(k: number, xAt: (j: number) => number, yAt: (j: number) => number, x0: number, x1: number, buckets: number): number[] {
  const out: number[] = [0];
  const scale = x1 > x0 ? buckets / (x1 - x0) : 0;
  let b = -1, lo = -1, hi = -1;
  const flush = () => {
    if (b < 0) return;
    if (lo === hi) out.push(lo);
    else if (lo < hi) out.push(lo, hi);
    else out.push(hi, lo);
  };
  for (let j = 1; j < k - 1; j++) {
    const c = Math.min(buckets - 1, Math.floor((xAt(j) - x0) * scale));
    if (c !== b) {
      flush();
      b = c;
      lo = hi = j;
    } else {
      const y = yAt(j);
      if (y < yAt(lo)) lo = j;
      if (y > yAt(hi)) hi = j;
    }
  }
  flush();
  if (k > 1) out.push(k - 1);
  return out;
}

/** `minMaxKeep` over rows of several lines (rows of one line in x order). */
export function decimate<T extends { line: string; x: number; y: number }>(rows: T[], x0: number, x1: number, buckets: number): T[] {
  const byLine = new Map<string, T[]>();
  for (const r of rows) {
    const a = byLine.get(r.line);
    if (a) a.push(r);
    else byLine.set(r.line, [r]);
  }
  const out: T[] = [];
  for (const pts of byLine.values()) {
    if (pts.length <= buckets) out.push(...pts);
    else for (const j of minMaxKeep(pts.length, (j) => pts[j]!.x, (j) => pts[j]!.y, x0, x1, buckets)) out.push(pts[j]!);
  }
  return out;
}

