// The reactive engine: one per process (language server or CLI), any number of documents.
//
// Design (Salsa's memo/backdating, Observable's
// demand-driven compute and stale versions, marimo's "no action at a distance"):
//   * each document revision lowers the checked program (src/core/lower.ts) into run nodes and
//     plot nodes; a run's key is the hash of its RunSpec, so identity is content, not name;
//   * an offshoot's key is instead the hash of its own spec and of its parent's final state
//     (lower.ts offshootKeys, state.ts), known once the parent has settled: a parent edit that
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
import type { CheckedProgram, Diagnostic } from '../program';
import type { ResultsMessage, StatusMessage } from '../wire/protocol';
import type { ResultsDoc, Trajectory } from '../wire/results';
import type { RunSpec } from '../spec';
import { lowerProgram, offshootKeys, type LoweredPlot, type LoweredProgram, type LoweredRun } from '../lower';
import { hashOf } from '../keys';
import { stateHashOfBytes } from './state';
import { MemoryCache } from './memoryCache';
import { DiskCache } from './diskCache';
import { WorkerPool, type Job, type JobProgress, type JobResult, type PoolOptions } from './pool';
import { runJob } from './runJob';
import { estimateCost, LIMITS } from '../numeric/estimate';
import { buildResultsDoc, demandedRuns, nodeStatuses, runtimeDiagnostics, type Slot, type SlotState } from './report';
import { joinTrajectories, makeRunValue, runValueBytes, sliceTrajectory, type RunValue } from './runValue';

export interface EngineOptions {
  /** worker threads; default os.availableParallelism(); 0 = run in this thread */
  workers?: number;
  /** bundled worker entry (dist/worker.js); default: next to the running bundle */
  workerScript?: string;
  /** folder of the persistent cache, or null for none */
  cacheDir?: string | null;
  /** neither read nor write the disk cache */
  noCache?: boolean;
  memoryMB?: number;
  diskMB?: number;
  /** how often workers report partial trajectories */
  progressIntervalMs?: number;
  /** least interval between two streamed results messages of a document */
  emitIntervalMs?: number;
  /** in-thread runner, used when workers = 0 */
  inline?: PoolOptions['inline'];
  /** terminate a worker that has not acknowledged a cancel after this many ms */
  killAfterMs?: number;
  /**
   * the first revision of a document in this engine is max(1, revisionBase()); later ones count
   * up by one, also across close() and reopen. Receivers drop revisions older than the newest
   * they saw, so a process that outlives another (a restarted language server) must start above
   * it: the server passes a clock. Default: 1.
   */
  revisionBase?: () => number;
}

export type ExecEventKind =
  | 'executed' // computed from scratch (or resumed: see `fromStep`)
  | 'reused' // memoised value taken (see `source`)
  | 'backdated' // executed, value identical to the node's previous value: dependents keep theirs
  | 'sliced' // cut from a cached longer run
  | 'joined' // attached to a job already in flight for the same key
  | 'cancelled'
  | 'blocked'
  | 'failed';

export interface ExecEvent {
  seq: number;
  uri: string;
  revision: number;
  node: string;
  kind: 'run' | 'plot';
  key: string;
  event: ExecEventKind;
  source?: 'memory' | 'disk' | 'inflight';
  /** steps the stepping core reports it stepped in this execution */
  steps?: number;
  /** the step the stepping core reports it started from, when it resumed (for 'sliced': the
   *  length of the cached run cut from) */
  fromStep?: number;
  /** for 'cancelled': ms from the cancel request until the thread was free again */
  releaseMs?: number;
  terminated?: boolean;
  worker?: number;
  message?: string | null;
  t: number;
}

export interface UpdateOptions {
  /** 'run': compute what is demanded; 'cached': show only what is cached, start nothing */
  mode?: 'run' | 'cached';
  /** demand every run, not only the plotted ones */
  runAll?: boolean;
  /** the `file` field of the results document */
  file?: string;
  /** demand exactly these run ids (and the runs they continue from), e.g. a CLI shard */
  only?: ReadonlySet<string> | null;
}

type Listener<T> = (x: T) => void;
interface Events {
  results: ResultsMessage;
  status: StatusMessage;
  diagnostics: { uri: string; diagnostics: Diagnostic[] };
  /** an exception in the engine's own bookkeeping or in a listener, contained (the run it hit
   *  ends in error); with no listener it goes to console.error */
  error: { uri: string | null; message: string; error: unknown };
}

