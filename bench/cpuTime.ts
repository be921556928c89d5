// CPU time per call, for the benches that time one kernel or one part of a step in a loop
// (stepParts, recordParts, kernels): process.cpuUsage counts whole µs, too coarse for one call,
// so calls are batched (doubling after a warm-up) until one timing lasts `minUs` of CPU; then
// `reps` timings of that batch are taken. CPU time, not wall: the machine may be shared.

const cpuUs = () => {
  const u = process.cpuUsage();
  return u.user + u.system;
};

/** `reps` timings of f, each in µs per call */
export function cpuTimings(f: () => void, reps: number, minUs = 40_000): number[] {
  let c = 1;
  for (;;) {
    const t0 = cpuUs();
    for (let i = 0; i < c; i++) f();
    if (cpuUs() - t0 > minUs) break;
    c *= 2;
  }
  const r: number[] = [];
  for (let t = 0; t < reps; t++) {
    const t0 = cpuUs();
    for (let i = 0; i < c; i++) f();
    r.push((cpuUs() - t0) / c);
  }
  return r;
}
