// Hand-built checked programs (the shape src/core/lang's checker produces) and a test double of
// the stepping core for the graph-logic tests that do not need real numerics.
import type { CheckedProgram, Definition, PlotDef, Value, Range } from '../../src/core/program';
import type { JobProgress, JobRequest, JobResult } from '../../src/core/graph/pool';
import { recordSteps } from '../../src/core/schedule';

export const num = (value: number): Value => ({ kind: 'number', value });
export const word = (value: string): Value => ({ kind: 'word', value });
export const ref = (name: string): Value => ({ kind: 'ref', name });
export const list = (...xs: number[]): Value => ({ kind: 'list', items: xs.map(num) });
export const select = (name: string, param: string, value: number): Value => ({ kind: 'select', name, where: [{ param, value }] });
export const call = (builtin: string, args: Record<string, Value> = {}): Value => ({ kind: 'call', builtin, args });

const rng = (line: number): Range => ({ start: { line, character: 0 }, end: { line, character: 80 } });

function refsOf(v: Value, out: string[] = []): string[] {
  if (v.kind === 'ref' || v.kind === 'select') out.includes(v.name) || out.push(v.name);
  else if (v.kind === 'list') v.items.forEach((x) => refsOf(x, out));
  else if (v.kind === 'call') Object.values(v.args).forEach((x) => refsOf(x, out));
  return out;
}

export interface ProgSpec {
  seed?: number;
  defs: [name: string, category: Definition['category'], value: Value][];
  plots?: [builtin: string, runs: Value[], options?: Record<string, Value>][];
}

/** A CheckedProgram as the checker would return it; line numbers follow the list order. */
export function program(p: ProgSpec): CheckedProgram {
  const definitions: Definition[] = p.defs.map(([name, category, value], i) => ({
    name, category, value, range: rng(i + 1), nameRange: rng(i + 1), deps: refsOf(value),
  }));
  const plots: PlotDef[] = (p.plots ?? []).map(([builtin, runs, options = {}], i) => ({
    index: i, range: rng(100 + i), builtin, runs, options, deps: runs.flatMap((r) => refsOf(r)),
  }));
  return { seed: p.seed ?? 0, definitions, plots, diagnostics: [], ok: true };
}

/** A GD run `warm` at stepsize lr and its offshoot `cool` (lr 0.01), which the plot draws. */
export function warmCool(lr: number): CheckedProgram {
  return program({
    defs: [
      ['data', 'data', call('teacher', { n: num(10), p: num(3) })],
      ['net', 'model', call('linear2', { width: num(4) })],
      ['warm', 'run', call('train', { model: ref('net'), data: ref('data'), optimizer: call('gd', { lr: num(lr) }), steps: num(100) })],
      ['cool', 'run', call('train', { model: ref('warm'), data: ref('data'), optimizer: call('gd', { lr: num(0.01) }), steps: num(100) })],
    ],
    plots: [['loss', [ref('cool')]]],
  });
}

/** A small linear2 experiment: two runs, three plots. */
export function twoRuns(o: { lrA?: number; lrB?: number; stepsA?: number; recordA?: number; title?: string; nameA?: string; seedA?: number } = {}): CheckedProgram {
  const a = o.nameA ?? 'gd';
  const trainA: Record<string, Value> = { model: ref('net'), data: ref('data'), optimizer: call('gd', { lr: num(o.lrA ?? 0.05) }), steps: num(o.stepsA ?? 200), record: num(o.recordA ?? 50) };
  if (o.seedA !== undefined) trainA.seed = num(o.seedA);
  return program({
    seed: 1,
    defs: [
      ['data', 'data', call('teacher', { n: num(20), p: num(5), k: num(1) })],
      ['net', 'model', call('linear2', { width: num(8), init: call('gaussian', { scale: num(0.5) }) })],
      [a, 'run', call('train', trainA)],
      ['ln', 'run', call('train', { model: ref('net'), data: ref('data'), optimizer: call('label_noise', { lr: num(o.lrB ?? 0.05), delta: num(0.5) }), steps: num(200), record: num(50) })],
    ],
    plots: [
      ['logdet', [ref(a), ref('ln')], { theory: { kind: 'bool', value: true } }],
      ['loss', [ref(a)], { y: word('log'), ...(o.title ? { title: { kind: 'string', value: o.title } } : {}) }],
      ['loss', [ref('ln')], {}],
    ],
  });
}

