// CPU time per call, for the benches that time one kernel or one part of a step in a loop
// (stepParts, recordParts, kernels, recordShare): process.cpuUsage counts whole µs, too coarse for
// one call, so calls are batched (doubling after a warm-up) until one timing lasts `minUs` of CPU;
// then `reps` timings of that batch are taken. CPU time, not wall: the machine may be shared.

const cpuUs = () => {
  const u = process.cpuUsage();
  return u.user + u.system;
};

/** calls of f per timing: doubled until one batch lasts `minUs` of CPU (the doubling warms up) */
function batchSize(f: () => void, minUs: number): number {
  let c = 1;
  for (;;) {
    const t0 = cpuUs();
    for (let i = 0; i < c; i++) f();
    if (cpuUs() - t0 > minUs) return c;
    c *= 2;
  }
}

/** µs per call of one batch of c calls */
function timeBatch(f: () => void, c: number): number {
  const t0 = cpuUs();
  for (let i = 0; i < c; i++) f();
  return (cpuUs() - t0) / c;
}

/** `reps` timings of f, each in µs per call */
export function cpuTimings(f: () => void, reps: number, minUs = 40_000): number[] {
  return cpuTimingsInterleaved([f], reps, minUs)[0];
}

/** µs per call of f: the fastest of `reps` timings, the least disturbed one (the machine is shared) */
export function minCpuTime(f: () => void, reps: number): number {
  return Math.min(...cpuTimings(f, reps));
}

/** `reps` timings of each of fs, in µs per call, taken in turn (f0, f1, …, f0, f1, …) so that a
 *  shared machine's load of the moment weighs on all alike: for ratios between them */
export function cpuTimingsInterleaved(fs: (() => void)[], reps: number, minUs = 40_000): number[][] {
  const c = fs.map((f) => batchSize(f, minUs));
  const r: number[][] = fs.map(() => []);
  for (let t = 0; t < reps; t++) fs.forEach((f, i) => r[i].push(timeBatch(f, c[i])));
  return r;
}
