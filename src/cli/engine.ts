// The CLI's use of the reactive engine (src/core/graph/engine.ts): the very engine, worker pool
// and disk cache the language server uses; this file only adds what a batch runner needs —
// a default cache folder, progress from the results stream, cache statistics, and --shard.
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CheckedProgram, PlotDef, Value } from '../core/program';
import type { ResultsDoc } from '../core/results';
import { Engine } from '../core/graph/engine';
import { lowerProgram, type LoweredProgram } from '../core/lower';

export interface EngineConfig {
  jobs: number | null;
  cache: boolean;
  cacheDir: string | null;
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
    opts: { only: ReadonlySet<string> | null; onUpdate: (partial: ResultsDoc) => void },
  ): Promise<{ doc: ResultsDoc; stats: RunStats }>;
  dispose(): Promise<void>;
}

export function defaultCacheDir(): string {
  if (process.env.SGDEXP_CACHE_DIR) return process.env.SGDEXP_CACHE_DIR;
  const base = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(base, 'sgdexp');
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
  });
  return {
    async run(file, program, { only, onUpdate }) {
      const uri = pathToFileURL(resolve(file)).href;
      const off = engine.on('results', (m) => {
        if (m.uri === uri) onUpdate(m.doc);
      });
      const from = engine.log.length;
      try {
        let doc: ResultsDoc;
        if (only) {
          // A shard: the engine computes the runs its plots demand (runAll = false), so the
          // shard is handed a copy of the program whose only plot draws the shard's runs; the
          // document then gets the file's real plots back.
          const lowered = lowerProgram(program);
          doc = await engine.run(uri, shardProgram(program, lowered, only), { file, runAll: false });
          doc = { ...doc, plots: lowered.plots.map((p) => ({ ...p.spec, runs: p.runIds })) };
        } else {
          doc = await engine.run(uri, program, { file, runAll: true });
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

/** The program with its plots replaced by one plot over the shard's runs. A member is
 *  selected by its one coordinate (`gd[lr=0.3]`); a member of a grid (two coordinates) can
 *  only be selected with its whole row, so grids are computed in larger pieces than needed. */
function shardProgram(program: CheckedProgram, lowered: LoweredProgram, only: ReadonlySet<string>): CheckedProgram {
  const runs: Value[] = [];
  const seen = new Set<string>();
  for (const r of lowered.runs) {
    if (!only.has(r.id)) continue;
    const coords = Object.entries(r.member ?? {});
    const v: Value = coords.length === 0 ? { kind: 'ref', name: r.def } : { kind: 'select', name: r.def, param: coords[0][0], value: coords[0][1] };
    const k = JSON.stringify(v);
    if (!seen.has(k)) {
      seen.add(k);
      runs.push(v);
    }
  }
  const template = program.plots[0];
  const plot: PlotDef = {
    index: 0,
    range: template?.range ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
    builtin: 'loss',
    runs,
    options: {},
    deps: [...new Set(runs.map((v) => (v.kind === 'ref' || v.kind === 'select' ? v.name : '')))],
  };
  return { ...program, plots: runs.length ? [plot] : [] };
}
