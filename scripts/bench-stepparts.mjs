// The linear2 step's parts, timed one by one (bench/stepParts.ts), at the bench's two wide sizes.
// Usage: node scripts/bench-stepparts.mjs [n,p,l,k ...]   (default: 200,50,100,5 1000,100,200,10)
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dir = mkdtempSync(join(tmpdir(), 'sgdexp-stepparts-'));
const out = join(dir, 'stepParts.cjs');
await build({ entryPoints: [join(root, 'bench/stepParts.ts')], bundle: true, platform: 'node', target: 'node20', format: 'cjs', outfile: out, logLevel: 'warning' });
const load = () => loadavg().map((x) => x.toFixed(2)).join(' ');
const shapes = process.argv.slice(2).length ? process.argv.slice(2).map((s) => `[${s}]`) : ['[200,50,100,5]', '[1000,100,200,10]'];
console.log(`linear2 step parts, CPU µs per call (min of 9 timings); load average ${load()}`);
const cols = {};
for (const shape of shapes) {
  const o = spawnSync(process.execPath, [out, shape], { encoding: 'utf8', cwd: root });
  if (o.status !== 0) {
    console.error(o.stderr);
    process.exit(1);
  }
  const r = JSON.parse(o.stdout.trim());
  const col = {};
  for (const [name, us] of Object.entries(r.parts)) col[name] = `${us.toFixed(2)} (${((100 * us) / r.step).toFixed(0)}%)`;
  col['sum of parts'] = r.sum.toFixed(2);
  col['whole step'] = r.step.toFixed(2);
  cols[`(${r.n},${r.p},${r.l},${r.k})`] = col;
}
console.table(cols);
console.log(`load average after: ${load()}`);
rmSync(dir, { recursive: true, force: true });
