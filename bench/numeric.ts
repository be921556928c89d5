// Stepping-core benchmark body (bundled and run by scripts/bench.mjs). Prints JSON lines.
// For each config: steps/s of runTraining with a negligible record schedule ("bare": the
// stepping plus the run loop), medians over reps of ~`seconds` each. What recording adds is
// measured in one process by bench/recordShare.ts (no longer here as a second run's steps/s:
// two runs' medians swung more than a record weighs).
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
  for (let r = 0; r < cfg.reps; r++) {
    const t = performance.now();
    const c0 = process.cpuUsage();
    const o = await runTraining(specFor(cfg, steps, 0));
    const cpu = process.cpuUsage(c0);
    const dt = (performance.now() - t) / 1000;
    if (o.status !== 'done') throw new Error(`${o.status}: ${o.message}`);
    bare.push(o.stepsDone / dt);
    bareCpu.push(o.stepsDone / ((cpu.user + cpu.system) / 1e6));
  }
  console.log(JSON.stringify({ bare, bareCpu, steps }));
}
main();
