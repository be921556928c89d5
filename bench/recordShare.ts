// The recording's share of a bench run, measured in one process: CPU time of one record (what the
// run loop does at a record: the model's metrics(), the finiteness check, pushRecord, the state
// snapshot by stateOf: src/core/numeric/run.ts) against CPU time of the steps between two records
// at the bench's schedule (scripts/bench.mjs: record = steps/100, recordSteps' points over a run of
// ~`seconds`), interleaved round by round (bench/cpuTime.ts). Share = record / (gap × step).
// Bundled and run by scripts/bench.mjs and scripts/bench-record.mjs; prints one JSON line.
// Repeated records see one state (metrics() does not change it); the steps move it on. A record
// timed in a batch finds warm caches that a record after `gap` steps would not: at the bench's
// sizes every buffer fits in L2, so the difference is small (not measured).
import { buildRun } from '../src/core/numeric/build';
import type { Stepper, StepperState } from '../src/core/numeric/model';
import { pushRecord, stateOf } from '../src/core/numeric/run';
import { recordSteps } from '../src/core/numeric/schedule';
import type { Trajectory } from '../src/core/numeric/trajectory';
import { benchRecord, calibrateSteps, specFor, type BenchConfig } from './benchSpecs';
import { cpuTimingsInterleaved } from './cpuTime';

const cfg = { seconds: 1, ...JSON.parse(process.argv[2]) } as BenchConfig;
const rounds = Number(process.argv[3] ?? 9);
const median = (a: number[]) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];

const stepper: Stepper = buildRun(specFor(cfg, 1, 2)).stepper;
const steps = calibrateSteps(cfg, () => stepper.step());
const records = recordSteps(steps, benchRecord(steps)).length;
const gap = steps / records; // mean steps between two records of the bench's run

let traj: Trajectory = { step: [], time: [], metrics: {} };
let snap: StepperState = stateOf(stepper);
let t = 0;
const record = (): void => {
  const m = stepper.metrics();
  if (!Number.isFinite(m.loss as number)) throw new Error(`the bench's state diverged (loss ${m.loss})`);
  if (traj.step.length >= 4096) traj = { step: [], time: [], metrics: {} }; // a long run's length, bounded
  pushRecord(traj, t, t, m);
  snap = stateOf(stepper, snap);
};
const step = (): void => {
  stepper.step();
  t++;
};
record(); // first-record work (the test set's Gram statistics, …) and the JIT, before timing
const [rec, st] = cpuTimingsInterleaved([record, step], rounds);
const share = rec.map((r, i) => r / (gap * st[i]));
console.log(JSON.stringify({ steps, records, gap, recordUs: { min: Math.min(...rec), median: median(rec) }, stepUs: { min: Math.min(...st), median: median(st) }, share: { min: Math.min(...share), median: median(share) } }));
