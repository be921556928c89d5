// The CLI's use of the reactive engine (src/core/graph/engine.ts): the very engine, worker pool
// and disk cache the language server uses; this file only adds what a batch runner needs —
// a default cache folder, progress from the results stream, cache statistics, and --shard.
import type { Worker } from 'node:worker_threads';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CheckedProgram } from '../core/program';
import type { ResultsDoc } from '../core/wire/results';
import { Engine } from '../core/graph/engine';
import { lowerProgram } from '../core/lower';
import { docPlot } from '../core/graph/report';
import { limitsWith } from '../core/checkHooks';
import { defaultCacheDir } from './prestart';

export { defaultCacheDir };

export interface EngineConfig {
  jobs: number | null;
  cache: boolean;
  cacheDir: string | null;
  /** --max-time, --max-memory: the engine refuses a run above them, as the checker does */
  limits?: { seconds: number | null; bytes: number | null };
  /** worker threads started ahead (prestart.ts), adopted by the pool */
  threads?: Worker[];
}

export interface RunStats {
  /** runs stepped in this process (from scratch or resumed) */
  computed: number;
  /** runs taken from the memory or disk cache (or sliced from a longer cached run) */
  cached: number;
}

export interface CliEngine {
  run(
    file: string,
    program: CheckedProgram,
    opts: { only: ReadonlySet<string> | null; onUpdate: (partial: ResultsDoc) => void; signal?: AbortSignal },
  ): Promise<{ doc: ResultsDoc; stats: RunStats }>;
  dispose(): Promise<void>;
}

/** Every run of the file, in the order the results document lists them. */
export function plannedRunIds(program: CheckedProgram): string[] {
  return lowerProgram(program).runs.map((r) => r.id);
}

export async function openEngine(cfg: EngineConfig): Promise<CliEngine> {
  const engine = new Engine({
    workers: cfg.jobs ?? undefined,
    cacheDir: cfg.cache ? resolve(cfg.cacheDir ?? defaultCacheDir()) : null,
    noCache: !cfg.cache,
    limits: limitsWith(cfg.limits ?? {}).limits,
    threads: cfg.threads,
  });
  return {
    async run(file, program, { only, onUpdate, signal }) {
      const uri = pathToFileURL(resolve(file)).href;
      const off = engine.on('results', (m) => {
        if (m.uri === uri) onUpdate(m.doc);
      });
      const from = engine.log.length;
      try {
        let doc: ResultsDoc;
        if (only) {
          // A shard: the engine computes exactly these runs (and the runs they continue from);
          // the document keeps the file's plots over all its runs, as the unsharded one does.
          const lowered = lowerProgram(program);
          doc = await engine.run(uri, program, { file, only, signal });
          doc = { ...doc, plots: lowered.plots.map((p) => docPlot(p, p.runIds)) };
        } else {
          doc = await engine.run(uri, program, { file, runAll: true, signal });
        }
        const events = engine.log.slice(from).filter((e) => e.uri === uri && e.kind === 'run');
        const stats: RunStats = {
          computed: events.filter((e) => e.event === 'executed' || e.event === 'backdated').length,
          cached: events.filter((e) => e.event === 'reused' || e.event === 'sliced').length,
        };
        engine.close(uri);
        return { doc, stats };
      } finally {
        off();
      }
    },
    dispose: () => engine.dispose(),
  };
}
