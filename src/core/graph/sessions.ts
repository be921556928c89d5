// Document sessions: the revisions of each open document, the state of its run and plot nodes in
// the current revision, and the results it streams (at most every `emitIntervalMs`; a final
// message closes the revision and wakes who waits for it).
import type { CheckedProgram } from '../program';
import type { ResultsMessage, StatusMessage } from '../wire/protocol';
import type { ClaimResult, ResultsDoc, Trajectory } from '../wire/results';
import { progressOf } from './trajectoryBuffer';
import { hashOf, offshootKeys } from '../keys';
import { lowerProgram, type LoweredPlot, type LoweredProgram } from '../lower';
import type { EngineEvents, ExecLog } from './events';
import type { RunStore } from './runStore';
import type { RunValue } from './runValue';
import type { ResultsDiagnostic } from '../wire/results';
import { buildResultsDoc, claimDiagnostics, demandedRuns, docDiagnostics, nodeStatuses, runtimeDiagnostics, type Slot, type SlotState } from './report';

export interface DocState {
  uri: string;
  file: string;
  revision: number;
  program: CheckedProgram;
  /** the checker's errors on this revision's text, as its results documents carry them */
  checkerErrors: ResultsDiagnostic[];
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
  /** the claims of the last final document (kept while the next revision computes) */
  lastClaims: ClaimResult[] | null;
  /** true while update() sets the revision up: emits wait until it is complete */
  building: boolean;
  /** cancelled jobs whose last trajectory is still being handed back: the final message waits */
  collecting: number;
}

export interface SessionOptions {
  /** 'run': compute what is demanded; 'cached': show only what is cached, start nothing */
  mode?: 'run' | 'cached';
  /** demand every run, not only the plotted ones */
  runAll?: boolean;
  /** the `file` field of the results document */
  file?: string;
  /** demand exactly these run ids (and the runs they continue from), e.g. a CLI shard */
  only?: ReadonlySet<string> | null;
}

/** least gap before a run's first partial result may be sent */
const FIRST_PARTIAL_GAP_MS = 16;

export class Sessions {
  private readonly docs = new Map<string, DocState>();
  /** last revision number given to each uri: kept when a document is closed */
  private readonly revisions = new Map<string, number>();
  disposed = false;
  /** what streaming costs this thread (benchmarks): partial messages built, ms building their
   *  documents and ms in the listeners (serialising and sending them) */
  readonly streamCost = { partials: 0, buildMs: 0, notifyMs: 0 };

  constructor(
    private readonly events: EngineEvents,
    private readonly log: ExecLog,
    private readonly store: RunStore,
    private readonly emitIntervalMs: number,
    private readonly revisionBase: () => number,
  ) {}

  get(uri: string): DocState | undefined {
    return this.docs.get(uri);
  }

  all(): IterableIterator<DocState> {
    return this.docs.values();
  }

