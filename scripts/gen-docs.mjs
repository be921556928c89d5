#!/usr/bin/env node
// Writes, from the built-in table (src/core/lang/docs.ts), docs/language.md and the list of
// built-in names in the TextMate grammar (syntaxes/sgdexp.tmLanguage.json). The TypeScript source
// is bundled in memory with esbuild and imported, so no separate compile step is needed.
// `--check` exits 1 when a committed file is stale instead of writing it.
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
const grammar = join(root, 'syntaxes/sgdexp.tmLanguage.json');
const files = [
  ['docs/language.md', mod.languageReference()],
  ['syntaxes/sgdexp.tmLanguage.json', mod.grammarWithBuiltins(readFileSync(grammar, 'utf8'))],
];
let stale = false;
for (const [name, text] of files) {
  const file = join(root, name);
  if (process.argv.includes('--check')) {
    const cur = existsSync(file) ? readFileSync(file, 'utf8') : '';
    if (cur !== text) {
      console.error(`${name} is stale: run \`npm run docs\``);
      stale = true;
    } else console.log(`${name} is up to date`);
  } else {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
    console.log(`wrote ${name} (${text.length} characters)`);
  }
}
if (stale) process.exit(1);
