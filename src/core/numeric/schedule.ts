// Which steps get recorded. The schedule must be *prefix-stable*: for N < M,
// schedule(M) ∩ [0, N) ⊆ schedule(N), so a run extended from N to M steps (resumed from
// its checkpoint) records exactly what a fresh M-step run records (resume = fresh).
//
// schedule(M, R) = {0} ∪ G ∪ { j·s : j·s ≤ M } ∪ {M}
//   G: a horizon-independent geometric grid with ⌈R/10⌉ points per decade (early dynamics);
//   s = 2^⌈log2(2M/R)⌉ (power of two, so stride(M) is a multiple of stride(N) for M ≥ N):
//       about R/2 evenly spaced points (late dynamics).
// Total ≈ R/2 + (R/10)·log10(M) distinct points, ≈ R for M ~ 10⁵. `record ≥ M+1` records every step.

export function recordStride(steps: number, record: number): number {
  if (record <= 0) return Math.max(1, steps);
  if (record >= steps + 1) return 1;
  const raw = (2 * steps) / record;
  return raw <= 1 ? 1 : 2 ** Math.ceil(Math.log2(raw));
}

/** Sorted distinct step indices in [0, steps] at which metrics are recorded. */
export function recordSteps(steps: number, record: number): number[] {
  const out = new Set<number>([0, steps]);
  if (record >= steps + 1) {
    for (let t = 0; t <= steps; t++) out.add(t);
    return [...out].sort((a, b) => a - b);
  }
  const perDecade = Math.max(1, Math.ceil(record / 10));
  for (let i = 0; ; i++) {
    const t = Math.round(10 ** (i / perDecade));
    if (t > steps) break;
    out.add(t);
  }
  const s = recordStride(steps, record);
  for (let t = 0; t <= steps; t += s) out.add(t);
  return [...out].sort((a, b) => a - b);
}
