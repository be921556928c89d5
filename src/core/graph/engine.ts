// The reactive engine: one per process (language server or CLI), any number of documents.
//
// Design (Salsa's memo/backdating, Observable's
// demand-driven compute and stale versions, marimo's "no action at a distance"):
//   * each document revision lowers the checked program (src/core/lower.ts) into run nodes and
//     plot nodes; a run's key is the hash of its RunSpec, so identity is content, not name;
//   * an offshoot's key is instead the hash of its own spec and of its parent's final state
//     (keys.ts offshootKeys, state.ts), known once the parent has settled: a parent edit that
//     leaves that state bit-identical (a noise seed full-batch GD never draws from, the size of
//     its test set) finds the offshoot memoised, and it is reused rather than executed;
//   * demand: only runs that some plot draws (plus their offshoot parents) are computed,
//     unless the caller asks for every run (run-now, CLI);
//   * a run is taken, in order, from the memory cache, the disk cache, an in-flight job with the
//     same key (from an earlier revision or another document), the cached state of the same
//     run at fewer steps (resume) or more steps (slice), and only then executed on the pool;
//   * after a run executes, if its value hash equals the previous value of the same node the
//     node is *backdated* (early cutoff): plots keyed on their runs' value hashes stay reused;
//   * a new revision cancels every in-flight job whose key no document still wants; results
//     stream as ResultsMessages (uri, revision, final) at most every `emitIntervalMs`.
// Every decision is appended to `log` (executed / reused / backdated / cancelled / ...), which the
// tests assert on.
//
// This file is the façade; the parts are
//   runStore.ts — run values found without computing: memory, disk, prefix index, partial states
//   resolver.ts — run resolution, in the order above
//   jobs.ts     — jobs in flight (shared by key), cancelled when no revision wants them
//   sessions.ts — document sessions: revisions, node states, streamed results
//   events.ts   — listeners and the decision log
import type { CheckedProgram } from '../program';
import type { ResultsMessage, StatusMessage } from '../wire/protocol';
import type { ClaimResult, ResultsDoc } from '../wire/results';
import { EngineEvents, ExecLog, type Events, type ExecEvent, type Listener } from './events';
import { Jobs } from './jobs';
import { DEFAULT_KILL_AFTER_MS, WorkerPool, type PoolOptions } from './pool';
import { Resolver } from './resolver';
import { runJob } from './runJob';
import { RunStore } from './runStore';
import { Sessions, type DocState, type SessionOptions } from './sessions';
import type { MemoryCache } from './memoryCache';
import type { DiskCache } from './diskCache';
import { joinTrajectories, type RunValue } from './runValue';
import { afterQueuedIo } from './queuedIo';

export type { ExecEvent, ExecEventKind } from './events';

export interface EngineOptions {
  /** worker threads; default os.availableParallelism(); 0 = run in this thread */
  workers?: number;
  /** bundled worker entry (dist/worker.js); default: next to the running bundle */
  workerScript?: string;
  /** folder of the persistent cache, or null for none */
  cacheDir?: string | null;
  /** neither read nor write the disk cache */
  noCache?: boolean;
  /** a run estimated above these is refused (default: numeric/estimate.ts LIMITS; the CLI's --max-time, --max-memory) */
  limits?: { bytes: number; seconds: number };
  memoryMB?: number;
  diskMB?: number;
  /** how often workers report partial trajectories */
  progressIntervalMs?: number;
  /** least interval between two streamed results messages of a document */
  emitIntervalMs?: number;
  /** worker threads started ahead of the engine (pool.ts PoolOptions.threads) */
  threads?: PoolOptions['threads'];
  /** in-thread runner, used when workers = 0 */
  inline?: PoolOptions['inline'];
  /** terminate a worker that has not acknowledged a cancel after this many ms (default: pool.ts
   *  DEFAULT_KILL_AFTER_MS, seconds; a terminated worker hands back no state to resume from) */
  killAfterMs?: number;
  /**
   * the first revision of a document in this engine is max(1, revisionBase()); later ones count
   * up by one, also across close() and reopen. Receivers drop revisions older than the newest
   * they saw, so a process that outlives another (a restarted language server) must start above
   * it: the server passes a clock. Default: 1.
   */
  revisionBase?: () => number;
}

