// Every cache key in one place: the canonical JSON, the one hash (SHA-256, truncated to 128
// bits), the one version constant, the keys of runs, offshoots, definitions and plots.
//
// A key is the hash of what determines a value (built-ins, canonical numbers, seed streams,
// the keys of its inputs), never of names, positions or comments: renaming a definition or
// editing a comment finds every value memoised, and a second `sgdexp run` of an unchanged file
// is served from the disk cache.
//
// A chain of offshoots is keyed link by link: a child's spec key holds its parent's spec key
// and horizon, never the parent's spec, so keying a chain of N links hashes O(N) bytes in all
// (hashing the nested `from` chain each time cost O(N²) per link).
import { createHash } from 'node:crypto';
import type { RunSpec } from './numeric/spec';

/**
 * The meaning of every key and cached value. Bump it whenever a number a run produces may
 * change (stepping core, metrics, noise streams) or the layout of a key changes: it is mixed
 * into every key and disk entry, so old entries simply stop matching. The golden trajectories
 * of each version are committed in test/core/numeric/golden-by-version.json; that test fails
 * ("bump the version") when the numbers change under an unchanged version.
 *   2 — deep_linear label noise on the rescaled entries (raw std √(N·δ), deep_linear.ts header)
 *   3 — linear2: blocked Cholesky-noise kernel from p ≥ 16 (summation order), imbalance from Σσ⁴
 *   4 — one hash for every key (the stepping core's spec key was a 64-bit FNV of the nested
 *       chain); an offshoot's spec key refers to its parent's key. Same numbers as 3.
 *   5 — diagonal gain_norm = Σ|Gainᵢ| (was the signed sum, negative near divergence); linear2
 *       imbalance when the cheap form cancels: from the LQ factor (last bits), ±Inf states +Inf
 *   6 — diagonal checkpoints carry ρ_t and ln α_t² (docs/theory.md §5.1); completed diagonal runs
 *       carry the end-of-run bias gaps and GD's limit in `theory`. Same trajectories as 5.
 *   7 — full-batch GD on linear2 and relu2 carries the linear model's limit 2/λ_max(XᵀX) in
 *       `theory` (lr_stability_limit_linear). Same trajectories as 6.
 *   8 — linear2 records σ(W1) of up to 16 rows by one-sided Jacobi on the p×p LQ block L11 (the
 *       log det's factor) instead of on W1 itself, and P = W1W2 at a record by the step's kernel
 *       (each entry summed in one order, was four interleaved sums): last bits of sv_W1, rank,
 *       imbalance, sv_product, sv_ratio, loss, test_loss, distance. Same trajectory of θ.
 *   9 — Gaussian draws by a ziggurat (Doornik's ZIGNOR, 256 layers; rng.ts) instead of
 *       Marsaglia's polar method: every Gaussian draw (data, initialisations, label noise) is a
 *       different number, so every run that draws one has new numbers.
 */
export const VALUE_VERSION = 9;

/** Work done by the hash, for tests that count instead of timing (a chain must key in O(N)). */
export const keyStats = { canonicalCalls: 0, bytesHashed: 0 };

/**
 * Deterministic JSON: object keys sorted, `undefined` fields dropped, non-finite numbers
 * spelled out (JSON.stringify would turn NaN and ±Infinity into null and make them collide),
 * −0 written as 0, typed arrays as arrays.
 */
export function canonicalJson(v: unknown): string {
  keyStats.canonicalCalls++;
  return canon(v);
}