interface Inflight {
  key: string;
  job: Job;
  progress: JobProgress | null;
  listeners: Set<(p: JobProgress) => void>;
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

interface DocState {
  uri: string;
  file: string;
  revision: number;
  program: CheckedProgram;
  lowered: LoweredProgram;
  mode: 'run' | 'cached';
  runAll: boolean;
  demanded: Set<string>;
  slots: Map<string, Slot>;
  runPromises: Map<string, Promise<RunValue | null>>;
  /** ids of demanded runs that an offshoot continues from (their final state is needed) */
  parents: Set<string>;
  /** slots not yet settled, and settled as 'stale' (counters keep each settle O(plots of the run)) */
  unsettled: number;
  stale: number;
  /** per plot: how many of its runs it still waits for; per run: the plots drawing it */
  plotWait: Map<string, number>;
  plotsOfRun: Map<string, LoweredPlot[]>;
  plotsDone: Set<string>;
  /** last value of every run node id, across revisions: backdating compares with it */
  prevValue: Map<string, { key: string; valueHash: string }>;
  /** plot keys already computed for this document */
  plotKeys: Set<string>;
  lastEmit: number;
  emitTimer: NodeJS.Timeout | null;
  emitDue: number;
  /** ms the listeners took for the last message */
  emitCost: number;
  final: ResultsMessage | null;
  lastMessage: ResultsMessage | null;
  waiters: { revision: number; resolve: (m: ResultsMessage) => void }[];
  diagKey: string;
  /** true while update() sets the revision up: emits wait until it is complete */
  building: boolean;
}

/** least gap before a run's first partial result may be sent */
const FIRST_PARTIAL_GAP_MS = 16;

const emptyTrajectory = (): Trajectory => ({ step: [], time: [], metrics: {} });

export class Engine {
  readonly log: ExecEvent[] = [];
  readonly pool: WorkerPool;
  readonly memory: MemoryCache<RunValue>;
  readonly disk: DiskCache | null;
  private readonly docs = new Map<string, DocState>();
  private readonly inflight = new Map<string, Inflight>();
  /** prefix key → the state a cancelled job reached, and that job's horizon */
  private readonly partials = new Map<string, { value: RunValue; horizon: number }>();
  /** prefix key → settles when a job of that spec being cancelled has stopped */
  private readonly stopping = new Map<string, Promise<void>>();
  /** prefix key → keys of memoised runs sharing it (for resume / slice) */
  private readonly prefixIndex = new Map<string, Set<string>>();
  /** spec key of an offshoot → the (state) keys of its jobs in flight */
  private readonly inflightExact = new Map<string, Set<string>>();
  private readonly listeners: { [K in keyof Events]: Set<Listener<Events[K]>> } = { results: new Set(), status: new Set(), diagnostics: new Set(), error: new Set() };
  private seq = 0;
  /** last revision number given to each uri: kept when a document is closed */
  private readonly revisions = new Map<string, number>();
  private readonly revisionBase: () => number;
  private readonly progressIntervalMs: number;
  private readonly emitIntervalMs: number;
  private disposed = false;
  /** longest wait for a cancelled job of the same spec to hand back its state: a worker acknowledges
   *  or is terminated within killAfterMs; an in-thread runner that ignored its signal is not waited for */
  private readonly stopWaitMs: number;

  constructor(opts: EngineOptions = {}) {
    this.pool = new WorkerPool({ size: opts.workers, workerScript: opts.workerScript, inline: opts.inline ?? runJob, killAfterMs: opts.killAfterMs });
    this.memory = new MemoryCache<RunValue>((opts.memoryMB ?? 256) * 2 ** 20, runValueBytes);
    this.disk = opts.cacheDir && !opts.noCache ? new DiskCache(opts.cacheDir, (opts.diskMB ?? 256) * 2 ** 20) : null;
    this.progressIntervalMs = opts.progressIntervalMs ?? 100;
    this.emitIntervalMs = opts.emitIntervalMs ?? 100;
    this.stopWaitMs = (opts.killAfterMs ?? 30) + 100;
    this.revisionBase = opts.revisionBase ?? (() => 1);
  }

  on<K extends keyof Events>(event: K, fn: Listener<Events[K]>): () => void {
    this.listeners[event].add(fn);
    return () => this.listeners[event].delete(fn);
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
    if (this.disposed) throw new Error('engine disposed');
    const prev = this.docs.get(uri);
    const lowered = lowerProgram(program);
    const mode = opts.mode ?? 'run';
    const runAll = opts.runAll ?? false;
    const doc: DocState = {
      uri,
      file: opts.file ?? prev?.file ?? uri,
      revision: this.nextRevision(uri),
      program,
      lowered,
      mode,
      runAll,
      demanded: demandedRuns(lowered, runAll, opts.only ?? null),
      slots: new Map(),
      runPromises: new Map(),
      parents: new Set(),
      unsettled: 0,
      stale: 0,
      plotWait: new Map(),
      plotsOfRun: new Map(),
      plotsDone: new Set(),
      prevValue: prev?.prevValue ?? new Map(),
      plotKeys: prev && prev.plotKeys.size < 10_000 ? prev.plotKeys : new Set(),
      lastEmit: 0,
      emitTimer: null,
      emitDue: 0,
      emitCost: prev?.emitCost ?? 0,
      final: null,
      lastMessage: prev?.lastMessage ?? null,
      waiters: prev?.waiters ?? [],
      diagKey: prev?.diagKey ?? '',
      building: true,
    };
    if (prev?.emitTimer) clearTimeout(prev.emitTimer);
    this.docs.set(uri, doc);
    for (const r of lowered.runs) {
      if (!doc.demanded.has(r.id)) continue;
      doc.slots.set(r.id, { run: r, state: 'queued', value: null, partial: null, message: null, source: null, key: r.own ? null : r.key });
      if (r.parent) doc.parents.add(r.parent);
    }
    doc.unsettled = doc.slots.size;
    for (const p of lowered.plots) {
      // runs not demanded in this revision (an explicit `only` set) are not drawn
      const ids = p.runIds.filter((id) => doc.slots.has(id));
      doc.plotWait.set(p.id, ids.length);
      for (const id of ids) {
        const ps = doc.plotsOfRun.get(id);
        if (ps) ps.push(p);
        else doc.plotsOfRun.set(id, [p]);
      }
    }
    // what the previous revision was computing and this one no longer wants
    this.cancelUnwanted(prev ?? null);
    for (const id of doc.slots.keys()) void this.resolveRun(doc, id);
    doc.building = false;
    for (const p of lowered.plots) if (doc.plotWait.get(p.id) === 0) this.finishPlot(doc, p);
    this.scheduleEmit(doc);
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
    const doc = this.docs.get(uri);
    if (!doc) return Promise.reject(new Error(`unknown document ${uri}`));
    const rev = revision ?? doc.revision;
    if (doc.final && doc.final.revision >= rev) return Promise.resolve(doc.final);
    return new Promise((resolve) => doc.waiters.push({ revision: rev, resolve }));
  }

