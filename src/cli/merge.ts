// `sgdexp merge`: join the JSON documents of the shards of one experiment file into the
// document an unsharded run writes (same runs, same order, no `shard` field).
import type { ResultsDoc, RunResult } from '../core/wire/results';
import type { ShardedDoc } from './shard';
import { evaluateClaims } from '../core/claims';

export class MergeError extends Error {}

export function mergeDocs(docs: readonly ShardedDoc[]): ResultsDoc {
  if (docs.length === 0) throw new MergeError('nothing to merge');
  for (const [i, d] of docs.entries()) {
    if (!d || d.format !== 'sgdexp-results') throw new MergeError(`input ${i + 1} is not an sgdexp results document`);
    if (d.version !== 1) throw new MergeError(`input ${i + 1} has results format version ${d.version}; this merge reads version 1`);
  }
  const first = docs[0];
  for (const d of docs.slice(1)) {
    if (d.file !== first.file) throw new MergeError(`documents of different files: ${first.file} and ${d.file}`);
    if (d.seed !== first.seed) throw new MergeError(`documents with different seeds: ${first.seed} and ${d.seed}`);
    if (JSON.stringify(d.plots) !== JSON.stringify(first.plots))
      throw new MergeError(`documents of ${d.file} with different plots: the file changed between shards`);
    const a = first.shard?.keys, b = d.shard?.keys;
    if (a && b && JSON.stringify(a) !== JSON.stringify(b))
      throw new MergeError(`shards of ${d.file} list different runs: the file changed between shards`);
    if (first.shard && d.shard && first.shard.count !== d.shard.count)
      throw new MergeError(`shards of ${d.file} split ${first.shard.count} and ${d.shard.count} ways`);
  }
  const runs = new Map<string, RunResult>();
  for (const d of docs) {
    for (const [k, r] of Object.entries(d.runs)) {
      const prev = runs.get(k);
      if (!prev || rank(r) > rank(prev)) runs.set(k, r);
    }
  }
  const order = first.shard?.keys ?? [...runs.keys()];
  const missing = order.filter((k) => !runs.has(k));
  if (missing.length > 0)
    throw new MergeError(`missing runs (a shard is absent?): ${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ', …' : ''}`);
  const merged: ResultsDoc['runs'] = {};
  for (const k of order) merged[k] = runs.get(k)!;
  for (const [k, r] of runs) if (!(k in merged)) merged[k] = r;
  const { shard: _shard, claims: _claims, ...rest } = first;
  const out: ResultsDoc = { ...rest, runs: merged };
  // the claims read runs of every shard: they are checked here, on the whole document
  const claims = first.shard?.claims;
  if (claims?.length) out.claims = evaluateClaims(out, claims);
  return out;
}

/** When two shards both hold a run (overlapping shards), keep the more complete one. */
function rank(r: RunResult): number {
  return r.status === 'done' ? 3 : r.status === 'diverged' ? 2 : r.status === 'error' ? 1 : 0;
}
