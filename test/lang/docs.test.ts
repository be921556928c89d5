// The language reference is generated from the built-in table; the committed copy must match.
import { expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { languageReference } from '../../src/core/lang/docs';
import { BUILTINS } from '../../src/core/lang';

it('docs/language.md is up to date with the built-in table (run `npm run docs`)', () => {
  const committed = readFileSync(join(__dirname, '../../docs/language.md'), 'utf8');
  expect(committed).toBe(languageReference());
});

it('documents every built-in and every parameter', () => {
  const doc = languageReference();
  for (const b of BUILTINS) {
    expect(doc).toContain(`### \`${b.name}(`);
    for (const p of b.params) expect(doc).toContain(`\`${p.name}\``);
  }
});
