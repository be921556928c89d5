// `sgdexp run FILE|DIR...`: check each file, run it through the reactive graph (the same engine
// and worker pool as the editor's language server, src/core/graph), then write its outputs.
import { mkdirSync, writeFileSync } from 'node:fs';
import type { Worker } from 'node:worker_threads';
import { join, relative } from 'node:path';
import type { ResultsDoc } from '../core/wire/results';
import { claimLine } from './claimLine';
import { commonBase, expandInputs, outputStem } from './files';
import { formatDiagnostic, hasError, sortDiagnostics } from './diagnostics';
import { readAndCheck } from './source';
import { makeProgress, type ProgressSink } from './progress';
import { restrictToShard, shardKeys, type Shard } from './shard';
import { indexHtml } from './html';
import { prefetchFigureStack } from './lazy';
import { openEngine, plannedRunIds, type CliEngine } from './cliGraph';
import { writeJson } from './jsonStream';
import { add, timed, timedAsync, timingLine } from './timing';
import { LIMIT_HINT, type Limits } from './limits';
import { writeOutputs } from './outputs';

import type { Format } from './formats';
export { FORMATS, type Format } from './formats';

export interface RunOptions {
  out: string;
  formats: Format[];
  json: boolean;
  jobs: number | null;
  quiet: boolean;
  cache: boolean;
  cacheDir: string | null;
  strict: boolean;
  shard: Shard | null;
  /** --max-time, --max-memory (null: the defaults) */
  limits: Limits;
  /** worker threads started before the run stack loaded (prestart.ts) */
  threads?: Worker[];
}


/** exit status after a signal: 128 + its number, as a shell reports a process it ended */
const SIGNAL_EXIT = { SIGINT: 130, SIGTERM: 143 } as const;

export async function runCommand(inputs: string[], o: RunOptions): Promise<number> {
  add('start', performance.now());
  const files = expandInputs(inputs);
  const base = commonBase(files);
  const progress = makeProgress(process.stderr, { quiet: o.quiet });
  const engine = await timedAsync('open', () => openEngine({ jobs: o.jobs, cache: o.cache, cacheDir: o.cacheDir, limits: o.limits, threads: o.threads }));
  // Ctrl-C (SIGINT) or SIGTERM (what Slurm and CI time limits send): the runs in flight are
  // cancelled, what they computed is written (status `cancelled`, their partial trajectories),
  // the remaining files are skipped; exit 128 + the signal's number (130, 143). A second signal
  // ends at once.
  const abort = new AbortController();
  let exitOnSignal: number | null = null;
  const onSignal = (name: 'SIGINT' | 'SIGTERM') => () => {
    const code = SIGNAL_EXIT[name];
    if (abort.signal.aborted) process.exit(exitOnSignal ?? code);
    exitOnSignal = code;
    process.stderr.write(`\nsgdexp: ${name === 'SIGINT' ? 'interrupted' : 'terminated'}; writing what was computed (${name === 'SIGINT' ? 'Ctrl-C' : 'a signal'} again to quit now)\n`);
    abort.abort();
  };
  const onSigint = onSignal('SIGINT');
  const onSigterm = onSignal('SIGTERM');
  process.on('SIGINT', onSigint);
  process.on('SIGTERM', onSigterm);
  const docs: ResultsDoc[] = [];
  const index: { file: string; href: string; status: string }[] = [];
  let failed = false;
  const t0 = performance.now();
  try {
    for (const file of files) {
      if (abort.signal.aborted) break;
      const r = await runOne(file, engine, progress, o, abort.signal);
      if (r.failed) failed = true;
      if (r.doc) {
        docs.push(r.doc);
        const stem = outputStem(file, base, o.out);
        if (o.formats.includes('html')) index.push({ file, href: relative(o.out, stem + '.html'), status: r.summary });
        await writeOutputs(r.doc, stem, o.formats, r.source);
      }
    }
  } finally {
    process.off('SIGINT', onSigint);
    process.off('SIGTERM', onSigterm);
    await timedAsync('close', () => engine.dispose());
  }
  if (o.formats.includes('html') && files.length > 1) {
    mkdirSync(o.out, { recursive: true });
    writeFileSync(join(o.out, 'index.html'), indexHtml(index));
  }
  if (process.env.SGDEXP_TIMING)
    process.stderr.write(timingLine() + '\n');
  // streamed: 10⁶ runs are more text than one JavaScript string holds
  if (o.json) await writeJson(process.stdout, docs.length === 1 ? docs[0] : docs);
  if (!o.quiet)
    process.stderr.write(`${files.length} file${files.length === 1 ? '' : 's'} in ${((performance.now() - t0) / 1000).toFixed(1)} s → ${o.out}\n`);
  return exitOnSignal ?? (failed ? 1 : 0);
}