function canon(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'number') {
    if (Number.isFinite(v)) return Object.is(v, -0) ? '0' : JSON.stringify(v);
    return `"${String(v)}"`;
  }
  if (typeof v === 'string' || typeof v === 'boolean') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(canon).join(',')}]`;
  if (ArrayBuffer.isView(v)) return canon(Array.from(v as unknown as ArrayLike<number>));
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    const keys = Object.keys(o)
      .filter((k) => o[k] !== undefined)
      .sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canon(o[k])}`).join(',')}}`;
  }
  return JSON.stringify(String(v));
}

/** The one hash, incrementally: feed strings and bytes, read 128 bits of SHA-256 as hex. */
export class Hasher {
  private readonly h = createHash('sha256');
  update(x: string | Uint8Array): this {
    keyStats.bytesHashed += typeof x === 'string' ? x.length : x.byteLength;
    this.h.update(x);
    return this;
  }
  /** the bit patterns of the numbers (−0, NaN and last ulps all count) */
  numbers(xs: ArrayLike<number>): this {
    return this.update(new Uint8Array(Float64Array.from(xs).buffer));
  }
  digest(): string {
    return this.h.digest('hex').slice(0, 32);
  }
}

/** Key of a plain value: the hash of its canonical JSON. */
export function hashOf(v: unknown): string {
  return new Hasher().update(canonicalJson(v)).digest();
}

/** Key of raw bytes (a checkpoint of a format the core does not describe, a uri). */
export function hashBytes(b: string | Uint8Array): string {
  return new Hasher().update(b).digest();
}

// ---- runs ----

const specKeys = new WeakMap<RunSpec, string>();

/**
 * What determines a run's trajectory except its horizon (`steps`) and `record`: the spec, its
 * parent (an offshoot) entering as the parent's own spec key and horizon. Memoised per spec
 * object, and computed from the root of the chain down, so a chain of N links costs N hashes of
 * one link each, and a spec that crossed a thread boundary (a fresh copy) costs one pass.
 */
export function specKey(spec: RunSpec): string {
  const known = specKeys.get(spec);
  if (known) return known;
  const chain: RunSpec[] = [];
  for (let s: RunSpec | null | undefined = spec; s && !specKeys.has(s); s = s.from) chain.push(s);
  let key = '';
  for (let i = chain.length - 1; i >= 0; i--) {
    const { steps: _steps, record: _record, from, ...own } = chain[i];
    // a data file enters by its content hash, neither its rows (hashing 10⁶ rows per member is
    // slow) nor its path (a name: a copy of the file elsewhere is the same data)
    if (own.data.kind === 'csv') own.data = { ...own.data, values: undefined, path: undefined } as never;
    key = hashOf({ v: VALUE_VERSION, spec: own, from: from ? { key: specKeys.get(from)!, steps: from.steps } : null });
    specKeys.set(chain[i], key);
  }
  return key;
}

export interface RunKeys {
  /** the run: its spec key, horizon and record */
  key: string;
  /** the same without the horizon: runs sharing it are prefixes of one another */
  prefixKey: string;
}

/** Keys of a run (lower.ts: every run node is cached under them). */
export function runKeys(spec: RunSpec): RunKeys {
  const sk = specKey(spec);
  return {
    key: hashOf({ v: VALUE_VERSION, spec: sk, steps: spec.steps, record: spec.record }),
    prefixKey: hashOf({ v: VALUE_VERSION, spec: sk, record: spec.record }),
  };
}

/** Generations above a run: 0 for a run from its model's init (numeric/build.ts: an offshoot
 *  draws its noise from generation `depth` of its stream). */
export function chainDepth(spec: RunSpec): number {
  let depth = 0;
  for (let s = spec.from; s; s = s.from) depth++;
  return depth;
}

/**
 * An offshoot's keys without its parent: its own spec with the parent replaced by the chain
 * depth. What the stepping core reads of the parent is only its final state, so the graph
 * caches the offshoot under offshootKeys(own, hash of that state) once it is known.
 */
export function ownKeys(spec: RunSpec, depth = chainDepth(spec)): RunKeys {
  const osk = specKey({ ...spec, from: null });
  return {
    key: hashOf({ v: VALUE_VERSION, offshoot: osk, depth, steps: spec.steps, record: spec.record }),
    prefixKey: hashOf({ v: VALUE_VERSION, offshoot: osk, depth, record: spec.record }),
  };
}

/**
 * The cache keys of an offshoot whose parent ended in the state hashed as `parentState`
 * (graph/state.ts): content hashes of its own keys and that state, never of the parent's spec.
 */
export function offshootKeys(own: RunKeys, parentState: string): RunKeys {
  return {
    key: hashOf({ v: VALUE_VERSION, own: own.key, from: parentState }),
    prefixKey: hashOf({ v: VALUE_VERSION, own: own.prefixKey, from: parentState }),
  };
}

// ---- definitions and plots ----

/** Key of a resolved definition (references already replaced by their keys). */
export function definitionKey(seed: number, category: string, value: unknown): string {
  return hashOf({ v: VALUE_VERSION, seed, category, value });
}

/** Key of a plot's own content (its built-in and options, never its run names). */
export function plotKey(spec: unknown): string {
  return hashOf({ v: VALUE_VERSION, spec });
}
