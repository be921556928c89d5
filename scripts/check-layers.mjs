#!/usr/bin/env node
// The layer rules of docs/architecture.md, checked over the import graph of src/ and webview/.
//
// TypeScript 7 ships no JavaScript compiler API, so the imports are read by a small scanner:
// comments are blanked and string contents masked (so a commented-out import or a quoted
// "import x from 'y'" never counts), then static imports (`import`, `import type`, `export … from`),
// side-effect imports, dynamic `import()` and `require()` are matched with their line. Relative
// specifiers are resolved to files (.ts, /index.ts); bare ones stay package names.
//
// Output: one line per violation, `file:line: rule — detail`, then "N passed, N failed" (each
// (file, rule) pair that holds passes; each violation fails). Exit 1 on any violation.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The rules, declaratively. An import rule applies to every file whose path matches `from` and
 * forbids targets matching `to` (a repository path for relative imports, the package name for
 * bare ones), unless the target matches `allow`, or the import is type-only and `typeOnlyOk`.
 * A globals rule forbids identifiers used as globals (after `.`-access and declarations are
 * excluded) in the files matching `from`.
 */
export const RULES = [
  { name: 'core-no-vscode', why: 'src/core runs in the CLI and in workers: no editor API', from: /^src\/core\//, to: /^vscode(\/|$)|^vscode-language/ },
  { name: 'core-no-outer-layers', why: 'src/core imports no server, extension, webview or CLI code', from: /^src\/core\//, to: /^(src\/(server|extension|cli)|webview)\// },
  { name: 'core-no-dom-or-mocha-globals', why: 'src/core gets its DOM injected and holds no tests', from: /^src\/core\//, globals: ['document', 'window', 'navigator', 'describe', 'it', 'suite', 'before', 'after', 'beforeEach', 'afterEach'] },
  { name: 'webview-no-server', why: 'the webview talks to the extension by messages only', from: /^webview\//, to: /^src\/server\/|^vscode-languageserver/ },
  { name: 'extension-no-cli', why: 'the extension host never loads the CLI', from: /^src\/extension\//, to: /^src\/cli\// },
  { name: 'numeric-is-a-leaf', why: 'the stepping core imports only itself (and the one place of keys)', from: /^src\/core\/numeric\//, to: /^(src|webview)\//, allow: /^src\/core\/numeric\/|^src\/core\/keys\.ts$/ },
  { name: 'lang-numeric-through-hooks', why: 'the language reaches the numeric core only through the hooks it is given', from: /^src\/core\/lang\//, to: /^src\/core\/(numeric|graph)\//, typeOnlyOk: true },
  { name: 'lower-no-graph', why: 'lowering uses src/core/keys.ts, not the graph', from: /^src\/core\/lower\.ts$/, to: /^src\/core\/graph\// },
  { name: 'keys-is-a-leaf', why: 'keys.ts reads only the spec types', from: /^src\/core\/keys\.ts$/, to: /^(src|webview)\//, allow: /^src\/core\/numeric\/spec\.ts$/, typeOnlyOk: true },
  { name: 'wire-is-a-leaf', why: 'the wire types import nothing from the rest of src', from: /^src\/core\/wire\//, to: /^(src|webview)\//, allow: /^src\/core\/wire\// },
];

// ---------------- scanning ----------------

const REGEX_BEFORE = new Set(['(', ',', '=', ':', '[', '!', '&', '|', '?', '{', '}', ';', '+', '-', '*', '%', '<', '>', '~', '^']);
const REGEX_AFTER_WORD = /(?:^|[^\w$.])(return|typeof|case|do|else|in|of|new|delete|void|throw|yield|await)$/;

/**
 * Blank comments and mask the contents of strings, template literals and regular expressions
 * (same length, newlines kept, so offsets and lines survive). Returns the masked text and the
 * string literals by the offset of their opening quote.
 */
export function mask(src) {
  const out = src.split('');
  const strings = new Map();
  const blank = (i) => { if (out[i] !== '\n') out[i] = ' '; };
  let i = 0;
  const n = src.length;
  const braces = []; // template nesting: depth of `{` at which a `${` opened
  let depth = 0;
  let lastSig = ''; // last significant character of code
  let lastWordEnd = -1;
  while (i < n) {
    const c = src[i];
    const d = src[i + 1];
    if (c === '/' && d === '/') {
      while (i < n && src[i] !== '\n') blank(i++);
      continue;
    }
    if (c === '/' && d === '*') {
      const end = src.indexOf('*/', i + 2);
      const stop = end < 0 ? n : end + 2;
      while (i < stop) blank(i++);
      continue;
    }
    if (c === "'" || c === '"') {
      const start = i++;
      let value = '';
      while (i < n && src[i] !== c && src[i] !== '\n') {
        if (src[i] === '\\') { value += src[i + 1]; blank(i++); blank(i++); continue; }
        value += src[i];
        blank(i++);
      }
      strings.set(start, value);
      i++;
      lastSig = c;
      continue;
    }
    if (c === '`' || (c === '}' && braces.length && braces[braces.length - 1] === depth)) {
      // a template literal, or its continuation after a `${…}` hole
      if (c === '}') braces.pop();
      const start = i++;
      let value = '';
      let hole = false;
      while (i < n) {
        if (src[i] === '\\') { blank(i++); blank(i++); continue; }
        if (src[i] === '`') break;
        if (src[i] === '$' && src[i + 1] === '{') { hole = true; break; }
        value += src[i];
        blank(i++);
      }
      if (hole) { braces.push(depth); i += 2; lastSig = '{'; continue; }
      if (c === '`' && !value.includes('${')) strings.set(start, value);
      i++;
      lastSig = '`';
      continue;
    }
    if (c === '/') {
      const before = src.slice(Math.max(0, i - 12), i).trimEnd();
      const isRegex = lastSig === '' || REGEX_BEFORE.has(lastSig) || (lastWordEnd >= 0 && REGEX_AFTER_WORD.test(before));
      if (isRegex) {
        i++;
        let cls = false;
        while (i < n && src[i] !== '\n') {
          if (src[i] === '\\') { blank(i++); blank(i++); continue; }
          if (src[i] === '[') cls = true;
          else if (src[i] === ']') cls = false;
          else if (src[i] === '/' && !cls) break;
          blank(i++);
        }
        i++;
        while (i < n && /[a-z]/.test(src[i])) i++;
        lastSig = ')';
        continue;
      }
    }
    if (c === '{') depth++;
    if (c === '}') depth--;
    if (/[\w$]/.test(c)) {
      while (i < n && /[\w$]/.test(src[i])) i++;
      lastSig = 'w';
      lastWordEnd = i;
      continue;
    }
    if (!/\s/.test(c)) { lastSig = c; lastWordEnd = -1; }
    i++;
  }
  return { text: out.join(''), strings };
}

const lineAt = (text, offset) => {
  let line = 1;
  for (let i = 0; i < offset; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
};

/** Every import of a source text: { spec, line, typeOnly, kind }. */
export function scanImports(src) {
  const { text, strings } = mask(src);
  const found = [];
  // the line is the statement's first line (where `import` / `require` stands)
  const at = (start, quote, typeOnly, kind) => {
    const spec = strings.get(quote);
    if (spec !== undefined) found.push({ spec, line: lineAt(src, start), typeOnly, kind });
  };
  // import … from '…' / export … from '…' (the clause holds no string, so [^'"`;] cannot overrun)
  for (const m of text.matchAll(/(?<![\w$.])(import|export)(\s+type(?=[\s{*]))?\s*([^'"`;]*?)\bfrom\s*(['"])/g)) {
    const clause = m[3];
    const named = /^\{([^}]*)\}$/.exec(clause.trim());
    const allTypes = named !== null && named[1].split(',').map((x) => x.trim()).filter(Boolean).every((x) => x.startsWith('type '));
    at(m.index, m.index + m[0].length - 1, Boolean(m[2]) || allTypes, m[1]);
  }
  for (const m of text.matchAll(/(?<![\w$.])import\s*(['"])/g)) at(m.index, m.index + m[0].length - 1, false, 'side-effect');
  for (const m of text.matchAll(/(typeof\s+)?(?<![\w$.])import\s*\(\s*(['"`])/g)) at(m.index, m.index + m[0].length - 1, Boolean(m[1]), 'dynamic');
  for (const m of text.matchAll(/(?<![\w$.])require\s*\(\s*(['"`])/g)) at(m.index, m.index + m[0].length - 1, false, 'require');
  return found.sort((a, b) => a.line - b.line || a.spec.localeCompare(b.spec) || Number(a.typeOnly) - Number(b.typeOnly));
}

/** Uses of `names` as free globals: not after `.`, not a declared or parameter name, not a key. */
export function scanGlobals(src, names) {
  const { text } = mask(src);
  const declared = new Set();
  for (const m of text.matchAll(/\b(?:const|let|var|function|class)\s+([\w$]+)/g)) declared.add(m[1]);
  const hits = [];
  const re = new RegExp(`(?<![\\w$.])(${names.join('|')})\\b(?!\\s*:(?!:))`, 'g');
  for (const m of text.matchAll(re)) {
    const name = m[1];
    if (declared.has(name)) continue;
    const after = text.slice(m.index + name.length).match(/^\s*(.)/)?.[1] ?? '';
    // a test framework global is called; a DOM global is read (document.x, window[x], a bare use)
    const call = ['describe', 'it', 'suite', 'before', 'after', 'beforeEach', 'afterEach'].includes(name);
    if (call ? after === '(' : after === '.' || after === '[' || after === ')' || after === ',' || after === ';') hits.push({ name, line: lineAt(src, m.index) });
  }
  return hits;
}

// ---------------- the graph ----------------

function listFiles(root, dir) {
  const out = [];
  const abs = join(root, dir);
  if (!existsSync(abs)) return out;
  for (const e of readdirSync(abs)) {
    const p = join(abs, e);
    if (statSync(p).isDirectory()) out.push(...listFiles(root, relative(root, p)));
    else if (/\.(ts|tsx|mts|mjs|js)$/.test(e) && !e.endsWith('.d.ts')) out.push(relative(root, p).split(sep).join('/'));
  }
  return out;
}

function resolveSpec(root, from, spec, exists) {
  if (!spec.startsWith('.')) return spec;
  const base = join(dirname(from), spec).split(sep).join('/');
  const stem = base.replace(/\.(js|mjs)$/, '');
  for (const c of [base, `${stem}.ts`, `${stem}.tsx`, `${stem}.mts`, `${base}.mjs`, `${base}.js`, `${base}/index.ts`]) if (exists(c)) return c;
  return base;
}

/** The import graph of the given folders: { file → [{ spec, target, line, typeOnly }] } and texts. */
export function buildGraph(root, dirs = ['src', 'webview']) {
  const files = dirs.flatMap((d) => listFiles(root, d));
  const set = new Set(files);
  const exists = (p) => set.has(p) || existsSync(join(root, p)) && statSync(join(root, p)).isFile();
  const graph = {};
  const texts = {};
  for (const f of files) {
    const src = readFileSync(join(root, f), 'utf8');
    texts[f] = src;
    graph[f] = scanImports(src).map((x) => ({ ...x, target: resolveSpec(root, f, x.spec, exists) }));
  }
  return { graph, texts };
}

/** Violations of `rules` in a graph (and the texts, for globals rules), and the passed count. */
export function check({ graph, texts = {} }, rules = RULES) {
  const violations = [];
  let passed = 0;
  for (const file of Object.keys(graph).sort()) {
    for (const r of rules) {
      if (!r.from.test(file)) continue;
      const before = violations.length;
      if (r.globals) {
        if (texts[file] !== undefined) {
          for (const h of scanGlobals(texts[file], r.globals)) violations.push({ file, line: h.line, rule: r.name, detail: `global \`${h.name}\` (${r.why})` });
        }
      } else {
        for (const imp of graph[file]) {
          if (!r.to.test(imp.target)) continue;
          if (r.allow && r.allow.test(imp.target)) continue;
          if (r.typeOnlyOk && imp.typeOnly) continue;
          violations.push({ file, line: imp.line, rule: r.name, detail: `imports ${imp.target} (${r.why})` });
        }
      }
      if (violations.length === before) passed++;
    }
  }
  return { violations, passed };
}

export function format(v) {
  return `${v.file}:${v.line}: ${v.rule} — ${v.detail}`;
}

const isMain = process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
  const { violations, passed } = check(buildGraph(root));
  for (const v of violations) console.log(format(v));
  console.log(`${passed} passed, ${violations.length} failed`);
  process.exit(violations.length ? 1 : 0);
}