  /** The new revision of a document, its nodes queued (nothing resolved yet; `building` set). */
  open(uri: string, program: CheckedProgram, opts: SessionOptions): { doc: DocState; prev: DocState | null } {
    const prev = this.docs.get(uri) ?? null;
    const lowered = lowerProgram(program);
    const doc: DocState = {
      uri,
      file: opts.file ?? prev?.file ?? uri,
      revision: this.nextRevision(uri),
      program,
      checkerErrors: docDiagnostics(program),
      lowered,
      mode: opts.mode ?? 'run',
      runAll: opts.runAll ?? false,
      demanded: demandedRuns(lowered, opts.runAll ?? false, opts.only ?? null),
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
      lastClaims: prev?.lastClaims ?? null,
      building: true,
      collecting: 0,
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
    return { doc, prev };
  }

  /** The revision is set up: finish the plots over no run, stream. */
  built(doc: DocState): void {
    doc.building = false;
    for (const p of doc.lowered.plots) if (doc.plotWait.get(p.id) === 0) this.finishPlot(doc, p);
    this.scheduleEmit(doc);
  }

  close(uri: string): DocState | null {
    const doc = this.docs.get(uri);
    if (!doc) return null;
    if (doc.emitTimer) clearTimeout(doc.emitTimer);
    this.docs.delete(uri);
    return doc;
  }

  dispose(): void {
    this.disposed = true;
    for (const d of this.docs.values()) if (d.emitTimer) clearTimeout(d.emitTimer);
  }

  /** Whether `doc` is still the current revision of its document. */
  current(doc: DocState): boolean {
    return this.docs.get(doc.uri) === doc && !this.disposed;
  }

  /** keys of in-flight jobs some current revision wants; for an offshoot still waiting for its
   *  parent (its key unknown yet), `spec:` and its spec key. Not its own key: a job started from
   *  another parent spec is cancelled at once, as it always was, rather than hold a thread the
   *  edited parent may need */
  wantedKeys(): Set<string> {
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

  /** The final results message of a revision (or of a later one, if it is superseded). */
  whenFinal(uri: string, revision?: number): Promise<ResultsMessage> {
    const doc = this.docs.get(uri);
    if (!doc) return Promise.reject(new Error(`unknown document ${uri}`));
    const rev = revision ?? doc.revision;
    if (doc.final && doc.final.revision >= rev) return Promise.resolve(doc.final);
    return new Promise((resolve) => doc.waiters.push({ revision: rev, resolve }));
  }

  status(doc: DocState): StatusMessage {
    return { uri: doc.uri, revision: doc.revision, nodes: nodeStatuses(doc.lowered, doc.slots, doc.plotsDone) };
  }

  /**
   * Status of an edited, not yet computed version of a document: nodes whose value is neither
   * current nor memoised show as 'stale' (under the current revision).
   */
  staleStatus(doc: DocState, program: CheckedProgram): StatusMessage {
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
          key = pv && pv.status === 'done' && pv.checkpoint ? offshootKeys(run.own, this.store.stateHash(pv)).key : null;
        }
        const v = (key && this.store.memory.peek(key)) || null;
        slot = { run, state: v ? 'done' : 'stale', value: v, partial: null, message: v ? null : 'edited: save to compute', source: v ? 'memory' : null, key };
      }
      slots.set(id, slot);
      return slot;
    };
    for (const id of demanded) mark(id);
    const plotsDone = new Set(lowered.plots.filter((p) => p.runIds.every((id) => slots.get(id)?.state !== 'stale')).map((p) => p.id));
    return { uri: doc.uri, revision: doc.revision, nodes: nodeStatuses(lowered, slots, plotsDone) };
  }

  /** Ends the unfinished runs of a document as 'cancelled', keeping the trajectory each has
   *  streamed so far; it then demands only what is done. Returns the slots it cancelled. */
  cancelRuns(doc: DocState): Slot[] {
    const cancelled: Slot[] = [];
    for (const s of doc.slots.values()) {
      if (s.state === 'queued' || s.state === 'running') {
        s.message = 'cancelled';
        this.markSettled(doc, s, 'cancelled');
        cancelled.push(s);
      }
    }
    doc.demanded = new Set([...doc.slots.values()].filter((s) => s.state === 'done').map((s) => s.run.id));
    return cancelled;
  }

  /**
   * The trajectory a cancelled job reached (`last`: joined to the cached run it resumed from, or
   * null) becomes its slot's partial when it goes further than the last progress message did.
   * The final message waits for `last` to settle (the caller bounds the wait).
   */
  collectCancelled(doc: DocState, slot: Slot, last: Promise<{ step: number; steps: number; trajectory: Trajectory } | null>): void {
    doc.collecting++;
    void last
      .then((p) => {
        if (p && this.current(doc) && p.trajectory.step.length > (slot.partial?.records ?? 0)) slot.partial = progressOf(p.step, p.steps, p.trajectory);
      })
      .catch((e) => this.events.reportError(e, 'keeping the trajectory of a cancelled run failed', doc.uri))
      .finally(() => {
        doc.collecting--;
        this.scheduleEmit(doc);
      });
  }

  settle(doc: DocState, slot: Slot, v: RunValue | null, state: SlotState, message: string | null): RunValue | null {
    if (!this.current(doc) || settled(slot)) return null; // e.g. cancelled meanwhile
    slot.value = v;
    slot.partial = null;
    slot.message = v ? v.message : message;
    if (v) doc.prevValue.set(slot.run.id, { key: v.key, valueHash: v.valueHash });
    if (state === 'blocked') this.log.add({ uri: doc.uri, revision: doc.revision, node: slot.run.id, kind: 'run', key: slot.key ?? slot.run.key, event: 'blocked', message });
    else if (v && (v.status === 'error' || v.status === 'diverged'))
      this.log.add({ uri: doc.uri, revision: doc.revision, node: slot.run.id, kind: 'run', key: v.key, event: 'failed', message: v.message });
    this.markSettled(doc, slot, state);
    this.scheduleEmit(doc);
    return v;
  }

  scheduleEmit(doc: DocState, soon = false): void {
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
          this.events.reportError(e, 'streaming results failed', doc.uri);
        }
      }, due - now);
    }
  }

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

  /** A slot reaches a final state: count it, and finish the plots that waited only for it. */
  private markSettled(doc: DocState, slot: Slot, state: SlotState): void {
    const was = settled(slot);
    slot.state = state;
    if (was || !settled(slot)) return;
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
    this.log.add({ uri: doc.uri, revision: doc.revision, node: p.id, kind: 'plot', key, event: seen ? 'reused' : 'executed' });
  }

  private isFinal(doc: DocState): boolean {
    if (doc.unsettled > 0 || doc.collecting > 0) return false;
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

  private emit(doc: DocState, final: boolean): void {
    if (doc.final) return; // the final message of a revision is its last
    const tb = (doc.lastEmit = performance.now());
    const msg: ResultsMessage = { uri: doc.uri, revision: doc.revision, final, doc: buildResultsDoc(doc.lowered, doc.slots, doc.file, final, doc.checkerErrors) };
    const built = performance.now() - tb;
    doc.lastMessage = msg;
    if (final) {
      doc.final = msg;
      const ready = doc.waiters.filter((w) => w.revision <= doc.revision);
      doc.waiters = doc.waiters.filter((w) => w.revision > doc.revision);
      for (const w of ready) w.resolve(msg);
    }
    const t0 = performance.now();
    this.events.notify('results', msg);
    this.events.notify('status', this.status(doc));
    this.publishDiagnostics(doc, msg.doc);
    doc.emitCost = performance.now() - t0;
    if (!final) {
      this.streamCost.partials++;
      this.streamCost.buildMs += built;
      this.streamCost.notifyMs += doc.emitCost;
    }
    // the disk keeps the last *completed* results: a cancel also ends a revision with a final
    // message, and persisting it would replace good results with cancelled partials after a
    // restart. Written after the listeners have the message (a synchronous write of the whole
    // document, ~6 ms for Fig. 1, would otherwise delay every redraw).
    if (final && doc.mode === 'run' && this.completed(doc)) this.store.disk?.setDoc(doc.uri, msg.doc);
  }

  /** Divergence and runtime errors become diagnostics on the run's definition. */
  private publishDiagnostics(doc: DocState, results: ResultsDoc): void {
    // claims have a verdict only in a final document: until then the previous one stands
    if (doc.final) doc.lastClaims = results.claims ?? null;
    const diags = [...runtimeDiagnostics(doc.lowered, doc.slots), ...claimDiagnostics(doc.lastClaims ?? undefined)];
    const key = JSON.stringify(diags);
    if (key === doc.diagKey) return;
    doc.diagKey = key;
    this.events.notify('diagnostics', { uri: doc.uri, diagnostics: diags });
  }
}

export function settled(s: Slot): boolean {
  return s.state !== 'queued' && s.state !== 'running';
}
