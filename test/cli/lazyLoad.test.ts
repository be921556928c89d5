// What the CLI loads: `--version`, `check` and a re-run whose outputs are up to date never load
// the figure stack (dist/render.js: Plot, d3, linkedom, resvg); `--version` loads dist/cli.js
// alone, `check` adds the checker (dist/check.js), `run` the run (dist/run.js) instead. A `--require` probe lists the files Node loaded for CommonJS
// (require.cache, which a CommonJS file reached through import() enters too).
import { beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { ensureBuilt, ROOT, sgdexp, tempDir } from './helpers';

beforeAll(() => ensureBuilt(), 600_000);

const FIG1 = 'examples/01-varre-fig1.sgdexp';

async function loaded(args: string[]): Promise<string[]> {
  const dir = tempDir('lazy');
  const probe = join(dir, 'probe.cjs');
  const list = join(dir, 'loaded.json');
  writeFileSync(probe, `process.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(list)}, JSON.stringify(Object.keys(require.cache))));\n`);
  const r = await sgdexp(args, { nodeArgs: ['--require', probe] });
  expect(r.code, r.stderr).toBe(0);
  return (JSON.parse(readFileSync(list, 'utf8')) as string[]).filter((f) => f !== probe);
}

const bundles = (files: string[]) => files.filter((f) => f.startsWith(join(ROOT, 'dist'))).map((f) => basename(f)).sort();
/** Loaded files that hold the figure stack: resvg's files, or a bundle with Observable Plot in it
 *  (Plot's class-name prefix for its styles, a string that minifying keeps). */
const PLOT_MARK = 'plot-d6a7b5';
const figureStack = (files: string[]) => files.filter((f) => /resvg|linkedom|observablehq/.test(f) || (/\.js$/.test(f) && readFileSync(f, 'utf8').includes(PLOT_MARK)));

describe('the CLI loads what a command uses', () => {
  it('--version loads dist/cli.js alone', async () => {
    const files = await loaded(['--version']);
    expect(bundles(files)).toEqual(['cli.js']);
    expect(figureStack(files)).toEqual([]);
  });

  it('check loads dist/cli.js and dist/check.js', async () => {
    const files = await loaded(['check', FIG1]);
    expect(bundles(files)).toEqual(['check.js', 'cli.js']);
    expect(figureStack(files)).toEqual([]);
  });

  it('run loads the figure stack when it draws, and not when the outputs are up to date', async () => {
    const out = tempDir('lazy-out');
    const cache = tempDir('lazy-cache');
    const args = ['run', FIG1, '--out', out, '--cache-dir', cache, '--quiet'];
    const first = await loaded(args);
    expect(bundles(first)).toEqual(['cli.js', 'render.js', 'run.js']);
    expect(figureStack(first).map((f) => basename(f))).toContain('render.js');
    expect(first.some((f) => /resvg/.test(f))).toBe(true);
    const again = await loaded(args);
    expect(bundles(again)).toEqual(['cli.js', 'run.js']);
    expect(figureStack(again)).toEqual([]);
  }, 300_000);

  it('the language server bundle holds no figure stack', () => {
    const server = readFileSync(join(ROOT, 'dist/server.js'), 'utf8');
    for (const m of ['@observablehq/plot', 'linkedom', '@resvg']) expect(server.includes(m), m).toBe(false);
  });
});
