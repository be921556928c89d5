// Bundles the extension-host tests to out/test/extension/*.js (CommonJS; `vscode` and mocha stay
// external: the extension host provides the first, the repository's node_modules the second).
import { build } from 'esbuild';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
// test/extension/untrusted/ holds the suites of the untrusted pass (run.sh starts a server that
// leaves workspace trust on): its own index, so the trusted pass never loads them
const entries = ['.', 'untrusted'].flatMap((d) =>
  readdirSync(join(here, d)).filter((f) => f === 'index.ts' || f.endsWith('.test.ts')).map((f) => join(here, d, f)),
);
await build({
  absWorkingDir: root,
  entryPoints: entries,
  outdir: join(root, 'out', 'test', 'extension'),
  outbase: here,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: 'inline',
  external: ['vscode', 'mocha', 'mocha/*'],
  logLevel: 'warning',
});
