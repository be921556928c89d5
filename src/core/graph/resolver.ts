// Run resolution: a demanded run node gets its value, in order, from the memory cache, the disk
// cache, a job in flight for the same key (from an earlier revision or another document), the
// same run at more steps (slice) — and only then from a new job, resumed from the same run at
// fewer steps or from the state a cancelled job of the same spec reached. An offshoot waits for
// its parent and is keyed by the parent's final state (keys.ts offshootKeys).
import { estimateCost, LIMITS } from '../numeric/estimate';
import { theoryAtStart } from '../numeric/model';
import { fmtBytes, fmtSeconds } from '../lang/units';
import { offshootKeys } from '../keys';
import type { Trajectory } from '../wire/results';
import type { EngineEvents, ExecEvent, ExecLog } from './events';
import type { Jobs } from './jobs';
import type { StreamedProgress } from './trajectoryBuffer';
import type { SlotState } from './report';
import type { RunStore } from './runStore';
import { makeRunValue, sliceTrajectory, type RunValue } from './runValue';
import { settled, type DocState, type Sessions } from './sessions';
import { afterQueuedIo } from './queuedIo';

const emptyTrajectory = (): Trajectory => ({ step: [], time: [], metrics: {} });

export class Resolver {
  constructor(
    private readonly sessions: Sessions,
    private readonly store: RunStore,
    private readonly jobs: Jobs,
    private readonly log: ExecLog,
    private readonly events: EngineEvents,
    /** cancels the jobs no current revision wants (the engine's sweep) */
    private readonly cancelUnwanted: (prev: DocState | null) => void,
    /** longest wait for a cancelled job of the same spec to hand back its state */
    private readonly stopWaitMs: number,
    /** a run estimated above these is refused */
    private readonly limits: { bytes: number; seconds: number } = LIMITS,
  ) {}

  resolve(doc: DocState, id: string): Promise<RunValue | null> {
    const memo = doc.runPromises.get(id);
    if (memo) return memo;
    // nothing awaits the runs update() starts: an exception must end this run, not the process
    const p = this.compute(doc, id).catch((e) => this.fail(doc, id, e));
    doc.runPromises.set(id, p);
    return p;
  }

  /**
   * An offshoot slot has its key (or settled without one): a job of the same spec kept only for
   * it, from another parent state (normally there is none: the same parent spec ends in the same
   * state), is cancelled unless some revision wants it.
   */
  private sweepExact(exact: string, key: string | null): void {
    if (this.jobs.hasOtherExact(exact, key)) this.cancelUnwanted(null);
  }

  /**
   * An exception in the engine's handling of one run: that run ends in error (so the offshoots
   * continuing from it are blocked by it), the others go on. Nothing is memoised: the next
   * revision tries again.
   */
  private fail(doc: DocState, id: string, e: unknown): RunValue | null {
    this.events.reportError(e, `run ${id} failed`, doc.uri);
    const slot = doc.slots.get(id);
    if (!slot) return null;
    if (settled(slot)) return slot.value;
    const run = slot.run;
    const v = makeRunValue({
      key: slot.key ?? run.key, prefixKey: run.prefixKey, steps: run.spec.steps, record: run.spec.record, status: 'error',
      message: `internal error: ${e instanceof Error ? e.message : String(e)}`,
      divergedAt: null, lastFiniteStep: null, notes: [], trajectory: emptyTrajectory(), theory: {}, stepsDone: 0, checkpoint: null,
    });
    try {
      return this.sessions.settle(doc, slot, v, 'done', null);
    } catch (e2) {
      this.events.reportError(e2, `settling run ${id} failed`, doc.uri);
      return v;
    }
  }

