// `--shard i/N`: split a file's runs over N independent processes (job arrays, CI matrices).
// Shard i (1-based, like Playwright and most job-array indices with `$((ID + 1))`) takes the
// runs whose position in the file's canonical run list is ≡ i−1 (mod N): every N-th family
// member, so the members of one sweep spread evenly. `sgdexp merge` joins the shards' JSON.
import type { ResultsDoc } from '../core/wire/results';
import type { ClaimDef } from '../core/program';
import { UsageError } from './files';

export interface Shard {
  /** 1-based */
  index: number;
  count: number;
}

export function parseShard(text: string): Shard {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  if (!m) throw new UsageError(`--shard expects i/N (for example 2/4), got "${text}"`);
  const index = Number(m[1]);
  const count = Number(m[2]);
  if (count < 1 || index < 1 || index > count)
    throw new UsageError(`--shard ${text}: need 1 ≤ i ≤ N (shards are numbered from 1)`);
  return { index, count };
}

/** Which of the canonical run keys belong to the shard. */
export function shardKeys(keys: readonly string[], shard: Shard): string[] {
  return keys.filter((_, j) => j % shard.count === shard.index - 1);
}

/** What a sharded results document records about its shard (an added field of results.md). */
export interface ShardInfo {
  index: number;
  count: number;
  /** every run key of the unsharded document, in its order: merge restores this order */
  keys: string[];
  /** the file's claims, resolved: they read runs of every shard, so merge evaluates them */
  claims?: ClaimDef[];
}

export type ShardedDoc = ResultsDoc & { shard?: ShardInfo };

/** Restrict a document to the shard's runs and record the shard. `keys` are every run of the
 *  unsharded document, in order (default: the document's own runs). */
export function restrictToShard(doc: ResultsDoc, shard: Shard, keys: readonly string[] = Object.keys(doc.runs)): ShardedDoc {
  const mine = new Set(shardKeys(keys, shard));
  const runs: ResultsDoc['runs'] = {};
  for (const k of keys) if (mine.has(k) && doc.runs[k]) runs[k] = doc.runs[k];
  return { ...doc, runs, shard: { index: shard.index, count: shard.count, keys: [...keys] } };
}