  /** Last known results of a document: the newest message, else the disk cache's last final document. */
  getResults(uri: string): ResultsMessage | null {
    const doc = this.docs.get(uri);
    if (doc?.lastMessage) return doc.lastMessage;
    const d = this.disk?.getDoc(uri);
    return d ? { uri, revision: 0, final: true, doc: d } : null;
  }

  /**
   * Status of an edited, not yet computed version of a document (runOn = save): nodes whose
   * value is neither current nor memoised show as 'stale'. Sent to status listeners under the
   * current revision; nothing is computed or cancelled.
   */
  markStale(uri: string, program: CheckedProgram): StatusMessage | null {
    const doc = this.docs.get(uri);
    if (!doc) return null;
    const lowered = lowerProgram(program);
    const slots = new Map<string, Slot>();
    const byId = new Map(lowered.runs.map((r) => [r.id, r]));
    const demanded = demandedRuns(lowered, doc.runAll, null);
    // parents first: an offshoot's key follows from its parent's memoised value
    const mark = (id: string): Slot | undefined => {
      const have = slots.get(id);
      if (have || !demanded.has(id)) return have;
      const run = byId.get(id)!;
      const cur = doc.slots.get(id);
      let slot: Slot;
      if (cur && cur.run.key === run.key) slot = cur;
      else {
        let key: string | null = run.key;
        if (run.own) {
          const pv = run.parent ? mark(run.parent)?.value : null;
          key = pv && pv.status === 'done' && pv.checkpoint ? offshootKeys(run.own, this.stateHash(pv)).key : null;
        }
        const v = (key && this.memory.peek(key)) || null;
        slot = { run, state: v ? 'done' : 'stale', value: v, partial: null, message: v ? null : 'edited: save to compute', source: v ? 'memory' : null, key };
      }
      slots.set(id, slot);
      return slot;
    };
    for (const id of demanded) mark(id);
    const plotsDone = new Set(lowered.plots.filter((p) => p.runIds.every((id) => slots.get(id)?.state !== 'stale')).map((p) => p.id));
    const st: StatusMessage = { uri, revision: doc.revision, nodes: nodeStatuses(lowered, slots, plotsDone) };
    this.notify('status', st);
    return st;
  }

  getStatus(uri: string): StatusMessage | null {
    const doc = this.docs.get(uri);
    return doc ? { uri, revision: doc.revision, nodes: nodeStatuses(doc.lowered, doc.slots, doc.plotsDone) } : null;
  }

  /** Cancel the in-flight work of one document (or of all): its unfinished runs end 'cancelled'. */
  cancel(uri?: string): void {
    for (const doc of this.docs.values()) {
      if (uri !== undefined && doc.uri !== uri) continue;
      for (const s of doc.slots.values()) {
        if (s.state === 'queued' || s.state === 'running') {
          s.message = 'cancelled';
          s.partial = null;
          this.markSettled(doc, s, 'cancelled');
        }
      }
      doc.demanded = new Set([...doc.slots.values()].filter((s) => s.state === 'done').map((s) => s.run.id));
      this.cancelUnwanted(doc);
      this.scheduleEmit(doc);
    }
  }

  close(uri: string): void {
    const doc = this.docs.get(uri);
    if (!doc) return;
    if (doc.emitTimer) clearTimeout(doc.emitTimer);
    this.docs.delete(uri);
    this.cancelUnwanted(doc);
  }

  clearLog(): void {
    this.log.length = 0;
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    for (const d of this.docs.values()) if (d.emitTimer) clearTimeout(d.emitTimer);
    for (const f of this.inflight.values()) f.job.cancel();
    this.inflight.clear();
    this.inflightExact.clear();
    await this.pool.dispose();
  }

