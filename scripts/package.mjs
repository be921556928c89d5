// `npm run package`: a .vsix of a release build (minified, no source maps), made with
// @vscode/vsce offline and --no-dependencies (esbuild bundled everything; .vscodeignore whitelists
// the bundles, icons, templates, grammar).
// The release build runs in a staging copy (sources + scripts/build.mjs, node_modules linked), so
// the shared working tree's dist/ — which tests may be using — is never rewritten.
//   node scripts/package.mjs [--out FILE.vsix]
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const outArg = process.argv.indexOf('--out');
const out = outArg > 0 ? resolve(process.argv[outArg + 1]) : join(root, 'out', `${pkg.name}-${pkg.version}.vsix`);
mkdirSync(dirname(out), { recursive: true });

const stage = mkdtempSync(join(tmpdir(), 'sgdexp-package-'));
try {
  const copy = ['package.json', 'README.md', 'LICENSE', 'CHANGELOG.md', '.vscodeignore', 'language-configuration.json', 'tsconfig.json',
    'icons', 'templates', 'syntaxes', 'src', 'webview', 'scripts/build.mjs'];
  for (const f of copy) if (existsSync(join(root, f))) cpSync(join(root, f), join(stage, f), { recursive: true });
  symlinkSync(join(root, 'node_modules'), join(stage, 'node_modules'), 'dir');
  execFileSync(process.execPath, [join(stage, 'scripts/build.mjs'), '--release'], { cwd: stage, stdio: 'inherit' });
  const vsce = join(root, 'node_modules', '@vscode', 'vsce', 'vsce');
  execFileSync(process.execPath, [vsce, 'package', '--no-dependencies', '--out', out, '--allow-missing-repository', '--skip-license'], {
    cwd: stage,
    stdio: ['ignore', 'ignore', 'inherit'], // never wait for a prompt
  });
  const listing = execFileSync(process.execPath, [vsce, 'ls', '--no-dependencies'], { cwd: stage, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const files = listing.split('\n').filter(Boolean).sort();
  const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
  console.log(`package: ${relative(process.cwd(), out)} ${kb(statSync(out).size)}, ${files.length} files`);
  for (const f of files) console.log(`  ${f.padEnd(40)} ${kb(statSync(join(stage, f)).size).padStart(10)}`);
} finally {
  rmSync(stage, { recursive: true, force: true });
}