  private async compute(doc: DocState, id: string): Promise<RunValue | null> {
    const { sessions, store, jobs } = this;
    const slot = doc.slots.get(id)!;
    const run = slot.run;
    const needCheckpoint = doc.parents.has(id);
    let initFrom: Uint8Array | null = null;
    let key = run.key;
    let prefixKey = run.prefixKey;
    const logRun = (e: Omit<ExecEvent, 'seq' | 't' | 'uri' | 'revision' | 'node' | 'kind'>) =>
      this.log.add({ uri: doc.uri, revision: doc.revision, node: id, kind: 'run', ...e });
    if (run.parent) {
      const parentSlot = doc.slots.get(run.parent);
      const pv = parentSlot ? await this.resolve(doc, run.parent) : null;
      if (!sessions.current(doc) || slot.state === 'cancelled') return null;
      // only a completed parent has a final state: a diverged one (its checkpoint is the last
      // finite step), a cancelled one (a partial state) or a failed one blocks its offshoots
      if (!pv || pv.status !== 'done' || !pv.checkpoint) {
        const why = !pv ? 'did not finish' : pv.status !== 'done' ? pv.message ?? pv.status : 'left no final state';
        const out = sessions.settle(doc, slot, null, 'blocked', `blocked: ${run.parent} ${why}`);
        if (run.own) this.sweepExact(run.key, null);
        return out;
      }
      initFrom = pv.checkpoint;
      if (run.own) {
        // the offshoot reads only the parent's final state: that, not the parent's spec, keys it
        ({ key, prefixKey } = offshootKeys(run.own, store.stateHash(pv)));
        slot.key = key;
        this.sweepExact(run.key, key);
      }
    }

    // 1. memoised (memory, then disk)
    const hit = store.get(key);
    if (hit && (!needCheckpoint || hit.v.checkpoint)) {
      slot.source = hit.source;
      logRun({ key, event: 'reused', source: hit.source });
      return sessions.settle(doc, slot, hit.v, 'done', null);
    }
    if (doc.mode === 'cached') return sessions.settle(doc, slot, null, 'stale', 'not computed yet: save or run to compute');

    // 2. in flight for the same key. A job of the same spec being cancelled right now (steps
    // edited while it ran) is waited for (≤ ~50 ms): its final state is a point to resume from.
    let f = jobs.get(key);
    const stopping = f ? undefined : jobs.stoppingFor(prefixKey);
    if (stopping) {
      // bounded: a runner that ignores its abort signal must not hold this run back
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([stopping, new Promise<void>((r) => (timer = setTimeout(() => afterQueuedIo(r), this.stopWaitMs)))]);
      clearTimeout(timer);
      if (!sessions.current(doc) || (slot.state as SlotState) === 'cancelled') return null;
      f = jobs.get(key);
    }
    if (f) {
      logRun({ key, event: 'joined', source: 'inflight' });
      slot.source = 'inflight';
    } else {
      // 3. the same run at other step counts
      const cands = store.prefixCandidates(prefixKey, run.spec.steps);
      if (!needCheckpoint) {
        const longer = cands.filter((c) => c.steps > run.spec.steps && c.status === 'done').sort((a, b) => a.steps - b.steps);
        for (const c of longer) {
          const t = sliceTrajectory(c.trajectory, run.spec.steps, run.spec.record);
          if (!t) continue;
          // the end-of-run theory of the longer run describes its last step, not this one's
          const v = makeRunValue({ ...c, key, steps: run.spec.steps, trajectory: t, theory: theoryAtStart(c.theory), stepsDone: run.spec.steps, checkpoint: null, stateHash: null });
          store.remember(v, false);
          slot.source = 'memory';
          logRun({ key, event: 'sliced', source: 'memory', fromStep: c.steps });
          return sessions.settle(doc, slot, v, 'done', null);
        }
      }
      // 4. refuse what would not fit (the checker normally says so first)
      const cost = estimateCost(run.spec);
      const limits = this.limits;
      if (cost.bytes > limits.bytes || cost.seconds > limits.seconds) {
        const msg = `refused: estimated ${fmtBytes(cost.bytes)} and ${fmtSeconds(cost.seconds)} exceed the limits (${fmtBytes(limits.bytes)}, ${fmtSeconds(limits.seconds)})`;
        const v = makeRunValue({
          key, prefixKey, steps: run.spec.steps, record: run.spec.record, status: 'error', message: msg,
          divergedAt: null, lastFiniteStep: null, notes: [], trajectory: emptyTrajectory(), theory: {}, stepsDone: 0, checkpoint: null,
        });
        logRun({ key, event: 'failed', message: msg });
        return sessions.settle(doc, slot, v, 'done', null);
      }
      let shorter = cands
        .filter((c) => c.steps < run.spec.steps && c.status === 'done' && c.checkpoint && c.record === run.spec.record)
        .sort((a, b) => b.steps - a.steps)[0];
      // the state a cancelled run of this spec reached, when that is further along; only for a
      // horizon at least the cancelled one's (its records then include what this run records
      // before that step: schedule.ts prefix stability)
      const part = store.partial(prefixKey);
      if (part && part.horizon <= run.spec.steps && part.value.steps < run.spec.steps && part.value.steps > (shorter?.steps ?? 0)) shorter = part.value;
      f = jobs.start(run, key, prefixKey, shorter ?? null, initFrom, { uri: doc.uri, revision: doc.revision, node: id });
      slot.source = 'executed';
    }

    slot.state = f.progress ? 'running' : 'queued';
    slot.partial = f.progress;
    const onProgress = (p: StreamedProgress) => {
      if (!sessions.current(doc) || slot.state === 'cancelled') return;
      const first = slot.partial === null;
      slot.state = 'running';
      slot.partial = p;
      // a run's first points go out at once (an edited run shows up without waiting for the
      // stream's interval); later ones are throttled
      sessions.scheduleEmit(doc, first);
    };
    f.listeners.add(onProgress);
    const v = await f.value;
    f.listeners.delete(onProgress);
    if (!sessions.current(doc) || (slot.state as SlotState) === 'cancelled') return null;
    if (!v) return sessions.settle(doc, slot, null, 'cancelled', 'cancelled');
    // the execution is logged once, by the first current node that receives it (a job started by
    // a superseded revision is logged by the revision that joined it)
    if (!f.logged) {
      f.logged = true;
      const prev = doc.prevValue.get(id);
      const backdated = prev !== undefined && prev.valueHash === v.valueHash;
      logRun({
        key,
        event: backdated ? 'backdated' : 'executed',
        // the core's own account: whether it accepted the checkpoint it was given is its call
        steps: f.outcome?.stepsExecuted, ...(f.outcome?.startStep ? { fromStep: f.outcome.startStep } : {}), message: v.message,
        ...(slot.source === 'inflight' ? { source: 'inflight' as const } : {}),
      });
    }
    return sessions.settle(doc, slot, v, 'done', null);
  }
}

