// The jobs in flight: one per run key, shared by every node (of any revision or document) that
// wants that key; cancelled once no current revision wants it, its final state then kept as a
// point to resume from.
import type { RunSpec } from '../spec';
import type { LoweredRun } from '../lower';
import type { EngineEvents, ExecEvent } from './events';
import type { Job, JobResult, WorkerPool } from './pool';
import { prefixJoin } from './prefixJoin';
import type { StreamedProgress } from './trajectoryBuffer';
import type { RunStore } from './runStore';
import { joinTrajectories, makeRunValue, type RunValue } from './runValue';

export interface Inflight {
  key: string;
  job: Job;
  progress: StreamedProgress | null;
  listeners: Set<(p: StreamedProgress) => void>;
  value: Promise<RunValue | null>;
  /** cached trajectory this job resumes from, joined to partial trajectories */
  prefix: RunValue | null;
  spec: RunSpec;
  prefixKey: string;
  /** for an offshoot, the key of the spec that started it (LoweredRun.key, its parent's spec
   *  included): a revision whose offshoot of that very spec still waits for its parent keeps the
   *  job (a plot edit while it runs), until the parent's state gives the offshoot its key */
  exact: string | null;
  /** the node that started it, for the log when a later sweep cancels it */
  owner: { uri: string; revision: number; node: string };
  /** an offshoot's starting state (its partial state is not kept) */
  initFrom: Uint8Array | null;
  /** its execution has been logged */
  logged: boolean;
  /** what the job reported doing, once it completed */
  outcome: { startStep: number; stepsExecuted: number } | null;
}

export class Jobs {
  private readonly inflight = new Map<string, Inflight>();
  /** spec key of an offshoot → the (state) keys of its jobs in flight */
  private readonly inflightExact = new Map<string, Set<string>>();
  /** prefix key → settles when a job of that spec being cancelled has stopped */
  private readonly stopping = new Map<string, Promise<void>>();

  constructor(
    readonly pool: WorkerPool,
    private readonly store: RunStore,
    private readonly events: EngineEvents,
    private readonly progressIntervalMs: number,
  ) {}

  get(key: string): Inflight | undefined {
    return this.inflight.get(key);
  }

  /** Settles when a job of this spec being cancelled right now has stopped. */
  stoppingFor(prefixKey: string): Promise<void> | undefined {
    return this.stopping.get(prefixKey);
  }

  /** Whether a job of this offshoot spec is kept in flight under another key than `key`. */
  hasOtherExact(exact: string, key: string | null): boolean {
    const s = this.inflightExact.get(exact);
    return !!s && [...s].some((k) => k !== key);
  }

  /**
   * Cancels every job whose key is not wanted (nor, for an offshoot still waiting for its parent,
   * `spec:` its spec key). `cancelled` logs the cancellation and returns the events, which get the
   * release time once the thread is free again.
   */
  cancelUnwanted(wanted: Set<string>, cancelled: (key: string, f: Inflight) => ExecEvent[], uri: string | null): void {
    for (const [key, f] of [...this.inflight]) {
      if (wanted.has(key) || (f.exact && wanted.has(`spec:${f.exact}`))) continue;
      this.drop(f);
      f.job.cancel();
      const evs = cancelled(key, f);
      const stopped: Promise<void> = f.job.released
        .then((r) => {
          for (const ev of evs) {
            ev.releaseMs = r.ms;
            ev.terminated = r.terminated;
          }
          this.store.keepPartial(f, r.result);
        })
        .catch((e) => this.events.reportError(e, 'keeping the state of a cancelled run failed', uri))
        .finally(() => {
          if (this.stopping.get(f.prefixKey) === stopped) this.stopping.delete(f.prefixKey);
        });
      this.stopping.set(f.prefixKey, stopped);
    }
  }

  start(run: LoweredRun, key: string, prefixKey: string, prefix: RunValue | null, initFrom: Uint8Array | null, owner: Inflight['owner']): Inflight {
    const listeners = new Set<(p: StreamedProgress) => void>();
    const join = prefix ? prefixJoin(prefix.trajectory, run.spec.steps, run.spec.record) : null;
    // registered before submitting: an in-thread runner may report progress synchronously
    const f: Inflight = {
      key, job: null as unknown as Job, progress: null, listeners, value: null as unknown as Promise<RunValue | null>, prefix, spec: run.spec, prefixKey,
      exact: run.own ? run.key : null, owner, initFrom, logged: false, outcome: null,
    };
    this.add(f);
    let job: Job;
    try {
      job = this.pool.submit(
        // an offshoot's cached checkpoints may be stamped with an equivalent spec's key: vouch for them
        { spec: run.spec, resume: prefix?.checkpoint ?? null, initFrom, progressIntervalMs: this.progressIntervalMs, ...(run.own ? { restamp: true } : {}) },
        (p) => {
          // called from the runner (or a worker's message handler): a throw here would fail the
          // run inside the core, or be uncaught; partial results are only a view
          try {
            const full = join ? join(p) : p;
            f.progress = full;
            for (const l of listeners) l(full);
          } catch (e) {
            this.events.reportError(e, `partial results of a run failed`, null);
          }
        },
      );
    } catch (e) {
      // no job behind this entry: a later cancelUnwanted would call cancel() on nothing
      this.drop(f);
      throw e;
    }
    const value = job.done.then((r: JobResult): RunValue | null => {
      this.drop(f);
      if (r.status === 'cancelled') return null;
      f.outcome = { startStep: r.startStep, stepsExecuted: r.stepsExecuted };
      const trajectory = prefix ? joinTrajectories(prefix.trajectory, r.trajectory, run.spec.steps, run.spec.record) : r.trajectory;
      const v = makeRunValue({
        key, prefixKey, steps: run.spec.steps, record: run.spec.record,
        status: r.status, message: r.message, divergedAt: r.divergedAt, lastFiniteStep: r.lastFiniteStep, notes: r.notes, trajectory, theory: r.theory,
        stepsDone: r.stepsDone, checkpoint: r.checkpoint, stateHash: r.status === 'done' && r.checkpoint ? r.stateHash ?? null : null,
      });
      if (v.status !== 'error') this.store.remember(v, true);
      return v;
    });
    f.job = job;
    f.value = value;
    return f;
  }

  /** Cancel everything (the engine is disposed). */
  cancelAll(): void {
    for (const f of this.inflight.values()) f.job.cancel();
    this.inflight.clear();
    this.inflightExact.clear();
  }

  private add(f: Inflight): void {
    this.inflight.set(f.key, f);
    if (!f.exact) return;
    let s = this.inflightExact.get(f.exact);
    if (!s) this.inflightExact.set(f.exact, (s = new Set()));
    s.add(f.key);
  }

  private drop(f: Inflight): void {
    if (this.inflight.get(f.key) !== f) return;
    this.inflight.delete(f.key);
    const s = f.exact ? this.inflightExact.get(f.exact) : undefined;
    if (s && (s.delete(f.key), s.size === 0)) this.inflightExact.delete(f.exact!);
  }
}