  // ---------------------------------------------------------------------------------------

  private nextRevision(uri: string): number {
    const last = this.revisions.get(uri);
    let r: number;
    if (last !== undefined) r = last + 1;
    else {
      const base = Math.floor(this.revisionBase());
      r = Number.isFinite(base) ? Math.max(1, base) : 1;
    }
    this.revisions.set(uri, r);
    return r;
  }

  private logEvent(e: Omit<ExecEvent, 'seq' | 't'>): ExecEvent {
    const ev = { ...e, seq: ++this.seq, t: performance.now() };
    this.log.push(ev);
    if (this.log.length > 100_000) this.log.splice(0, 50_000);
    return ev;
  }

  /** keys of in-flight jobs some current revision wants; for an offshoot still waiting for its
   *  parent (its key unknown yet), `spec:` and its spec key. Not its own key: a job started from
   *  another parent spec is cancelled at once, as it always was, rather than hold a thread the
   *  edited parent may need */
  private wantedKeys(): Set<string> {
    const keys = new Set<string>();
    for (const d of this.docs.values()) {
      if (d.mode !== 'run') continue;
      for (const s of d.slots.values()) {
        if (s.state !== 'queued' && s.state !== 'running') continue;
        if (s.key) keys.add(s.key);
        else keys.add(`spec:${s.run.key}`);
      }
    }
    return keys;
  }

  private addInflight(f: Inflight): void {
    this.inflight.set(f.key, f);
    if (!f.exact) return;
    let s = this.inflightExact.get(f.exact);
    if (!s) this.inflightExact.set(f.exact, (s = new Set()));
    s.add(f.key);
  }

  private dropInflight(f: Inflight): void {
    if (this.inflight.get(f.key) !== f) return;
    this.inflight.delete(f.key);
    const s = f.exact ? this.inflightExact.get(f.exact) : undefined;
    if (s && (s.delete(f.key), s.size === 0)) this.inflightExact.delete(f.exact!);
  }

  /**
   * An offshoot slot has its key (or settled without one): a job of the same spec kept only for
   * it, from another parent state (normally there is none: the same parent spec ends in the same
   * state), is cancelled unless some revision wants it.
   */
  private sweepExact(exact: string, key: string | null): void {
    const s = this.inflightExact.get(exact);
    if (s && [...s].some((k) => k !== key)) this.cancelUnwanted(null);
  }

  /** Cancels every in-flight job whose key no current revision of any document wants. */
  private cancelUnwanted(prev: DocState | null): void {
    const wanted = this.wantedKeys();
    for (const [key, f] of [...this.inflight]) {
      if (wanted.has(key) || (f.exact && wanted.has(`spec:${f.exact}`))) continue;
      this.dropInflight(f);
      f.job.cancel();
      // log against the node(s) of the superseded revision that were waiting for it, else
      // against the node that started it
      const nodes = prev ? [...prev.slots.values()].filter((s) => s.key === key).map((s) => s.run.id) : [];
      const evs = nodes.length
        ? nodes.map((node) => this.logEvent({ uri: prev!.uri, revision: prev!.revision, node, kind: 'run', key, event: 'cancelled' }))
        : [this.logEvent({ ...f.owner, kind: 'run', key, event: 'cancelled' })];
      const stopped: Promise<void> = f.job.released
        .then((r) => {
          for (const ev of evs) {
            ev.releaseMs = r.ms;
            ev.terminated = r.terminated;
          }
          this.keepPartial(f, r.result);
        })
        .catch((e) => this.reportError(e, 'keeping the state of a cancelled run failed', prev?.uri ?? null))
        .finally(() => {
          if (this.stopping.get(f.prefixKey) === stopped) this.stopping.delete(f.prefixKey);
        });
      this.stopping.set(f.prefixKey, stopped);
    }
  }

  /** Keeps the final state of a cancelled job (the furthest per spec, a few dozen specs). */
  private keepPartial(f: Inflight, r: JobResult | null): void {
    // the core checkpoints a cancelled run at its last record, not at the step it reached: that
    // step, not stepsDone, is where a resume from it starts
    const at = r?.checkpointStep ?? null;
    if (!r || r.status !== 'cancelled' || !r.checkpoint || at === null || !(at > 0) || f.initFrom) return;
    const prev = this.partials.get(f.prefixKey);
    if (prev && prev.value.steps >= at) return;
    const value = makeRunValue({
      key: `partial:${f.key}`, prefixKey: f.prefixKey, steps: at, record: f.spec.record, status: 'cancelled', message: r.message,
      divergedAt: null, lastFiniteStep: null, notes: r.notes, trajectory: r.trajectory, theory: r.theory, stepsDone: at, checkpoint: r.checkpoint,
    });
    this.partials.delete(f.prefixKey);
    this.partials.set(f.prefixKey, { value, horizon: f.spec.steps });
    if (this.partials.size > 32) this.partials.delete(this.partials.keys().next().value as string);
  }

