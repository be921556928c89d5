// A pool of worker threads that run training jobs.
//
// Workers are spawned on demand up to `size` (default: the machine's available parallelism)
// and kept warm. A job is one `runTraining` call; its partial trajectories stream back as
// progress messages, each with only the records added since the previous one (this thread
// appends them to the job's TrajectoryBuffer, trajectoryBuffer.ts, in O(new records)). Cancelling a job settles it at once as 'cancelled' on this side and sets the
// job's shared cancel flag (an Int32Array over a SharedArrayBuffer the worker's stepping loop
// polls about every half millisecond): the worker stops without waiting for this thread's event
// loop to deliver a message, which on a loaded machine can take seconds. It then hands back the
// state of its last record, which a later run of the same spec resumes from. Only a worker that
// has not acknowledged within `killAfterMs` (seconds: a stuck step, not a slow machine) is
// terminated and replaced — its state is lost — so no thread outlives `dispose()`.
import { Worker } from 'node:worker_threads';
import { availableParallelism } from 'node:os';
import { existsSync } from 'node:fs';
import type { RunSpec } from '../spec';
import type { Trajectory } from '../wire/results';
import type { FinalStatus } from './runValue';
import { TrajectoryBuffer, type StreamedProgress } from './trajectoryBuffer';
import { defaultWorkerScript } from './workerScript';
import { afterQueuedIo } from './queuedIo';

export { defaultWorkerScript };

export interface JobRequest {
  spec: RunSpec;
  /** serialised checkpoint of the same spec at fewer steps: continue from it */
  resume: Uint8Array | null;
  /** serialised checkpoint of the parent run of an offshoot */
  initFrom: Uint8Array | null;
  progressIntervalMs: number;
  /**
   * set for an offshoot: the engine vouches that `resume` is a state of this spec and `initFrom`
   * the final state of `spec.from`, though they may be stamped with the spec key of an equivalent
   * spec (an offshoot is cached under its parent's final state, not its parent's spec: its
   * checkpoint may come from a run under a parent with another record count or unused seed).
   * runJob stamps them with this spec's keys before the core checks them.
   */
  restamp?: boolean;
}

/** A runner's progress report: its whole trajectory so far (pool listeners get StreamedProgress). */
export interface JobProgress {
  step: number;
  steps: number;
  trajectory: Trajectory;
}

export interface JobResult {
  status: FinalStatus;
  message: string | null;
  divergedAt: number | null;
  lastFiniteStep: number | null;
  notes: string[];
  trajectory: Trajectory;
  theory: Record<string, number>;
  checkpoint: Uint8Array | null;
  stepsDone: number;
  /** step the stepping core actually started from (0 when it ran from scratch, e.g. because it
   *  rejected the resume checkpoint); the engine logs this, not what it asked for */
  startStep: number;
  /** steps the core actually stepped in this job */
  stepsExecuted: number;
  /** step of the returned checkpoint (a cancelled run's checkpoint sits at its last record,
   *  before stepsDone), or null without one */
  checkpointStep: number | null;
  /** state.ts hash of a completed run's checkpoint (what an offshoot of it reads); optional:
   *  the engine computes it from the checkpoint when a runner does not report it */
  stateHash?: string | null;
  /** which worker ran it (-1 inline) */
  worker: number;
  /** wall time inside the worker */
  ms: number;
}

export interface Released {
  ms: number;
  terminated: boolean;
  result: JobResult | null;
}

export interface Job {
  readonly id: number;
  readonly done: Promise<JobResult>;
  cancel(): void;
  /**
   * resolves when the thread that ran the job is free again (acknowledged or terminated); for a
   * cancelled job, `result` is what the stepping core handed back when it stopped (its
   * checkpoint lets a later run of the same spec resume from there), null if terminated
   */
  readonly released: Promise<Released>;
}

// ---- worker wire protocol ----
export type ToWorker =
  /** `cancel`: the job's shared flag (Int32Array of length 1), non-zero once it is cancelled */
  | ({ type: 'run'; job: number; cancel?: Int32Array } & JobRequest)
  | { type: 'cancel'; job: number };
export type FromWorker =
  /** `trajectory`: the job's records from index `from` on (those since its previous post) */
  | { type: 'progress'; job: number; step: number; steps: number; from: number; trajectory: Trajectory }
  | ({ type: 'done'; job: number } & Omit<JobResult, 'worker'>)
  | { type: 'error'; job: number; message: string };