/** What the test double really did, job by job: the ground truth the engine's log is checked against. */
export const fakeRuns: { steps: number; startStep: number; stepsExecuted: number; status: string; checkpointStep: number | null }[] = [];

/**
 * Test double of the stepping core (pool size 0): loss_t = (1 − lr)^t, recorded on the real
 * schedule, resumable from {step, w}, abortable, yielding to the event loop every 50 steps.
 * Like the real core, a cancelled run hands back the state of its last record (not of the step
 * it reached), so a resume from it starts before where the cancelled run stopped.
 */
/** `onProgress` may return a promise: the runner then waits for it (a test that must see a partial
 *  result before the run goes on), instead of only yielding to the event loop. */
export async function fakeRunner(req: JobRequest, signal: AbortSignal, onProgress: (p: JobProgress) => unknown): Promise<Omit<JobResult, 'worker'>> {
  const spec = req.spec;
  const lr = spec.optimizer.lr as number;
  let t = 0;
  let w = 1;
  if (req.resume) ({ t, w } = JSON.parse(new TextDecoder().decode(req.resume)));
  // like the real core: an offshoot resumed from its own checkpoint does not start over from its parent's
  else if (req.initFrom) ({ w } = JSON.parse(new TextDecoder().decode(req.initFrom)));
  const startStep = t;
  let snap = { t, w };
  const rec = new Set(recordSteps(spec.steps, spec.record));
  const traj = { step: [] as number[], time: [] as number[], metrics: { loss: [] as number[] } };
  const put = () => {
    if (rec.has(t)) {
      traj.step.push(t);
      traj.time.push(t * lr);
      traj.metrics.loss.push(w);
      snap = { t, w };
    }
  };
  const end = (r: Omit<JobResult, 'worker' | 'startStep' | 'stepsExecuted' | 'checkpointStep'>, checkpointStep: number | null): Omit<JobResult, 'worker'> => {
    const out = { ...r, startStep, stepsExecuted: t - startStep, checkpointStep };
    fakeRuns.push({ steps: spec.steps, startStep, stepsExecuted: out.stepsExecuted, status: r.status, checkpointStep });
    return out;
  };
  if (!req.resume) put();
  while (t < spec.steps) {
    if (signal.aborted) {
      const checkpoint = new TextEncoder().encode(JSON.stringify(snap));
      return end({ status: 'cancelled', message: 'cancelled', divergedAt: null, lastFiniteStep: null, notes: [], trajectory: traj, theory: {}, checkpoint, stepsDone: t, ms: 0 }, snap.t);
    }
    w *= 1 - lr;
    t++;
    if (!Number.isFinite(w) || Math.abs(w) > 1e6) {
      return end({ status: 'diverged', message: `diverged at step ${t}`, divergedAt: t, lastFiniteStep: t - 1, notes: [], trajectory: traj, theory: {}, checkpoint: null, stepsDone: t, ms: 0 }, null);
    }
    put();
    if (t % 50 === 0) {
      const waited = onProgress({ step: t, steps: spec.steps, trajectory: traj });
      await (waited instanceof Promise ? waited : new Promise((r) => setImmediate(r)));
    }
  }
  const checkpoint = new TextEncoder().encode(JSON.stringify({ t, w }));
  return end({ status: 'done', message: null, divergedAt: null, lastFiniteStep: null, notes: [], trajectory: traj, theory: { rate: lr }, checkpoint, stepsDone: t, ms: 0 }, t);
}