  private memoGet(key: string): { v: RunValue; source: 'memory' | 'disk' } | null {
    const m = this.memory.get(key);
    if (m) return { v: m, source: 'memory' };
    const d = this.disk?.get(key);
    if (d) {
      this.remember(d, false);
      return { v: d, source: 'disk' };
    }
    return null;
  }

  private remember(v: RunValue, persist: boolean): void {
    if (v.status === 'cancelled') return;
    this.memory.set(v.key, v);
    let s = this.prefixIndex.get(v.prefixKey);
    if (!s) this.prefixIndex.set(v.prefixKey, (s = new Set()));
    s.add(v.key);
    if (persist) this.disk?.set(v);
  }

  /**
   * Memoised runs of the same spec at other step counts: those in memory, plus from the disk
   * index the nearest shorter one (to resume from) and the nearest longer one (to slice).
   */
  private prefixCandidates(prefixKey: string, steps: number): RunValue[] {
    const out: RunValue[] = [];
    const s = this.prefixIndex.get(prefixKey);
    for (const k of s ? [...s] : []) {
      const v = this.memory.peek(k);
      if (v) out.push(v);
      else s!.delete(k);
    }
    if (this.disk) {
      const have = new Set(out.map((v) => v.key));
      const entries = this.disk.prefixEntries(prefixKey).filter((e) => !have.has(e.key));
      const below = entries.filter((e) => e.steps < steps).sort((a, b) => b.steps - a.steps)[0];
      const above = entries.filter((e) => e.steps > steps).sort((a, b) => a.steps - b.steps)[0];
      for (const e of [below, above]) {
        const v = e ? this.disk.get(e.key) : null;
        if (v && v.prefixKey === prefixKey) {
          this.remember(v, false);
          out.push(v);
        }
      }
    }
    return out;
  }

  private current(doc: DocState): boolean {
    return this.docs.get(doc.uri) === doc && !this.disposed;
  }

  private resolveRun(doc: DocState, id: string): Promise<RunValue | null> {
    const memo = doc.runPromises.get(id);
    if (memo) return memo;
    // nothing awaits the runs update() starts: an exception must end this run, not the process
    const p = this.computeRun(doc, id).catch((e) => this.failRun(doc, id, e));
    doc.runPromises.set(id, p);
    return p;
  }

  /**
   * An exception in the engine's handling of one run: that run ends in error (so the offshoots
   * continuing from it are blocked by it), the others go on. Nothing is memoised: the next
   * revision tries again.
   */
  private failRun(doc: DocState, id: string, e: unknown): RunValue | null {
    this.reportError(e, `run ${id} failed`, doc.uri);
    const slot = doc.slots.get(id);
    if (!slot) return null;
    if (this.settled(slot)) return slot.value;
    const run = slot.run;
    const v = makeRunValue({
      key: slot.key ?? run.key, prefixKey: run.prefixKey, steps: run.spec.steps, record: run.spec.record, status: 'error',
      message: `internal error: ${e instanceof Error ? e.message : String(e)}`,
      divergedAt: null, lastFiniteStep: null, notes: [], trajectory: emptyTrajectory(), theory: {}, stepsDone: 0, checkpoint: null,
    });
    try {
      return this.settle(doc, slot, v, 'done', null);
    } catch (e2) {
      this.reportError(e2, `settling run ${id} failed`, doc.uri);
      return v;
    }
  }