export interface PoolOptions {
  /** number of worker threads; 0 runs jobs in this thread (the CLI's --workers 0) */
  size?: number;
  /** path of the bundled worker (dist/worker.js) */
  workerScript?: string;
  /** terminate a worker that has not acknowledged a cancel after this many ms (default
   *  DEFAULT_KILL_AFTER_MS): a terminated worker hands back no state to resume from */
  killAfterMs?: number;
  /**
   * worker threads of `workerScript` the caller started ahead of the pool (a process that knows
   * early that it will compute starts one before it loads the engine, so the thread's start-up
   * overlaps its own); the pool adopts them as its first workers, unref'd or not. One that has
   * already exited is dropped; those beyond `size` are terminated.
   */
  threads?: Worker[];
  /** in-thread runner for size 0 */
  inline?: (req: JobRequest, signal: AbortSignal, onProgress: (p: JobProgress) => void) => Promise<Omit<JobResult, 'worker'>>;
}

export interface PoolStats {
  spawned: number;
  terminated: number;
  /** most jobs running at once */
  maxBusy: number;
  /** distinct worker ids that ran at least one job */
  workersUsed: Set<number>;
  completed: number;
  cancelled: number;
  /** progress posts handled, the records they carried, and the ms this thread spent on them
   *  (appending to the job's buffer and the listeners); `rejected`: posts that did not continue
   *  what the buffer held (dropped, with the last reason) */
  progress: { posts: number; records: number; ms: number; rejected: number; lastRejected: string | null };
}

interface Slot {
  id: number;
  worker: Worker;
  job: PendingJob | null;
  exited: boolean;
}

interface PendingJob {
  id: number;
  req: JobRequest;
  onProgress: (p: StreamedProgress) => void;
  /** the job's records so far */
  buffer: TrajectoryBuffer;
  resolve: (r: JobResult) => void;
  release: (x: Released) => void;
  settled: boolean;
  cancelledAt: number | null;
  slot: Slot | null;
  killTimer: NodeJS.Timeout | null;
  /** shared with the worker: set to 1 the moment the job is cancelled */
  flag: Int32Array;
}

/**
 * A worker acknowledges a cancel as soon as its stepping loop next polls the shared flag (well
 * under a millisecond of computing); what delays the acknowledgement is this thread, busy or
 * descheduled on a loaded machine. Seconds, then: a terminated worker loses the state the run
 * reached, and the run would start over from an earlier point.
 */
export const DEFAULT_KILL_AFTER_MS = 5000;

export function defaultPoolSize(): number {
  return Math.max(1, availableParallelism());
}

const cancelledResult = (worker: number): JobResult => ({
  status: 'cancelled', message: 'cancelled', divergedAt: null, lastFiniteStep: null, notes: [],
  trajectory: { step: [], time: [], metrics: {} }, theory: {}, checkpoint: null, stepsDone: 0,
  startStep: 0, stepsExecuted: 0, checkpointStep: null, worker, ms: 0,
});

export class WorkerPool {
  readonly size: number;
  /** why the pool runs in this thread although workers were asked for, or null */
  readonly fallback: string | null = null;
  readonly stats: PoolStats = { spawned: 0, terminated: 0, maxBusy: 0, workersUsed: new Set(), completed: 0, cancelled: 0, progress: { posts: 0, records: 0, ms: 0, rejected: 0, lastRejected: null } };
  private readonly script: string;
  private readonly killAfterMs: number;
  private readonly slots: Slot[] = [];
  private readonly queue: PendingJob[] = [];
  private nextJob = 1;
  private nextWorker = 0;
  private disposed = false;
  private inlineBusy = 0;

  constructor(private readonly opts: PoolOptions = {}) {
    this.script = opts.workerScript ?? defaultWorkerScript();
    let size = Math.max(0, Math.floor(opts.size ?? defaultPoolSize()));
    // no bundled worker next to us (an unusual layout): compute in this thread rather than fail
    if (size > 0 && !existsSync(this.script) && opts.inline) {
      this.fallback = `worker script not found (${this.script}): running in this thread`;
      size = 0;
    }
    this.size = size;
    this.killAfterMs = opts.killAfterMs ?? DEFAULT_KILL_AFTER_MS;
    // threadId is -1 once a thread has exited; one exiting later is an exit like any other
    for (const w of opts.threads ?? []) {
      if (this.slots.length < size && w.threadId !== -1) {
        w.ref();
        this.attach(w);
      } else void w.terminate();
    }
  }

