#!/usr/bin/env node
// Writes docs/language.md from the built-in table (src/core/lang/docs.ts). The TypeScript source
// is bundled in memory with esbuild and imported, so no separate compile step is needed.
// `--check` exits 1 when the committed file is stale instead of writing it.
import { build } from 'esbuild';
import { readFileSync, writeFileSync, existsSync, mkdirSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = await build({
  entryPoints: [join(root, 'src/core/lang/docs.ts')],
  bundle: true, write: false, format: 'esm', platform: 'node', target: 'node20', logLevel: 'error',
});
const mod = await import('data:text/javascript;base64,' + Buffer.from(out.outputFiles[0].text).toString('base64'));
const text = mod.languageReference();
const file = join(root, 'docs/language.md');
if (process.argv.includes('--check')) {
  const cur = existsSync(file) ? readFileSync(file, 'utf8') : '';
  if (cur !== text) {
    console.error('docs/language.md is stale: run `npm run docs`');
    process.exit(1);
  }
  console.log('docs/language.md is up to date');
} else {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
  console.log(`wrote docs/language.md (${text.length} characters)`);
}
