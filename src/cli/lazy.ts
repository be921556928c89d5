// The parts of the CLI that `check`, `--version` and `--help` never use, loaded on first use.
// In dist/ each is its own bundle next to dist/cli.js (scripts/build.mjs turns these two
// imports into requires of ./run.js and ./render.js; a dynamic import alone would be bundled
// into cli.js, which would still parse and compile all of it at every start):
//   runStack.ts → dist/run.js: `run` and `merge` (the graph engine, the outputs);
//   figureStack.ts → dist/render.js: Observable Plot, d3, linkedom, resvg — only when a figure
//   is drawn, so a re-run whose outputs are up to date does not load them either.
export type RunStack = typeof import('./runStack');
export type FigureStack = typeof import('./figureStack');

let runStack: Promise<RunStack> | null = null;
let figureStack: Promise<FigureStack> | null = null;

export function loadRunStack(): Promise<RunStack> {
  return (runStack ??= import('./runStack'));
}

export function loadFigureStack(): Promise<FigureStack> {
  return (figureStack ??= import('./figureStack'));
}