  private async computeRun(doc: DocState, id: string): Promise<RunValue | null> {
    const slot = doc.slots.get(id)!;
    const run = slot.run;
    const needCheckpoint = doc.parents.has(id);
    let initFrom: Uint8Array | null = null;
    let key = run.key;
    let prefixKey = run.prefixKey;
    if (run.parent) {
      const parentSlot = doc.slots.get(run.parent);
      const pv = parentSlot ? await this.resolveRun(doc, run.parent) : null;
      if (!this.current(doc) || slot.state === 'cancelled') return null;
      // only a completed parent has a final state: a diverged one (its checkpoint is the last
      // finite step), a cancelled one (a partial state) or a failed one blocks its offshoots
      if (!pv || pv.status !== 'done' || !pv.checkpoint) {
        const why = !pv ? 'did not finish' : pv.status !== 'done' ? pv.message ?? pv.status : 'left no final state';
        const out = this.settle(doc, slot, null, 'blocked', `blocked: ${run.parent} ${why}`);
        if (run.own) this.sweepExact(run.key, null);
        return out;
      }
      initFrom = pv.checkpoint;
      if (run.own) {
        // the offshoot reads only the parent's final state: that, not the parent's spec, keys it
        ({ key, prefixKey } = offshootKeys(run.own, this.stateHash(pv)));
        slot.key = key;
        this.sweepExact(run.key, key);
      }
    }

    // 1. memoised (memory, then disk)
    const hit = this.memoGet(key);
    if (hit && (!needCheckpoint || hit.v.checkpoint)) {
      slot.source = hit.source;
      this.logEvent({ uri: doc.uri, revision: doc.revision, node: id, kind: 'run', key, event: 'reused', source: hit.source });
      return this.settle(doc, slot, hit.v, 'done', null);
    }
    if (doc.mode === 'cached') return this.settle(doc, slot, null, 'stale', 'not computed yet: save or run to compute');

    // 2. in flight for the same key. A job of the same spec being cancelled right now (steps
    // edited while it ran) is waited for (≤ ~50 ms): its final state is a point to resume from.
    let f = this.inflight.get(key);
    const stopping = f ? undefined : this.stopping.get(prefixKey);
    if (stopping) {
      // bounded: a runner that ignores its abort signal must not hold this run back
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([stopping, new Promise<void>((r) => (timer = setTimeout(r, this.stopWaitMs)))]);
      clearTimeout(timer);
      if (!this.current(doc) || (slot.state as SlotState) === 'cancelled') return null;
      f = this.inflight.get(key);
    }
    if (f) {
      this.logEvent({ uri: doc.uri, revision: doc.revision, node: id, kind: 'run', key, event: 'joined', source: 'inflight' });
      slot.source = 'inflight';
    } else {
      // 3. the same run at other step counts
      const cands = this.prefixCandidates(prefixKey, run.spec.steps);
      if (!needCheckpoint) {
        const longer = cands.filter((c) => c.steps > run.spec.steps && c.status === 'done').sort((a, b) => a.steps - b.steps);
        for (const c of longer) {
          const t = sliceTrajectory(c.trajectory, run.spec.steps, run.spec.record);
          if (!t) continue;
          const v = makeRunValue({ ...c, key, steps: run.spec.steps, trajectory: t, stepsDone: run.spec.steps, checkpoint: null, stateHash: null });
          this.remember(v, false);
          slot.source = 'memory';
          this.logEvent({ uri: doc.uri, revision: doc.revision, node: id, kind: 'run', key, event: 'sliced', source: 'memory', fromStep: c.steps });
          return this.settle(doc, slot, v, 'done', null);
        }
      }
      // 4. refuse what would not fit (the checker normally says so first)
      const cost = estimateCost(run.spec);
      if (cost.bytes > LIMITS.bytes || cost.seconds > LIMITS.seconds) {
        const msg = `refused: estimated ${fmtBytes(cost.bytes)} and ${Math.round(cost.seconds)} s exceed the limits (${fmtBytes(LIMITS.bytes)}, ${LIMITS.seconds} s)`;
        const v = makeRunValue({
          key, prefixKey, steps: run.spec.steps, record: run.spec.record, status: 'error', message: msg,
          divergedAt: null, lastFiniteStep: null, notes: [], trajectory: emptyTrajectory(), theory: {}, stepsDone: 0, checkpoint: null,
        });
        this.logEvent({ uri: doc.uri, revision: doc.revision, node: id, kind: 'run', key, event: 'failed', message: msg });
        return this.settle(doc, slot, v, 'done', null);
      }
      let shorter = cands
        .filter((c) => c.steps < run.spec.steps && c.status === 'done' && c.checkpoint && c.record === run.spec.record)
        .sort((a, b) => b.steps - a.steps)[0];
      // the state a cancelled run of this spec reached, when that is further along; only for a
      // horizon at least the cancelled one's (its records then include what this run records
      // before that step: schedule.ts prefix stability)
      const part = this.partials.get(prefixKey);
      if (part && part.horizon <= run.spec.steps && part.value.steps < run.spec.steps && part.value.steps > (shorter?.steps ?? 0)) shorter = part.value;
      f = this.startJob(run, key, prefixKey, shorter ?? null, initFrom, { uri: doc.uri, revision: doc.revision, node: id });
      slot.source = 'executed';
    }

    slot.state = f.progress ? 'running' : 'queued';
    slot.partial = f.progress;
    const onProgress = (p: JobProgress) => {
      if (!this.current(doc) || slot.state === 'cancelled') return;
      const first = slot.partial === null;
      slot.state = 'running';
      slot.partial = p;
      // a run's first points go out at once (an edited run shows up without waiting for the
      // stream's interval); later ones are throttled
      this.scheduleEmit(doc, first);
    };
    f.listeners.add(onProgress);
    const v = await f.value;
    f.listeners.delete(onProgress);
    if (!this.current(doc) || (slot.state as SlotState) === 'cancelled') return null;
    if (!v) return this.settle(doc, slot, null, 'cancelled', 'cancelled');
    // the execution is logged once, by the first current node that receives it (a job started by
    // a superseded revision is logged by the revision that joined it)
    if (!f.logged) {
      f.logged = true;
      const prev = doc.prevValue.get(id);
      const backdated = prev !== undefined && prev.valueHash === v.valueHash;
      this.logEvent({
        uri: doc.uri, revision: doc.revision, node: id, kind: 'run', key,
        event: backdated ? 'backdated' : 'executed',
        // the core's own account: whether it accepted the checkpoint it was given is its call
        steps: f.outcome?.stepsExecuted, ...(f.outcome?.startStep ? { fromStep: f.outcome.startStep } : {}), message: v.message,
        ...(slot.source === 'inflight' ? { source: 'inflight' as const } : {}),
      });
    }
    return this.settle(doc, slot, v, 'done', null);
  }