  /** live worker threads */
  get threads(): number {
    return this.slots.filter((s) => !s.exited).length;
  }
  get busy(): number {
    return this.slots.filter((s) => s.job).length + this.inlineBusy;
  }
  get queued(): number {
    return this.queue.length;
  }

  /** Spawns the workers ahead of the first job, so the first partial result is not delayed by start-up. */
  warm(n = this.size): void {
    while (this.slots.length < Math.min(n, this.size) && !this.disposed) this.spawn();
  }

  submit(req: JobRequest, onProgress: (p: StreamedProgress) => void = () => {}): Job {
    if (this.disposed) throw new Error('pool disposed');
    let resolve!: (r: JobResult) => void;
    let release!: PendingJob['release'];
    const done = new Promise<JobResult>((r) => (resolve = r));
    const released = new Promise<Released>((r) => (release = r));
    const flag = new Int32Array(new SharedArrayBuffer(4));
    const job: PendingJob = { id: this.nextJob++, req, onProgress, buffer: new TrajectoryBuffer(), resolve, release, settled: false, cancelledAt: null, slot: null, killTimer: null, flag };
    if (this.size === 0) this.runInline(job);
    else {
      this.queue.push(job);
      this.pump();
    }
    return { id: job.id, done, released, cancel: () => this.cancel(job) };
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    for (const j of this.queue.splice(0)) this.settle(j, cancelledResult(-1), true);
    await Promise.all(
      this.slots.map(async (s) => {
        if (s.job) this.settle(s.job, cancelledResult(s.id), true);
        if (!s.exited) {
          s.exited = true;
          this.stats.terminated++;
          await s.worker.terminate();
        }
      }),
    );
    this.slots.length = 0;
  }

  // ---- internals ----

  private spawn(): Slot {
    return this.attach(new Worker(this.script));
  }

  private attach(worker: Worker): Slot {
    const slot: Slot = { id: this.nextWorker++, worker, job: null, exited: false };
    this.stats.spawned++;
    worker.on('message', (m: FromWorker) => this.onMessage(slot, m));
    worker.on('error', (e) => this.onExit(slot, `worker error: ${e instanceof Error ? e.message : String(e)}`));
    worker.on('exit', () => this.onExit(slot, 'worker exited'));
    this.slots.push(slot);
    return slot;
  }

  private pump(): void {
    if (this.disposed) return;
    while (this.queue.length) {
      let slot = this.slots.find((s) => !s.exited && !s.job);
      if (!slot) {
        const live = this.slots.filter((s) => !s.exited);
        if (live.length >= this.size) return;
        slot = this.spawn();
      }
      const job = this.queue.shift()!;
      job.slot = slot;
      slot.job = job;
      this.stats.workersUsed.add(slot.id);
      this.stats.maxBusy = Math.max(this.stats.maxBusy, this.busy);
      const msg: ToWorker = { type: 'run', job: job.id, ...job.req, cancel: job.flag };
      slot.worker.postMessage(msg);
    }
  }

  private onMessage(slot: Slot, m: FromWorker): void {
    const job = slot.job;
    if (!job || job.id !== m.job) return; // a late message of a job already replaced
    if (m.type === 'progress') {
      if (!job.settled) this.progress(job, m.step, m.steps, m.from === 0, (b) => b.append(m.trajectory, m.from), m.trajectory?.step?.length ?? 0);
      return;
    }
    const { type: _t, job: _j, ...rest } = m as FromWorker & { type: 'done' | 'error' };
    const result: JobResult =
      m.type === 'done'
        ? { ...(rest as Omit<JobResult, 'worker'>), worker: slot.id }
        : { ...cancelledResult(slot.id), status: 'error', message: (m as { message: string }).message };
    this.free(slot, job, false, result);
    this.settle(job, result, false);
    this.stats.completed++;
    this.pump();
  }

  /**
   * A progress report: `add` appends its records to the job's buffer. A runner that starts its
   * trajectory over (`restart`) gets a new buffer: the reports already handed out keep theirs.
   */
  private progress(job: PendingJob, step: number, steps: number, restart: boolean, add: (b: TrajectoryBuffer) => string | null, records: number): void {
    const t0 = performance.now();
    const st = this.stats.progress;
    if (restart && job.buffer.length > 0) job.buffer = new TrajectoryBuffer();
    const why = add(job.buffer);
    st.posts++;
    if (why) {
      st.rejected++;
      st.lastRejected = why;
    } else {
      st.records += records;
      job.onProgress({ step, steps, records: job.buffer.length, buffer: job.buffer });
    }
    st.ms += performance.now() - t0;
  }

