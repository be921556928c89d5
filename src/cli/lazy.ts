// The parts of the CLI a command may not use, loaded on first use: dist/cli.js itself holds
// only the command line (commander), so `--version` and `--help` load nothing else.
// In dist/ each is its own bundle next to dist/cli.js (scripts/build.mjs turns these two
// requires into requires of ./check.js, ./run.js and ./render.js; left to itself esbuild would bundle them
// into cli.js, which would then still parse and compile all of it at every start). `require`,
// not `import()`: Node's import() of a CommonJS file reads it asynchronously and scans the whole
// bundle for its export names first, which cost more than compiling it.
//   checkCommand.ts → dist/check.js: the language and the checker's numeric hooks;
//   runStack.ts → dist/run.js (which holds the checker too): `run` and `merge` (the graph engine, the outputs);
//   figureStack.ts → dist/render.js: Observable Plot, d3, linkedom, resvg — only when a figure
//   is drawn, so a re-run whose outputs are up to date does not load them either.
import { join } from 'node:path';
import { requireWithCodeCache } from './codeCache';

export type CheckStack = typeof import('./checkCommand');
export type RunStack = typeof import('./runStack');
export type FigureStack = typeof import('./figureStack');

export async function loadCheckStack(): Promise<CheckStack> {
  // in dist/, check.js sits next to cli.js with its V8 code cache (codeCache.ts); elsewhere (the
  // tests, on the sources) there is no such file and the module is required as usual
  return (requireWithCodeCache(join(__dirname, 'check.js')) ?? require('./checkCommand')) as CheckStack;
}

export async function loadRunStack(): Promise<RunStack> {
  // as check.js: through its code cache in dist/, required as usual on the sources
  return (requireWithCodeCache(join(__dirname, 'run.js')) ?? require('./runStack')) as RunStack;
}

export async function loadFigureStack(): Promise<FigureStack> {
  return require('./figureStack') as FigureStack;
}

/** Loads the figure stack now: called once the first run is computing (in worker threads),
 *  so parsing Plot, d3 and linkedom overlaps the workers' arithmetic instead of following it,
 *  and a re-run served from the cache never loads them. */
export function prefetchFigureStack(): void {
  try {
    require('./figureStack');
  } catch {
    // reported by the load that needs it
  }
}