  /** The state.ts hash of a completed run's final state (reported by the runner, else computed). */
  private stateHash(v: RunValue): string {
    if (!v.stateHash) v.stateHash = stateHashOfBytes(v.checkpoint!);
    return v.stateHash;
  }

  private startJob(
    run: LoweredRun, key: string, prefixKey: string, prefix: RunValue | null, initFrom: Uint8Array | null, owner: Inflight['owner'],
  ): Inflight {
    const listeners = new Set<(p: JobProgress) => void>();
    // registered before submitting: an in-thread runner may report progress synchronously
    const f: Inflight = {
      key, job: null as unknown as Job, progress: null, listeners, value: null as unknown as Promise<RunValue | null>, prefix, spec: run.spec, prefixKey,
      exact: run.own ? run.key : null, owner, initFrom, logged: false, outcome: null,
    };
    this.addInflight(f);
    let job: Job;
    try {
      job = this.pool.submit(
        // an offshoot's cached checkpoints may be stamped with an equivalent spec's key: vouch for them
        { spec: run.spec, resume: prefix?.checkpoint ?? null, initFrom, progressIntervalMs: this.progressIntervalMs, ...(run.own ? { restamp: true } : {}) },
        (p) => {
          // called from the runner (or a worker's message handler): a throw here would fail the
          // run inside the core, or be uncaught; partial results are only a view
          try {
            const full = prefix ? { ...p, trajectory: joinTrajectories(prefix.trajectory, p.trajectory, run.spec.steps, run.spec.record) } : p;
            f.progress = full;
            for (const l of listeners) l(full);
          } catch (e) {
            this.reportError(e, `partial results of a run failed`, null);
          }
        },
      );
    } catch (e) {
      // no job behind this entry: a later cancelUnwanted would call cancel() on nothing
      this.dropInflight(f);
      throw e;
    }
    const value = job.done.then((r: JobResult): RunValue | null => {
      this.dropInflight(f);
      if (r.status === 'cancelled') return null;
      f.outcome = { startStep: r.startStep, stepsExecuted: r.stepsExecuted };
      const trajectory = prefix ? joinTrajectories(prefix.trajectory, r.trajectory, run.spec.steps, run.spec.record) : r.trajectory;
      const v = makeRunValue({
        key, prefixKey, steps: run.spec.steps, record: run.spec.record,
        status: r.status, message: r.message, divergedAt: r.divergedAt, lastFiniteStep: r.lastFiniteStep, notes: r.notes, trajectory, theory: r.theory,
        stepsDone: r.stepsDone, checkpoint: r.checkpoint, stateHash: r.status === 'done' && r.checkpoint ? r.stateHash ?? null : null,
      });
      if (v.status !== 'error') this.remember(v, true);
      return v;
    });
    f.job = job;
    f.value = value;
    return f;
  }

  private settle(doc: DocState, slot: Slot, v: RunValue | null, state: SlotState, message: string | null): RunValue | null {
    if (!this.current(doc) || this.settled(slot)) return null; // e.g. cancelled meanwhile
    slot.value = v;
    slot.partial = null;
    slot.message = v ? v.message : message;
    if (v) doc.prevValue.set(slot.run.id, { key: v.key, valueHash: v.valueHash });
    if (state === 'blocked') this.logEvent({ uri: doc.uri, revision: doc.revision, node: slot.run.id, kind: 'run', key: slot.key ?? slot.run.key, event: 'blocked', message });
    else if (v && (v.status === 'error' || v.status === 'diverged'))
      this.logEvent({ uri: doc.uri, revision: doc.revision, node: slot.run.id, kind: 'run', key: v.key, event: 'failed', message: v.message });
    this.markSettled(doc, slot, state);
    this.scheduleEmit(doc);
    return v;
  }

  private settled(s: Slot): boolean {
    return s.state !== 'queued' && s.state !== 'running';
  }

  /** A slot reaches a final state: count it, and finish the plots that waited only for it. */
  private markSettled(doc: DocState, slot: Slot, state: SlotState): void {
    const was = this.settled(slot);
    slot.state = state;
    if (was || !this.settled(slot)) return;
    doc.unsettled--;
    if (state === 'stale') {
      doc.stale++;
      return; // a plot over a run not computed is not finished
    }
    for (const p of doc.plotsOfRun.get(slot.run.id) ?? []) {
      const left = (doc.plotWait.get(p.id) ?? 0) - 1;
      doc.plotWait.set(p.id, left);
      if (left === 0) this.finishPlot(doc, p);
    }
  }

