// One source of meaning: the spec lowering builds for a run and the spec the cost check estimates
// for the same call are the same RunSpec, for every built-in of the table, and a default changed
// in the table changes both. The programs are generated from the table (examples, required
// parameters), so a new built-in is covered without editing this file.
import { describe, expect, it } from 'vitest';
import { check } from '../../src/core/lang/checker';
import { placeholder } from '../../src/core/lang/checker';
import { BUILTINS, type Builtin, type BuiltinKind } from '../../src/core/lang/builtins';
import { lowerProgram } from '../../src/core/lower';
import type { RunSpec } from '../../src/core/spec';

const of = (kind: BuiltinKind) => BUILTINS.filter((b) => b.kind === kind);

/** `name(…)` written two ways: the table's example, and with only the required parameters. */
function calls(b: Builtin): string[] {
  const example = /=\s*(\w+\(.*\))\s*$/.exec(b.example)?.[1];
  const required = b.params.filter((p) => p.default === undefined && !p.optional);
  const minimal = `${b.name}(${required.map((p) => `${p.name} = ${placeholder(b, p)}`).join(', ')})`;
  return [...new Set([example, minimal].filter((x): x is string => !!x))];
}

/** A model's minimal call with each initialisation of the table written out (`init = orthogonal(…)`). */
function withInits(m: Builtin): string[] {
  if (!m.params.some((p) => p.name === 'init')) return [];
  const required = m.params.filter((p) => p.default === undefined && !p.optional).map((p) => `${p.name} = ${placeholder(m, p)}`);
  return of('init').flatMap((i) => calls(i).map((ic) => `${m.name}(${[...required, `init = ${ic}`].join(', ')})`));
}

interface Case {
  text: string;
  uses: Set<string>;
}

/** Every (data, model, optimizer) combination the checker accepts without error. */
function programs(): Case[] {
  const out: Case[] = [];
  for (const d of of('data')) for (const dc of calls(d))
    for (const m of of('model')) for (const mc of [...calls(m), ...withInits(m)])
      for (const o of of('optimizer')) for (const oc of calls(o)) {
        const text = `data = ${dc}\nnet = ${mc}\nr = train(net, data, ${oc}, steps = 100)\n`;
        // the default initialisation is gaussian(…)
        const uses = new Set([d.name, m.name, o.name, 'train', ...of('init').map((b) => b.name).filter((n) => text.includes(`${n}(`) || (n === 'gaussian' && !text.includes('init')))]);
        out.push({ text, uses });
      }
  return out;
}

/** csv(…)'s file, whatever its path: 200 rows of three numbers (two inputs, one target) */
const CSV_ROWS = Array.from({ length: 200 }, (_, i) => [Math.sin(i), Math.cos(i), Math.sin(2 * i)]);
const csvRows = () => ({ ok: true as const, hash: 'fixed', rows: CSV_ROWS, names: null });

/** The lowered spec and the spec the estimate hook received, or null when the checker refuses the program. */
function both(text: string): { lowered: RunSpec; estimated: RunSpec } | null {
  const estimated: RunSpec[] = [];
  const a = check(text, { readData: csvRows, estimate: (s) => (estimated.push(structuredClone(s)), { bytes: 0, flops: 0, seconds: 0 }), limits: { bytes: Infinity, seconds: Infinity } });
  if (a.program.diagnostics.some((x) => x.severity === 'error')) return null;
  const lowered = lowerProgram(a.program).runs;
  expect(lowered).toHaveLength(1);
  expect(estimated).toHaveLength(1);
  return { lowered: lowered[0]!.spec, estimated: estimated[0]! };
}

/** The part of a spec a built-in's parameters fill (the run's own fields for `train`). */
function partOf(spec: RunSpec, b: Builtin): Record<string, unknown> | null {
  if (b.kind === 'run') return spec as unknown as Record<string, unknown>;
  const parts = [spec.data, spec.model, spec.optimizer, 'init' in spec.model ? spec.model.init : null] as (Record<string, unknown> | null)[];
  return parts.find((p) => p?.kind === b.name) ?? null;
}

const CASES = programs();
const ACCEPTED = CASES.map((c) => ({ ...c, specs: both(c.text) })).filter((c) => c.specs);

describe('lowering and the cost estimate build one RunSpec', () => {
  it('covers every data set, model, optimiser and initialisation of the table', () => {
    for (const b of BUILTINS.filter((x) => ['data', 'model', 'optimizer', 'init'].includes(x.kind)))
      expect(ACCEPTED.some((c) => c.uses.has(b.name) && partOf(c.specs!.lowered, b)), b.name).toBe(true);
  });

  it.each(ACCEPTED.map((c) => [c.text.replace(/\n/g, '; '), c] as const))('%s', (_, c) => {
    expect(c.specs!.estimated).toEqual(c.specs!.lowered);
  });

  // every numeric default of a run's built-ins, changed in the table, reaches both specs
  const defaults = BUILTINS.filter((b) => ['data', 'model', 'optimizer', 'init', 'run'].includes(b.kind)).flatMap((b) =>
    b.params.filter((p) => p.default?.kind === 'number').map((p) => [`${b.name}.${p.name}`, b, p] as const),
  );
  it.each(defaults)('changing the default of %s changes both specs', (_, b, p) => {
    const before = p.default!;
    const x = (before as { value: number }).value;
    const changed = p.type.t === 'number' && p.type.integer ? x + 1 : x === 0 ? 0.25 : x / 2;
    p.default = { kind: 'number', value: changed };
    try {
      // a program that uses the built-in without giving the parameter
      let seen = 0;
      for (const c of CASES.filter((k) => k.uses.has(b.name) && !new RegExp(`\\b${p.name}\\s*=`).test(k.text))) {
        const s = both(c.text);
        if (!s) continue;
        const part = partOf(s.lowered, b);
        if (!part) continue;
        expect(part[p.name]).toBe(changed);
        expect(s.estimated).toEqual(s.lowered);
        seen++;
      }
      expect(seen, `no accepted program omits ${b.name}.${p.name}`).toBeGreaterThan(0);
    } finally {
      p.default = before;
    }
  });
});