  private onExit(slot: Slot, reason: string): void {
    if (slot.exited && !slot.job) return;
    const wasExited = slot.exited;
    slot.exited = true;
    const job = slot.job;
    if (job) {
      this.free(slot, job, true);
      this.settle(job, { ...cancelledResult(slot.id), status: job.cancelledAt !== null ? 'cancelled' : 'error', message: job.cancelledAt !== null ? 'cancelled' : reason }, false);
    }
    const i = this.slots.indexOf(slot);
    if (i >= 0) this.slots.splice(i, 1);
    if (!wasExited) this.stats.terminated++;
    this.pump();
  }

  private free(slot: Slot, job: PendingJob, terminated: boolean, result: JobResult | null = null): void {
    if (job.killTimer) clearTimeout(job.killTimer);
    slot.job = null;
    job.release({ ms: job.cancelledAt === null ? 0 : performance.now() - job.cancelledAt, terminated, result });
  }

  private settle(job: PendingJob, r: JobResult, released: boolean): void {
    if (released) job.release({ ms: job.cancelledAt === null ? 0 : performance.now() - job.cancelledAt, terminated: true, result: null });
    if (job.settled) return;
    job.settled = true;
    job.resolve(r);
  }

  private cancel(job: PendingJob): void {
    if (job.settled) return;
    job.cancelledAt = performance.now();
    // first: the worker sees it at its next poll, whatever this thread does next
    Atomics.store(job.flag, 0, 1);
    this.stats.cancelled++;
    const qi = this.queue.indexOf(job);
    if (qi >= 0) {
      this.queue.splice(qi, 1);
      this.settle(job, cancelledResult(-1), true);
      return;
    }
    if (this.size === 0) {
      this.inlineAborts.get(job.id)?.abort();
      this.settle(job, cancelledResult(-1), false);
      return;
    }
    const slot = job.slot;
    this.settle(job, cancelledResult(slot?.id ?? -1), false);
    if (!slot || slot.exited) return;
    // also by message: a worker bundled without the flag's poll still stops
    slot.worker.postMessage({ type: 'cancel', job: job.id } satisfies ToWorker);
    // not acknowledged in time (a long uninterruptible step): terminate the thread — unless the
    // acknowledgement is already waiting to be read (queuedIo.ts)
    job.killTimer = setTimeout(() => afterQueuedIo(() => {
      if (slot.job !== job || slot.exited) return;
      slot.exited = true;
      this.stats.terminated++;
      const i = this.slots.indexOf(slot);
      if (i >= 0) this.slots.splice(i, 1);
      slot.worker.terminate().then(() => {
        if (slot.job === job) this.free(slot, job, true);
        this.pump();
      });
    }), this.killAfterMs);
  }

  private inlineAborts = new Map<number, AbortController>();

  private runInline(job: PendingJob): void {
    const run = this.opts.inline;
    if (!run) {
      this.settle(job, { ...cancelledResult(-1), status: 'error', message: 'no in-thread runner configured' }, true);
      return;
    }
    const ac = new AbortController();
    this.inlineAborts.set(job.id, ac);
    this.inlineBusy++;
    this.stats.workersUsed.add(-1);
    this.stats.maxBusy = Math.max(this.stats.maxBusy, this.inlineBusy);
    // a runner that throws before returning its promise fails its job like one that rejects
    // an in-thread runner reports its whole trajectory: the buffer takes the records beyond its own
    const onProgress = (p: JobProgress) => {
      if (job.settled) return;
      const n = job.buffer.length;
      const t = p.trajectory;
      const restart = n > 0 && (t.step.length < n || t.step[n - 1] !== job.buffer.step[n - 1]);
      this.progress(job, p.step, p.steps, restart, (b) => b.extend(t), t.step.length - (restart ? 0 : n));
    };
    void new Promise<Omit<JobResult, 'worker'>>((res) => res(run(job.req, ac.signal, onProgress)))
      .then(
        (r) => ({ ...r, worker: -1 }),
        (e) => ({ ...cancelledResult(-1), status: 'error' as const, message: e instanceof Error ? e.message : String(e) }),
      )
      .then((r) => {
        this.inlineBusy--;
        this.inlineAborts.delete(job.id);
        job.release({ ms: job.cancelledAt === null ? 0 : performance.now() - job.cancelledAt, terminated: false, result: r });
        this.settle(job, r, false);
        this.stats.completed++;
      });
  }
}