export type UpdateOptions = SessionOptions;

export class Engine {
  readonly log: ExecEvent[];
  readonly pool: WorkerPool;
  readonly memory: MemoryCache<RunValue>;
  readonly disk: DiskCache | null;
  private readonly events = new EngineEvents();
  private readonly execLog = new ExecLog();
  private readonly store: RunStore;
  private readonly jobs: Jobs;
  private readonly sessions: Sessions;
  private readonly resolver: Resolver;
  /** how long a cancel waits for a stopped job's last records (its kill timer, and a margin) */
  private readonly stopWaitMs: number;

  constructor(opts: EngineOptions = {}) {
    this.log = this.execLog.events;
    this.pool = new WorkerPool({ size: opts.workers, workerScript: opts.workerScript, threads: opts.threads, inline: opts.inline ?? runJob, killAfterMs: opts.killAfterMs });
    this.store = new RunStore(opts);
    this.memory = this.store.memory;
    this.disk = this.store.disk;
    this.jobs = new Jobs(this.pool, this.store, this.events, opts.progressIntervalMs ?? 100);
    this.sessions = new Sessions(this.events, this.execLog, this.store, opts.emitIntervalMs ?? 100, opts.revisionBase ?? (() => 1));
    // a worker acknowledges a cancel (within about a millisecond of computing, through the shared
    // flag) or is terminated after killAfterMs. What waits for that is bounded by a second: a run
    // of the same spec resumes from the cancelled one's state, and a cancelled revision's final
    // message carries its last records, unless this thread is so far behind that they are not in
    // yet. An in-thread runner that ignored its signal is not waited for longer.
    const stopWaitMs = Math.min(opts.killAfterMs ?? DEFAULT_KILL_AFTER_MS, 1000) + 100;
    this.stopWaitMs = stopWaitMs;
    this.resolver = new Resolver(this.sessions, this.store, this.jobs, this.execLog, this.events, (prev) => this.cancelUnwanted(prev), stopWaitMs, opts.limits);
  }

  on<K extends keyof Events>(event: K, fn: Listener<Events[K]>): () => void {
    return this.events.on(event, fn);
  }

  /** Spawn the worker threads now rather than at the first run. */
  warm(): void {
    this.pool.warm();
  }

  /**
   * A new revision of a document: lower it, reuse what is memoised, cancel what is no longer
   * wanted, start what is missing. Returns the revision number.
   */
  update(uri: string, program: CheckedProgram, opts: UpdateOptions = {}): number {
    if (this.sessions.disposed) throw new Error('engine disposed');
    const { doc, prev } = this.sessions.open(uri, program, opts);
    // what the previous revision was computing and this one no longer wants
    this.cancelUnwanted(prev);
    for (const id of doc.slots.keys()) void this.resolver.resolve(doc, id);
    this.sessions.built(doc);
    return doc.revision;
  }

