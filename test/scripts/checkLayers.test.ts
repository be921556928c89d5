// The layer checker (scripts/check-layers.mjs) must see what it is meant to forbid: violations
// planted in a synthetic graph and in a temporary source tree are reported as file:line: rule.
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { buildGraph, check, format, scanGlobals, scanImports } from '../../scripts/check-layers.mjs';

describe('scanning imports', () => {
  it('finds static, type-only, re-export, side-effect, dynamic and require imports, with lines; not in comments or strings', () => {
    const src = [
      "import * as vscode from 'vscode';",
      "import type { A } from './a';",
      "import { type B, type C } from './b';",
      "export * from './c';",
      "export type { D } from './d';",
      "// import x from './commented';",
      "const s = \"import y from './quoted'\";",
      "const t = `require('./templated')`;",
      "/* import z from './block' */ import './side';",
      "const m = await import('./dynamic');",
      "const r = require('./req') as typeof import('./req');",
      "const re = /import q from '.\\/regex'/;",
      "import {",
      "  E,",
      "} from './multi';",
    ].join('\n');
    const got = scanImports(src).map((x) => `${x.line}:${x.spec}:${x.typeOnly ? 'type' : 'value'}`);
    expect(got).toEqual([
      '1:vscode:value', '2:./a:type', '3:./b:type', '4:./c:value', '5:./d:type', '9:./side:value',
      '10:./dynamic:value', '11:./req:value', '11:./req:type', '13:./multi:value',
    ]);
  });

  it('finds DOM and mocha globals, not properties, declarations or keys', () => {
    const src = "const n = document.body;\ndescribe('x', () => {});\nconst o = { document: 1 };\nx.window.y;\nfunction f(window: Window) {}\n";
    expect(scanGlobals(src, ['document', 'window', 'describe'])).toEqual([{ name: 'document', line: 1 }, { name: 'describe', line: 2 }]);
  });
});

describe('checking the rules', () => {
  it('reports a planted violation in a synthetic import graph, and passes the clean graph', () => {
    const clean = { graph: { 'src/core/numeric/run.ts': [{ spec: './spec', target: 'src/core/numeric/spec.ts', line: 1, typeOnly: false, kind: 'import' }] } };
    expect(check(clean).violations).toEqual([]);
    const planted = { graph: { 'src/core/numeric/run.ts': [...clean.graph['src/core/numeric/run.ts'], { spec: '../lower', target: 'src/core/lower.ts', line: 7, typeOnly: true, kind: 'import' }] } };
    expect(check(planted).violations.map(format)).toEqual([expect.stringMatching(/^src\/core\/numeric\/run\.ts:7: numeric-is-a-leaf — imports src\/core\/lower\.ts/)]);
  });

  it('reports violations planted in a temporary copy of a source tree; the script exits 1', () => {
    const root = mkdtempSync(join(tmpdir(), 'layers-'));
    try {
      const put = (p: string, text: string) => {
        mkdirSync(dirname(join(root, p)), { recursive: true });
        writeFileSync(join(root, p), text);
      };
      put('src/core/lang/checker.ts', "import { estimateCost } from '../numeric/estimate';\nimport type { RunSpec } from '../numeric/spec';\n");
      put('src/core/numeric/estimate.ts', 'export const estimateCost = 1;\n');
      put('src/core/numeric/spec.ts', 'export type RunSpec = {};\n');
      put('src/core/figures.ts', "import * as vscode from 'vscode';\nexport const w = () => window.innerWidth;\n");
      put('src/cli/csv.ts', 'export const toCsv = 1;\n');
      put('src/extension/exportFigures.ts', "import { toCsv } from '../cli/csv';\n");
      put('webview/app.ts', "import { x } from '../src/server/server';\n");
      put('src/server/server.ts', 'export const x = 1;\n');
      const got = check(buildGraph(root)).violations.map(format);
      expect(got).toEqual([
        expect.stringMatching(/^src\/core\/figures\.ts:1: core-no-vscode/),
        expect.stringMatching(/^src\/core\/figures\.ts:2: core-no-dom-or-mocha-globals — global `window`/),
        expect.stringMatching(/^src\/core\/lang\/checker\.ts:1: lang-numeric-through-hooks — imports src\/core\/numeric\/estimate\.ts/),
        expect.stringMatching(/^src\/extension\/exportFigures\.ts:1: extension-no-cli/),
        expect.stringMatching(/^webview\/app\.ts:1: webview-no-server/),
      ]);
      mkdirSync(join(root, 'scripts'));
      copyFileSync(join(__dirname, '../../scripts/check-layers.mjs'), join(root, 'scripts/check-layers.mjs'));
      let out = '';
      let status = 0;
      try {
        execFileSync(process.execPath, [join(root, 'scripts/check-layers.mjs')], { encoding: 'utf8' });
      } catch (e) {
        const err = e as { status: number; stdout: string };
        status = err.status;
        out = err.stdout;
      }
      expect(status).toBe(1);
      expect(out).toMatch(/^src\/extension\/exportFigures\.ts:1: extension-no-cli/m);
      expect(out).toMatch(/^\d+ passed, 5 failed$/m);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
