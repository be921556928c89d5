// Where a run's value is found without computing it: the memory cache, the disk cache, the same
// run at other step counts (prefix index: resume from a shorter one, slice a longer one), and
// the state a cancelled job of the same spec reached.
import type { RunSpec } from '../spec';
import { MemoryCache } from './memoryCache';
import { DiskCache } from './diskCache';
import type { JobResult } from './pool';
import { makeRunValue, runValueBytes, type RunValue } from './runValue';
import { stateHashOfBytes } from './state';

export class RunStore {
  readonly memory: MemoryCache<RunValue>;
  readonly disk: DiskCache | null;
  /** prefix key → keys of memoised runs sharing it (for resume / slice) */
  private readonly prefixIndex = new Map<string, Set<string>>();
  /** prefix key → the state a cancelled job reached, and that job's horizon */
  private readonly partials = new Map<string, { value: RunValue; horizon: number }>();

  constructor(opts: { memoryMB?: number; cacheDir?: string | null; noCache?: boolean; diskMB?: number }) {
    this.memory = new MemoryCache<RunValue>((opts.memoryMB ?? 256) * 2 ** 20, runValueBytes);
    this.disk = opts.cacheDir && !opts.noCache ? new DiskCache(opts.cacheDir, (opts.diskMB ?? 256) * 2 ** 20) : null;
  }

  /** A memoised value: memory first, then disk (remembered in memory when found there). */
  get(key: string): { v: RunValue; source: 'memory' | 'disk' } | null {
    const m = this.memory.get(key);
    if (m) return { v: m, source: 'memory' };
    const d = this.disk?.get(key);
    if (d) {
      this.remember(d, false);
      return { v: d, source: 'disk' };
    }
    return null;
  }

  remember(v: RunValue, persist: boolean): void {
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
  prefixCandidates(prefixKey: string, steps: number): RunValue[] {
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

  /** The state a cancelled job of this spec reached, and that job's horizon. */
  partial(prefixKey: string): { value: RunValue; horizon: number } | undefined {
    return this.partials.get(prefixKey);
  }

  /** Keeps the final state of a cancelled job (the furthest per spec, a few dozen specs). */
  keepPartial(job: { key: string; prefixKey: string; spec: RunSpec; initFrom: Uint8Array | null }, r: JobResult | null): void {
    // the core checkpoints a cancelled run at its last record, not at the step it reached: that
    // step, not stepsDone, is where a resume from it starts
    const at = r?.checkpointStep ?? null;
    if (!r || r.status !== 'cancelled' || !r.checkpoint || at === null || !(at > 0) || job.initFrom) return;
    const prev = this.partials.get(job.prefixKey);
    if (prev && prev.value.steps >= at) return;
    const value = makeRunValue({
      key: `partial:${job.key}`, prefixKey: job.prefixKey, steps: at, record: job.spec.record, status: 'cancelled', message: r.message,
      divergedAt: null, lastFiniteStep: null, notes: r.notes, trajectory: r.trajectory, theory: r.theory, stepsDone: at, checkpoint: r.checkpoint,
    });
    this.partials.delete(job.prefixKey);
    this.partials.set(job.prefixKey, { value, horizon: job.spec.steps });
    if (this.partials.size > 32) this.partials.delete(this.partials.keys().next().value as string);
  }

  /** The state.ts hash of a completed run's final state (reported by the runner, else computed). */
  stateHash(v: RunValue): string {
    if (!v.stateHash) v.stateHash = stateHashOfBytes(v.checkpoint!);
    return v.stateHash;
  }
}
