// Stepping-core benchmark body (bundled and run by scripts/bench.mjs). Prints JSON lines.
// For each config: steps/s of runTraining with a negligible record schedule ("bare": the
// stepping plus the run loop, not the run's set-up: see below), medians over reps of ~`seconds`
// each. What recording adds is measured in one process by bench/recordShare.ts (no longer here
// as a second run's steps/s: two runs' medians swung more than a record weighs).
import { buildRun } from '../src/core/numeric/build';
import { runTraining } from '../src/core/numeric/run';
import { benchRecord, calibrateSteps, specFor, type BenchConfig } from './benchSpecs';

const [cfgJson] = process.argv.slice(2);
const cfg = JSON.parse(cfgJson) as BenchConfig;

async function main() {
  // calibrate: steps for ~`seconds` of bare stepping
  const { stepper } = buildRun(specFor(cfg, 1, 2));
  const steps = calibrateSteps(cfg, () => stepper.step());
  // warm up the run loop and the metrics code (JIT) before measuring
  await runTraining(specFor(cfg, Math.max(100, Math.round(steps / 10)), Math.max(2, benchRecord(steps) / 10)));
  const bare: number[] = [], bareCpu: number[] = [];
  // What numpy's reference times is its step loop only (bench/numpy_ref.py builds X, XᵀX and the
  // weights before its clock starts). A run's set-up here (data, XᵀX, its Cholesky factor, the
  // weights: ~45 ms at (1000, 100, 200, 10), 4–5 % of a rep) is timed by a run of one step
  // right after each rep and taken off, so both sides time the same thing; the run loop stays in.
  const timed = async (n: number) => {
    const t = performance.now();
    const c0 = process.cpuUsage();
    const o = await runTraining(specFor(cfg, n, 0));
    const cpu = process.cpuUsage(c0);
    if (o.status !== 'done') throw new Error(`${o.status}: ${o.message}`);
    return { wall: (performance.now() - t) / 1000, cpu: (cpu.user + cpu.system) / 1e6, steps: o.stepsDone };
  };
  for (let r = 0; r < cfg.reps; r++) {
    const run = await timed(steps);
    const setup = await timed(1);
    bare.push((run.steps - 1) / Math.max(1e-9, run.wall - setup.wall));
    bareCpu.push((run.steps - 1) / Math.max(1e-9, run.cpu - setup.cpu));
  }
  console.log(JSON.stringify({ bare, bareCpu, steps }));
}
main();