  /**
   * Run every run of a document to completion (the CLI's entry point): resolves with the final
   * results document of this revision. Aborting the signal cancels the document's work.
   */
  async run(
    uri: string,
    program: CheckedProgram,
    opts: { signal?: AbortSignal; file?: string; runAll?: boolean; only?: ReadonlySet<string> | null } = {},
  ): Promise<ResultsDoc> {
    const rev = this.update(uri, program, { mode: 'run', runAll: opts.runAll ?? true, file: opts.file, only: opts.only });
    const onAbort = () => this.cancel(uri);
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      if (opts.signal?.aborted) this.cancel(uri);
      return (await this.whenFinal(uri, rev)).doc;
    } finally {
      opts.signal?.removeEventListener('abort', onAbort);
    }
  }

  /** The final results message of a revision (or of a later one, if it is superseded). */
  whenFinal(uri: string, revision?: number): Promise<ResultsMessage> {
    return this.sessions.whenFinal(uri, revision);
  }

  /** What streaming has cost this thread so far (benchmarks): worker progress posts handled
   *  (pool.ts) and partial messages built and sent (sessions.ts). */
  streamCost(): { posts: number; postRecords: number; postMs: number; partials: number; buildMs: number; notifyMs: number } {
    const p = this.pool.stats.progress;
    const s = this.sessions.streamCost;
    return { posts: p.posts, postRecords: p.records, postMs: p.ms, partials: s.partials, buildMs: s.buildMs, notifyMs: s.notifyMs };
  }

  /** Last known results of a document: the newest message, else the disk cache's last final document. */
  getResults(uri: string): ResultsMessage | null {
    const doc = this.sessions.get(uri);
    if (doc?.lastMessage) return doc.lastMessage;
    const d = this.disk?.getDoc(uri);
    return d ? { uri, revision: 0, final: true, doc: d } : null;
  }

  /** The claims of the document's last final results (kept while a newer revision computes),
   *  else those of the disk cache's last final document. */
  getClaims(uri: string): ClaimResult[] | null {
    const doc = this.sessions.get(uri);
    if (doc?.lastClaims) return doc.lastClaims;
    if (doc?.lastMessage?.final) return doc.lastMessage.doc.claims ?? null;
    return this.disk?.getDoc(uri)?.claims ?? null;
  }

  /**
   * Status of an edited, not yet computed version of a document (runOn = save): nodes whose
   * value is neither current nor memoised show as 'stale'. Sent to status listeners under the
   * current revision; nothing is computed or cancelled.
   */
  markStale(uri: string, program: CheckedProgram): StatusMessage | null {
    const doc = this.sessions.get(uri);
    if (!doc) return null;
    const st = this.sessions.staleStatus(doc, program);
    this.events.notify('status', st);
    return st;
  }

  getStatus(uri: string): StatusMessage | null {
    const doc = this.sessions.get(uri);
    return doc ? this.sessions.status(doc) : null;
  }

  /**
   * Cancel the in-flight work of one document (or of all): its unfinished runs end 'cancelled'
   * and keep the trajectory they computed. The final message waits (≤ stopWaitMs) for each
   * stopped job to hand back its last records, which are newer than its last progress message.
   */
  cancel(uri?: string): void {
    for (const doc of this.sessions.all()) {
      if (uri !== undefined && doc.uri !== uri) continue;
      const running = this.sessions.cancelRuns(doc).flatMap((slot) => {
        const f = slot.key ? this.jobs.get(slot.key) : undefined;
        return f ? [{ slot, f }] : [];
      });
      this.cancelUnwanted(doc);
      // a job another document still wants goes on: this one keeps its last progress
      for (const { slot, f } of running) {
        if (this.jobs.get(f.key) === f) continue;
        let timer: ReturnType<typeof setTimeout> | undefined;
        const timeout = new Promise<null>((r) => (timer = setTimeout(() => afterQueuedIo(() => r(null)), this.stopWaitMs)));
        const last = Promise.race([f.job.released.then((r) => r.result), timeout]).then((r) => {
          clearTimeout(timer);
          if (!r || r.status !== 'cancelled') return null;
          const steps = f.spec.steps;
          const trajectory = f.prefix ? joinTrajectories(f.prefix.trajectory, r.trajectory, steps, f.spec.record) : r.trajectory;
          return { step: r.stepsDone, steps, trajectory };
        });
        this.sessions.collectCancelled(doc, slot, last);
      }
      this.sessions.scheduleEmit(doc);
    }
  }

  close(uri: string): void {
    const doc = this.sessions.close(uri);
    if (doc) this.cancelUnwanted(doc);
  }

  clearLog(): void {
    this.log.length = 0;
  }

  async dispose(): Promise<void> {
    this.sessions.dispose();
    this.jobs.cancelAll();
    await this.pool.dispose();
  }

  /** Cancels every in-flight job whose key no current revision of any document wants. */
  private cancelUnwanted(prev: DocState | null): void {
    this.jobs.cancelUnwanted(
      this.sessions.wantedKeys(),
      (key, f) => {
        // log against the node(s) of the superseded revision that were waiting for it, else
        // against the node that started it
        const nodes = prev ? [...prev.slots.values()].filter((s) => s.key === key).map((s) => s.run.id) : [];
        return nodes.length
          ? nodes.map((node) => this.execLog.add({ uri: prev!.uri, revision: prev!.revision, node, kind: 'run', key, event: 'cancelled' }))
          : [this.execLog.add({ ...f.owner, kind: 'run', key, event: 'cancelled' })];
      },
      prev?.uri ?? null,
    );
  }
}
