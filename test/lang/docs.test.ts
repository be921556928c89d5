// The language reference and the grammar's list of built-ins are generated from the built-in
// table; the committed copies must match.
import { expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { grammarWithBuiltins, languageReference } from '../../src/core/lang/docs';
import { BUILTINS } from '../../src/core/lang';

it('docs/language.md is up to date with the built-in table (run `npm run docs`)', () => {
  const committed = readFileSync(join(__dirname, '../../docs/language.md'), 'utf8');
  expect(committed).toBe(languageReference());
});

it('the TextMate grammar lists the built-ins of the table (run `npm run docs`)', () => {
  const committed = readFileSync(join(__dirname, '../../syntaxes/sgdexp.tmLanguage.json'), 'utf8');
  expect(committed).toBe(grammarWithBuiltins(committed));
});

it('documents every built-in and every parameter', () => {
  const doc = languageReference();
  for (const b of BUILTINS) {
    expect(doc).toContain(`### \`${b.name}(`);
    for (const p of b.params) expect(doc).toContain(`\`${p.name}\``);
  }
});
