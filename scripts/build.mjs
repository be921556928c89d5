// Bundles every entry point with esbuild. Entries that do not exist yet are skipped, so the
// build grows with the project. `--release` minifies and drops source maps.
import { build } from 'esbuild';
import { existsSync, mkdirSync, mkdtempSync, copyFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { spawnSync } from 'node:child_process';
import { join, dirname, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const release = process.argv.includes('--release');
const watch = process.argv.includes('--watch');

const node = { platform: 'node', target: 'node20', format: 'cjs', bundle: true };
// Parts of the CLI loaded on first use (src/cli/lazy.ts) are bundles of their own: in every
// other bundle a require of one of these modules stays a require of the bundle next to it
// (esbuild would otherwise bundle it into the requiring one, which would then parse it all).
const lazyBundles = { 'src/cli/checkCommand.ts': './check.js', 'src/cli/runStack.ts': './run.js', 'src/cli/figureStack.ts': './render.js' };
const lazyApart = (entry) => ({
  name: 'lazy-bundles-apart',
  setup(b) {
    b.onResolve({ filter: /^\.\/(checkCommand|runStack|figureStack)$/ }, (a) => {
      const rel = relative(root, join(a.resolveDir, a.path + '.ts')).split(sep).join('/');
      return rel in lazyBundles && rel !== entry ? { path: lazyBundles[rel], external: true } : undefined;
    });
  },
});
const entries = [
  { in: 'src/extension/extension.ts', out: 'dist/extension.js', ...node, external: ['vscode'] },
  { in: 'src/server/server.ts', out: 'dist/server.js', ...node },
  { in: 'src/core/graph/worker.ts', out: 'dist/worker.js', ...node },
  {
    in: 'src/cli/main.ts', out: 'dist/cli.js', ...node,
    external: ['@resvg/resvg-js'], banner: { js: '#!/usr/bin/env node' },
  },
  { in: 'src/cli/checkCommand.ts', out: 'dist/check.js', ...node },
  { in: 'src/cli/runStack.ts', out: 'dist/run.js', ...node },
  { in: 'src/cli/figureStack.ts', out: 'dist/render.js', ...node, external: ['@resvg/resvg-js'] },
  { in: 'webview/main.ts', out: 'dist/webview/webview.js', platform: 'browser', target: 'es2022', format: 'iife', bundle: true },
];

const t0 = performance.now();
await Promise.all(
  entries
    .filter((e) => existsSync(join(root, e.in)))
    .map(({ in: input, out, ...opts }) =>
      build({
        ...opts,
        plugins: [lazyApart(input)],
        absWorkingDir: root,
        entryPoints: [input],
        outfile: out,
        minify: release,
        sourcemap: release ? false : 'linked',
        logLevel: 'warning',
        metafile: false,
        define: { 'process.env.NODE_ENV': release ? '"production"' : '"development"' },
      }),
    ),
);
// Static webview assets (stylesheet) next to the bundle.
if (existsSync(join(root, 'webview'))) {
  mkdirSync(join(root, 'dist/webview'), { recursive: true });
  for (const f of readdirSync(join(root, 'webview'))) {
    if (f.endsWith('.css')) copyFileSync(join(root, 'webview', f), join(root, 'dist/webview', f));
  }
}
// V8's code caches of the CLI's lazy bundles (src/cli/codeCache.ts), each made by the command that
// loads it, so the cache holds the functions that command compiles too. dist/run.js's is made by a
// re-run served from a temporary results cache (the path a re-run of an unchanged file takes; a
// cold run shares most of it). Without a cache the CLI compiles as before.
const example = join(root, 'examples/01-varre-fig1.sgdexp');
const scratch = mkdtempSync(join(tmpdir(), 'sgdexp-build-'));
const cli = (args, write) => spawnSync(process.execPath, [join(root, 'dist/cli.js'), ...args], {
  env: { ...process.env, ...(write ? { SGDEXP_CODE_CACHE_WRITE: '1' } : {}) }, stdio: 'ignore', timeout: 120_000,
});
const runArgs = ['run', '-q', '--format', 'json', '--out', join(scratch, 'out'), '--cache-dir', join(scratch, 'cache'), example];
const caches = [
  { bundle: 'dist/check.js', commands: [['check', example]] },
  { bundle: 'dist/run.js', commands: [runArgs, runArgs] },
];
try {
  for (const { bundle, commands } of caches) {
    const js = join(root, bundle);
    if (!existsSync(js) || !existsSync(join(root, 'dist/cli.js'))) continue;
    rmSync(`${js}.cache`, { force: true });
    let r;
    // every command but the last prepares (a first run fills the results cache); the last writes
    commands.forEach((args, i) => { if (!r || r.status === 0) r = cli(args, i === commands.length - 1); });
    if (r.status !== 0 || !existsSync(`${js}.cache`)) {
      rmSync(`${js}.cache`, { force: true });
      console.warn(`build: no code cache for ${bundle} (the command exited ${r.status ?? r.signal}); the CLI compiles it at each start`);
    }
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
if (!process.env.SGDEXP_QUIET) console.log(`build: ${(performance.now() - t0).toFixed(0)} ms${release ? ' (release)' : ''}`);
if (watch) console.log('watch mode is not supported; re-run the build');
