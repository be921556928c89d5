// Stepping-core benchmark body (bundled and run by scripts/bench.mjs). Prints JSON lines.
// For each config: steps/s of runTraining with a negligible record schedule ("bare": the
// stepping plus the run loop), and with metrics recorded 1000 times per 10⁵ steps
// (record = steps/100), medians over reps of ~`seconds` each.
import { buildRun } from '../src/core/numeric/build';
import { runTraining } from '../src/core/numeric/run';
import type { RunSpec } from '../src/core/spec';

const [cfgJson] = process.argv.slice(2);
const cfg = JSON.parse(cfgJson) as { model: string; n: number; p: number; l: number; k: number; d: number; lr: number; delta: number; scale: number; seconds: number; reps: number; rows: number; cols: number; depth: number; width: number; batch: number | null };

function specFor(steps: number, record: number): RunSpec {
  // deep_linear / relu2 at sizes a user might try (their step's products go through the SIMD gemm)
  if (cfg.model === 'deep_linear')
    return {
      rootSeed: 0, seed: 0, steps, record,
      data: { kind: 'completion', observed: null, rows: cfg.rows, cols: cfg.cols, rank: 2, fraction: 0.5, seed: 0 },
      model: { kind: 'deep_linear', depth: cfg.depth, width: cfg.width, init: { kind: 'gaussian', scale: cfg.scale }, seed: 0 },
      optimizer: cfg.batch === null ? { kind: 'gd', lr: cfg.lr, weight_decay: 0 } : { kind: 'sgd', lr: cfg.lr, batch: cfg.batch, weight_decay: 0 },
    };
  if (cfg.model === 'relu2')
    return {
      rootSeed: 0, seed: 0, steps, record,
      data: { kind: 'teacher', n: cfg.n, p: cfg.p, k: 1, noise: 0, test: 0, activation: 'relu', neurons: 2, seed: 0 },
      model: { kind: 'relu2', width: cfg.width, init: { kind: 'gaussian', scale: cfg.scale }, seed: 0 },
      optimizer: { kind: 'label_noise', lr: cfg.lr, delta: cfg.delta, batch: cfg.batch, weight_decay: 0 },
    };
  if (cfg.model === 'linear2')
    return {
      rootSeed: 0, seed: 0, steps, record,
      data: { kind: 'teacher', n: cfg.n, p: cfg.p, k: cfg.k, noise: 0, test: 0, activation: 'linear', neurons: 1, seed: 0 },
      model: { kind: 'linear2', width: cfg.l, init: { kind: 'gaussian', scale: cfg.scale }, seed: 0 },
      optimizer: { kind: 'label_noise', lr: cfg.lr, delta: cfg.delta, batch: null, weight_decay: 0 },
    };
  return {
    rootSeed: 0, seed: 0, steps, record,
    data: { kind: 'sparse', n: cfg.n, d: cfg.d, s: 3, noise: 0, test: 0, seed: 0 },
    model: { kind: 'diagonal', alpha: 0.1, seed: 0 },
    optimizer: { kind: 'sgd', lr: cfg.lr, batch: 1, weight_decay: 0 },
  };
}


async function main() {
  // calibrate: steps for ~`seconds` of bare stepping
  const { stepper } = buildRun(specFor(1, 2));
  let m = 16;
  for (;;) {
    const t0 = performance.now();
    for (let i = 0; i < m; i++) stepper.step();
    if (performance.now() - t0 > 50) break;
    m *= 2;
  }
  const t0 = performance.now();
  for (let i = 0; i < m; i++) stepper.step();
  const perStep = (performance.now() - t0) / m;
  const steps = Math.max(200, Math.round((cfg.seconds * 1000) / perStep / 100) * 100);
  // warm up the run loop and the metrics code (JIT) before measuring
  await runTraining(specFor(Math.max(100, Math.round(steps / 10)), Math.max(2, steps / 1000)));
  const bare: number[] = [], rec: number[] = [], bareCpu: number[] = [], recCpu: number[] = [];
  let records = 0;
  for (let r = 0; r < cfg.reps; r++) {
    for (const [record, out, outCpu] of [[0, bare, bareCpu], [steps / 100, rec, recCpu]] as const) {
      const s = specFor(steps, record);
      const t = performance.now();
      const c0 = process.cpuUsage();
      const o = await runTraining(s);
      const cpu = process.cpuUsage(c0);
      const dt = (performance.now() - t) / 1000;
      if (o.status !== 'done') throw new Error(`${o.status}: ${o.message}`);
      out.push(o.stepsDone / dt);
      outCpu.push(o.stepsDone / ((cpu.user + cpu.system) / 1e6));
      if (record > 0) records = o.trajectory.step.length;
    }
  }
  console.log(JSON.stringify({ bare, rec, bareCpu, recCpu, steps, records }));
}
main();
