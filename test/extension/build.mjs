// Bundles the extension-host tests to out/test/extension/*.js (CommonJS; `vscode` and mocha stay
// external: the extension host provides the first, the repository's node_modules the second).
import { build } from 'esbuild';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const entries = readdirSync(here).filter((f) => f === 'index.ts' || f.endsWith('.test.ts'));
await build({
  absWorkingDir: root,
  entryPoints: entries.map((f) => join(here, f)),
  outdir: join(root, 'out', 'test', 'extension'),
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: 'inline',
  external: ['vscode', 'mocha', 'mocha/*'],
  logLevel: 'warning',
});
