// The TextMate grammar (highlighting before the server starts), tokenized by VS Code's own engine
// (vscode-textmate + oniguruma), and the language configuration's brackets and comments.
import { beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as oniguruma from 'vscode-oniguruma';
import { Registry, INITIAL, parseRawGrammar, type IGrammar } from 'vscode-textmate';

const root = join(__dirname, '../..');
let grammar: IGrammar;

beforeAll(async () => {
  const wasm = readFileSync(join(root, 'node_modules/vscode-oniguruma/release/onig.wasm'));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const registry = new Registry({
    onigLib: Promise.resolve({ createOnigScanner: (s: string[]) => new oniguruma.OnigScanner(s), createOnigString: (s: string) => new oniguruma.OnigString(s) }),
    loadGrammar: async (scope) =>
      scope === 'source.sgdexp' ? parseRawGrammar(readFileSync(join(root, 'syntaxes/sgdexp.tmLanguage.json'), 'utf8'), 'sgdexp.tmLanguage.json') : null,
  });
  grammar = (await registry.loadGrammar('source.sgdexp'))!;
});

/** token text → its innermost scope, for one line */
function scopes(line: string): [string, string][] {
  const r = grammar.tokenizeLine(line, INITIAL);
  return r.tokens.map((t) => [line.slice(t.startIndex, t.endIndex), t.scopes[t.scopes.length - 1]] as [string, string]).filter(([s]) => s.trim());
}

/** scopes of every line of a multi-line text (the rule stack carries over) */
function scopesOf(text: string): [string, string][][] {
  let stack = INITIAL;
  return text.split('\n').map((line) => {
    const r = grammar.tokenizeLine(line, stack);
    stack = r.ruleStack;
    return r.tokens.map((t) => [line.slice(t.startIndex, t.endIndex), t.scopes[t.scopes.length - 1]] as [string, string]).filter(([s]) => s.trim());
  });
}

describe('TextMate grammar', () => {
  it('colours the continuation lines of a call as arguments, not definitions', () => {
    const lines = scopesOf('r = train(net, data,\n  gd(lr = 0.1),\n  steps = 10)\nnext = 1');
    expect(lines[2]).toContainEqual(['steps', 'variable.parameter.sgdexp']);
    expect(lines[1]).toContainEqual(['gd', 'support.function.builtin.sgdexp']);
    expect(lines[3][0]).toEqual(['next', 'entity.name.variable.definition.sgdexp']);
  });
  it('ends an unclosed call or list at the next line that starts in column 0, as the parser does', () => {
    const lines = scopesOf('data = teacher(n = 4, p = 2\nnet = linear2(width = 3)\nobs = [[1, ?]\nplot loss(r)');
    expect(lines[1][0]).toEqual(['net', 'entity.name.variable.definition.sgdexp']);
    expect(lines[1]).toContainEqual(['linear2', 'support.function.builtin.sgdexp']);
    expect(lines[3][0]).toEqual(['plot', 'keyword.control.plot.sgdexp']);
    // an indented continuation still belongs to the call
    const cont = scopesOf('net = linear2(\n  width = 3\n)');
    expect(cont[1]).toContainEqual(['width', 'variable.parameter.sgdexp']);
  });
  it('colours a definition', () => {
    const s = Object.fromEntries(scopes('gd = train(net, data, gd(lr = 1e-3), steps = 20000)  # run'));
    expect(s['gd ']).toBeUndefined();
    const list = scopes('gd = train(net, data, gd(lr = 1e-3), steps = 20000)  # run');
    expect(list[0]).toEqual(['gd', 'entity.name.variable.definition.sgdexp']);
    expect(list).toContainEqual(['train', 'support.function.builtin.sgdexp']);
    expect(list).toContainEqual(['lr', 'variable.parameter.sgdexp']);
    expect(list).toContainEqual(['1e-3', 'constant.numeric.sgdexp']);
    expect(list).toContainEqual(['net', 'variable.other.sgdexp']);
    expect(list).toContainEqual(['# run', 'comment.line.number-sign.sgdexp']);
  });
  it('colours plot statements, words, strings and holes', () => {
    const list = scopes('plot singular_values(gd, of = W1, title = "a \\"b\\"")');
    expect(list[0]).toEqual(['plot', 'keyword.control.plot.sgdexp']);
    expect(list).toContainEqual(['W1', 'constant.other.word.sgdexp']);
    expect(list.some(([t, s]) => t.includes('a ') && s === 'string.quoted.double.sgdexp')).toBe(true);
    expect(scopes('obs = [[1, ?]]')).toContainEqual(['?', 'keyword.operator.missing.sgdexp']);
    expect(scopes('seed = 1')[0]).toEqual(['seed', 'keyword.other.seed.sgdexp']);
  });
  it('colours expect statements: the keyword, the claim terms and the operators', () => {
    const list = scopes('expect slope(logdet, ln) ≈ theory(logdet, ln) within 8%');
    expect(list[0]).toEqual(['expect', 'keyword.control.expect.sgdexp']);
    expect(list).toContainEqual(['slope', 'support.function.builtin.sgdexp']);
    expect(list).toContainEqual(['theory', 'support.function.builtin.sgdexp']);
    expect(list).toContainEqual(['≈', 'keyword.operator.claim.sgdexp']);
    expect(list).toContainEqual(['within', 'keyword.operator.claim.sgdexp']);
    expect(scopes('expect final(rank, r) <= 1')).toContainEqual(['<=', 'keyword.operator.claim.sgdexp']);
  });
});

it('language configuration: # comments, () and [] brackets, auto-closing quotes', () => {
  const c = JSON.parse(readFileSync(join(root, 'language-configuration.json'), 'utf8'));
  expect(c.comments.lineComment).toBe('#');
  expect(c.brackets).toEqual([['(', ')'], ['[', ']']]);
  expect(c.autoClosingPairs.map((p: { open: string }) => p.open)).toEqual(['(', '[', '"', "'"]);
});

it('the grammar knows exactly the built-ins and claim terms of the table', async () => {
  const { BUILTINS, CLAIM_TERMS } = await import('../../src/core/lang');
  const g = JSON.parse(readFileSync(join(root, 'syntaxes/sgdexp.tmLanguage.json'), 'utf8'));
  const begin: string = g.repository.call.patterns[0].begin;
  const names = /\\b\(([^)]*)\)/.exec(begin)![1].split('|');
  expect(names.sort()).toEqual([...new Set([...BUILTINS, ...CLAIM_TERMS].map((b) => b.name))].sort());
});
