// `npm run package`: a release build (minified, no source maps), then a .vsix with @vscode/vsce,
// offline and with --no-dependencies (esbuild bundled everything; .vscodeignore whitelists the
// bundles, icons, templates, grammar). Prints the .vsix's size and what it contains.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const out = join(root, 'out', `${pkg.name}-${pkg.version}.vsix`);
mkdirSync(dirname(out), { recursive: true });

if (!process.argv.includes('--no-build')) {
  execFileSync(process.execPath, [join(root, 'scripts/build.mjs'), '--release'], { cwd: root, stdio: 'inherit' });
}
const vsce = join(root, 'node_modules', '@vscode', 'vsce', 'vsce');
const args = ['package', '--no-dependencies', '--out', out, '--allow-missing-repository', '--skip-license'];
execFileSync(process.execPath, [vsce, ...args], {
  cwd: root,
  stdio: ['ignore', 'inherit', 'inherit'], // never wait for a prompt
  env: { ...process.env, VSCE_TELEMETRY: '0' },
});
const listing = execFileSync(process.execPath, [vsce, 'ls', '--no-dependencies'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
const files = listing.split('\n').filter(Boolean);
const kb = (p) => (statSync(join(root, p)).size / 1024).toFixed(1);
console.log(`package: ${relative(root, out)} ${(statSync(out).size / 1024).toFixed(1)} KB, ${files.length} files`);
for (const f of files) console.log(`  ${f}  ${kb(f)} KB`);