  /** A plot is computed once all its runs have settled; its key folds in their value hashes. */
  private finishPlot(doc: DocState, p: LoweredPlot): void {
    if (doc.plotsDone.has(p.id)) return;
    doc.plotsDone.add(p.id);
    const slots = p.runIds.map((id) => doc.slots.get(id)).filter((x): x is Slot => !!x);
    const key = hashOf({ plot: p.defKey, runs: slots.map((x) => x.value?.valueHash ?? `${x.state}:${x.message}`) });
    const seen = doc.plotKeys.has(key);
    doc.plotKeys.add(key);
    this.logEvent({ uri: doc.uri, revision: doc.revision, node: p.id, kind: 'plot', key, event: seen ? 'reused' : 'executed' });
  }

  private isFinal(doc: DocState): boolean {
    if (doc.unsettled > 0) return false;
    if (doc.mode === 'cached') return doc.stale === 0;
    return doc.plotsDone.size === doc.lowered.plots.length;
  }

  /** every run has an outcome of its own (done, diverged, error, blocked by its parent) */
  private completed(doc: DocState): boolean {
    for (const s of doc.slots.values()) {
      if (s.state === 'blocked') continue;
      if (s.state !== 'done' || !s.value || s.value.status === 'cancelled') return false;
    }
    return true;
  }

  private scheduleEmit(doc: DocState, soon = false): void {
    if (!this.current(doc) || doc.building) return;
    const final = this.isFinal(doc);
    const now = performance.now();
    // A large document (a 20-member family with vector metrics is a few MB of JSON) costs the
    // listeners real time to serialise: keep streaming under ~10% of this thread.
    const interval = Math.max(this.emitIntervalMs, 10 * doc.emitCost);
    const soonGap = Math.min(interval, Math.max(FIRST_PARTIAL_GAP_MS, 10 * doc.emitCost));
    const due = doc.lastEmit + (soon ? soonGap : interval);
    if (final || now >= due) {
      if (doc.emitTimer) clearTimeout(doc.emitTimer);
      doc.emitTimer = null;
      this.emit(doc, final);
    } else if (!doc.emitTimer || due < doc.emitDue) {
      if (doc.emitTimer) clearTimeout(doc.emitTimer);
      doc.emitDue = due;
      doc.emitTimer = setTimeout(() => {
        doc.emitTimer = null;
        // a throw here would be an uncaught exception in the host process
        try {
          if (this.current(doc)) this.emit(doc, this.isFinal(doc));
        } catch (e) {
          this.reportError(e, 'streaming results failed', doc.uri);
        }
      }, due - now);
    }
  }

  private emit(doc: DocState, final: boolean): void {
    if (doc.final) return; // the final message of a revision is its last
    doc.lastEmit = performance.now();
    const msg: ResultsMessage = { uri: doc.uri, revision: doc.revision, final, doc: buildResultsDoc(doc.lowered, doc.slots, doc.file, final) };
    doc.lastMessage = msg;
    if (final) {
      doc.final = msg;
      const ready = doc.waiters.filter((w) => w.revision <= doc.revision);
      doc.waiters = doc.waiters.filter((w) => w.revision > doc.revision);
      for (const w of ready) w.resolve(msg);
    }
    const t0 = performance.now();
    this.notify('results', msg);
    const st: StatusMessage = { uri: doc.uri, revision: doc.revision, nodes: nodeStatuses(doc.lowered, doc.slots, doc.plotsDone) };
    this.notify('status', st);
    this.publishDiagnostics(doc);
    doc.emitCost = performance.now() - t0;
    // the disk keeps the last *completed* results: a cancel also ends a revision with a final
    // message, and persisting it would replace good results with cancelled partials after a
    // restart. Written after the listeners have the message (a synchronous write of the whole
    // document, ~6 ms for Fig. 1, would otherwise delay every redraw).
    if (final && doc.mode === 'run' && this.completed(doc)) this.disk?.setDoc(doc.uri, msg.doc);
  }

  /** Divergence and runtime errors become diagnostics on the run's definition. */
  private publishDiagnostics(doc: DocState): void {
    const diags = runtimeDiagnostics(doc.lowered, doc.slots);
    const key = JSON.stringify(diags);
    if (key === doc.diagKey) return;
    doc.diagKey = key;
    this.notify('diagnostics', { uri: doc.uri, diagnostics: diags });
  }

  /** A throwing listener must not take the engine (or the other listeners) down with it. */
  private notify<K extends keyof Events>(event: K, x: Events[K]): void {
    for (const l of this.listeners[event]) {
      try {
        l(x);
      } catch (e) {
        if (event === 'error') console.error('sgdexp: an error listener failed:', e);
        else this.reportError(e, `a ${event} listener failed`, (x as { uri?: string }).uri ?? null);
      }
    }
  }

  private reportError(error: unknown, what: string, uri: string | null): void {
    const message = `${what}: ${error instanceof Error ? error.message : String(error)}`;
    if (this.listeners.error.size === 0) console.error(`sgdexp: ${message}`, error);
    else this.notify('error', { uri, message, error });
  }
}

function fmtBytes(b: number): string {
  return b >= 2 ** 30 ? `${(b / 2 ** 30).toFixed(1)} GB` : `${Math.ceil(b / 2 ** 20)} MB`;
}
