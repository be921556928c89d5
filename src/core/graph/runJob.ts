// One training job, as run inside a worker thread (worker.ts) or in this thread (pool size 0):
// deserialise the checkpoints, call the stepping core, serialise the final state.
import { runTraining, serializeCheckpoint, deserializeCheckpoint, specKey } from '../numeric/run';
import type { JobProgress, JobRequest, JobResult } from './pool';
import { checkpointStateHash } from './state';

const FIRST_MS = 20;

export async function runJob(
  req: JobRequest,
  signal: AbortSignal,
  onProgress: (p: JobProgress) => void,
  /** shared cancel flag (non-zero: stop), polled by the stepping loop */
  cancelFlag: Int32Array | null = null,
): Promise<Omit<JobResult, 'worker'>> {
  const t0 = performance.now();
  const resume = req.resume ? deserializeCheckpoint(req.resume) : null;
  const initFrom = req.initFrom ? deserializeCheckpoint(req.initFrom) : null;
  if (req.initFrom && !initFrom) {
    return { status: 'error', message: 'the parent run state could not be read', divergedAt: null, lastFiniteStep: null, notes: [], trajectory: { step: [], time: [], metrics: {} }, theory: {}, checkpoint: null, stepsDone: 0, startStep: 0, stepsExecuted: 0, checkpointStep: null, ms: 0 };
  }
  // an offshoot's checkpoints may carry the spec key of an equivalent spec (see JobRequest.restamp)
  if (req.restamp) {
    if (resume) resume.specKey = specKey(req.spec);
    if (initFrom && req.spec.from) initFrom.specKey = specKey(req.spec.from);
  }
  // The first partial result is sent as soon as the core reports (after ~FIRST_MS), later ones
  // at most every progressIntervalMs: an edited run shows its first points at once.
  let last = -Infinity;
  const out = await runTraining(req.spec, {
    signal,
    cancelFlag,
    onProgress: (p) => {
      const t = performance.now();
      if (t - last < req.progressIntervalMs && p.step < p.steps) return;
      last = t;
      onProgress({ step: p.step, steps: p.steps, trajectory: p.trajectory });
    },
    progressIntervalMs: Math.min(FIRST_MS, req.progressIntervalMs),
    resume,
    initFrom,
  });
  return {
    status: out.status,
    message: out.message,
    divergedAt: out.divergedAt,
    lastFiniteStep: out.lastFiniteStep,
    notes: out.notes,
    trajectory: out.trajectory,
    theory: out.theory,
    // a private copy: the worker transfers its buffer to the main thread
    checkpoint: out.checkpoint ? new Uint8Array(serializeCheckpoint(out.checkpoint)) : null,
    stepsDone: out.stepsDone,
    startStep: out.startStep,
    stepsExecuted: Math.max(0, out.stepsDone - out.startStep),
    checkpointStep: out.checkpoint ? out.checkpoint.step : null,
    stateHash: out.status === 'done' && out.checkpoint ? checkpointStateHash(out.checkpoint) : null,
    ms: performance.now() - t0,
  };
}