async function runOne(
  file: string,
  engine: CliEngine,
  progress: ProgressSink,
  o: RunOptions,
  signal: AbortSignal,
): Promise<{ doc: ResultsDoc | null; source: string | null; failed: boolean; summary: string }> {
  const checked = timed('check', () => readAndCheck(file, { ...o.limits, hint: LIMIT_HINT }));
  for (const d of sortDiagnostics(checked.diagnostics)) {
    if (d.severity === 'error' || d.severity === 'warning') process.stderr.write(formatDiagnostic(file, d) + '\n');
  }
  const program = checked.program;
  // a file with errors is not run: no report of nothing, and the errors said once more, counted
  const fatal = sortDiagnostics(checked.diagnostics).filter((d) => d.severity === 'error');
  if (fatal.length || !program) {
    const n = Math.max(1, fatal.length);
    const first = fatal[0] ? ` (first: ${formatDiagnostic(file, fatal[0])})` : '';
    process.stderr.write(`${file}: not run: ${n} error${n === 1 ? '' : 's'}${first}; no outputs written\n`);
    return { doc: null, source: checked.text, failed: true, summary: `${n} error${n === 1 ? '' : 's'}` };
  }
  const diagFailed = hasError(checked.diagnostics);

  // Every run of the file, in the order the document lists them; a shard takes every N-th.
  const all = plannedRunIds(program);
  const only = o.shard ? new Set(shardKeys(all, o.shard)) : null;

  progress.begin(file);
  const draws = o.formats.some((f) => f === 'svg' || f === 'png' || f === 'html');
  let prefetched = false;
  const result = await timedAsync('engine', () => engine.run(file, program, {
    only,
    signal,
    onUpdate: (partial) => {
      for (const [key, r] of Object.entries(partial.runs)) {
        if (only && !only.has(key)) continue;
        if (draws && !prefetched && r.status === 'running' && r.progress) {
          prefetched = true;
          prefetchFigureStack();
        }
        progress.update(key, {
          status: r.status,
          step: r.progress?.step ?? r.step?.[r.step.length - 1] ?? 0,
          steps: r.progress?.steps ?? Number(r.params?.steps ?? 0),
          message: r.message,
        });
      }
    },
  }));
  let doc: ResultsDoc = canonicalOrder(result.doc, all);
  // a shard holds only some runs: its claims are checked on the merged document, not here
  if (o.shard) {
    const { claims: _claims, ...rest } = doc;
    const sharded = restrictToShard(rest, o.shard, all);
    if (checked.program?.claims?.length) sharded.shard!.claims = checked.program.claims;
    doc = sharded;
  }

  const runs = Object.values(doc.runs);
  const count = (s: string) => runs.filter((r) => r.status === s).length;
  const errors = count('error');
  const cancelled = count('cancelled');
  const diverged = count('diverged');
  for (const [key, r] of Object.entries(doc.runs)) {
    if (r.status === 'error' || r.status === 'diverged') process.stderr.write(`${file}: ${key}: ${r.status}: ${r.message ?? ''}\n`);
  }
  const { computed, cached } = result.stats;
  const summary =
    `${runs.length} run${runs.length === 1 ? '' : 's'}: ${count('done')} done${diverged ? `, ${diverged} diverged` : ''}${errors ? `, ${errors} failed` : ''}${cancelled ? `, ${cancelled} cancelled` : ''}` +
    ` (${computed} computed, ${cached} from cache)${diagFailed ? '; check errors' : ''}`;
  const claims = doc.claims ?? [];
  const claimsFailed = claims.filter((c) => c.status !== 'held').length;
  progress.end(summary + (claims.length ? `; claims: ${claims.length - claimsFailed} of ${claims.length} hold` : ''));
  for (const c of claims) {
    // a failed claim is always said; the held ones unless --quiet
    if (c.status === 'held' && o.quiet) continue;
    process.stderr.write(claimLine(file, c) + '\n');
  }
  return {
    doc,
    source: checked.text,
    failed: diagFailed || errors > 0 || cancelled > 0 || (o.strict && diverged > 0) || claimsFailed > 0,
    summary: summary + (claims.length ? `; claims: ${claims.length - claimsFailed} of ${claims.length} hold` : ''),
  };
}


/** Runs in the file's order (lowering order), whatever order the engine finished them in,
 *  so a sharded and merged document equals the unsharded one byte for byte. */
function canonicalOrder(doc: ResultsDoc, order: readonly string[]): ResultsDoc {
  const runs: ResultsDoc['runs'] = {};
  for (const k of order) if (k in doc.runs) runs[k] = doc.runs[k];
  for (const k of Object.keys(doc.runs)) if (!(k in runs)) runs[k] = doc.runs[k];
  return { ...doc, runs };
}
