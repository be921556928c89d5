// One linear2 record's parts (bench/recordParts.ts) next to one step, at the bench's sizes with
// l ≥ p + k. Usage: node scripts/bench-recordparts.mjs [n,p,l,k ...]
//   (default: 200,50,100,5 1000,100,200,10)
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dir = mkdtempSync(join(tmpdir(), 'sgdexp-recordparts-'));
const out = join(dir, 'recordParts.cjs');
await build({ entryPoints: [join(root, 'bench/recordParts.ts')], bundle: true, platform: 'node', target: 'node20', format: 'cjs', outfile: out, logLevel: 'warning' });
const load = () => loadavg().map((x) => x.toFixed(2)).join(' ');
const shapes = process.argv.slice(2).length ? process.argv.slice(2).map((s) => `[${s}]`) : ['[200,50,100,5]', '[1000,100,200,10]'];
console.log(`linear2 record (metrics) parts, CPU µs per call (min of 9 timings); load average ${load()}`);
const rows = {};
for (const shape of shapes) {
  const o = spawnSync(process.execPath, [out, shape], { encoding: 'utf8', cwd: root });
  if (o.status !== 0) {
    console.error(o.stderr);
    process.exit(1);
  }
  const r = JSON.parse(o.stdout.trim());
  const size = `(${r.n},${r.p},${r.l},${r.k})`;
  const put = (row, v) => ((rows[row] ??= {})[size] = v);
  for (const [name, us] of Object.entries(r.parts)) put(name, `${us.toFixed(1)} (${((100 * us) / r.metrics).toFixed(0)}%)`);
  put('sum of parts', r.sum.toFixed(1));
  put('whole metrics()', r.metrics.toFixed(1));
  put('one step', r.step.toFixed(2));
  // the bench's schedule (scripts/bench.mjs): one record per 100 steps
  put('record / 100 steps', `${(r.metrics / r.step).toFixed(1)}%`); // 100·metrics / (100·step)
}
console.table(rows);
console.log(`load average after: ${load()}`);
rmSync(dir, { recursive: true, force: true });
