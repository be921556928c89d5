// The recording's share of each bench row (scripts/bench-configs.mjs), measured directly in one
// process per row (bench/recordShare.ts: CPU time of one record against the steps between two
// records at the bench's schedule, interleaved, min / median over rounds).
// --against REF: the same bench body built on REF's src/ too (REF must export run.ts's pushRecord
// and stateOf), and the two run alternately, process by process (old, new, old, new …), so a
// shared machine's load hits both alike: before/after of a change to the record's code.
// Usage: node scripts/bench-record.mjs [--only 0,2] [--rounds 9] [--seconds 1] [--against REF] [--pairs 2]
import { build } from 'esbuild';
import { execSync, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { configs } from './bench-configs.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const arg = (name, dflt) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : dflt;
};
const only = arg('--only', null)?.split(',');
const rounds = Number(arg('--rounds', '9'));
const seconds = Number(arg('--seconds', '1'));
const against = arg('--against', null);
const pairs = Number(arg('--pairs', against ? '2' : '1'));
const load = () => loadavg().map((x) => x.toFixed(2)).join(' ');

const dir = mkdtempSync(join(tmpdir(), 'sgdexp-recshare-'));
/** the bench body bundled against `src` of tree `tree` */
async function bundle(tree, name) {
  const outfile = join(dir, `${name}.cjs`);
  await build({ entryPoints: [join(tree, 'bench/recordShare.ts')], bundle: true, platform: 'node', target: 'node20', format: 'cjs', outfile, logLevel: 'warning', nodePaths: [join(root, 'node_modules')] });
  return outfile;
}
const builds = [];
if (against) {
  // REF's src/ with this tree's bench/ (the same timing code on both)
  const old = join(dir, 'old');
  mkdirSync(old);
  execSync(`git -C ${JSON.stringify(root)} archive ${against} src | tar -x -C ${JSON.stringify(old)}`);
  cpSync(join(root, 'bench'), join(old, 'bench'), { recursive: true });
  builds.push({ name: against, out: await bundle(old, 'old') });
}
builds.push({ name: against ? 'this tree' : 'share', out: await bundle(root, 'new') });

/** one process's measurement of config c with the bundle `out` */
function measure(out, c) {
  const o = spawnSync(process.execPath, [out, JSON.stringify({ ...c, seconds }), String(rounds)], { encoding: 'utf8', cwd: root });
  if (o.status !== 0) throw new Error(o.stderr);
  return JSON.parse(o.stdout.trim().split('\n').at(-1));
}

const pct = (x) => `${(100 * x).toFixed(1)}%`;
console.log(`the record's share of a bench run: CPU time of one record / of the steps between two records, min / median of ${rounds} interleaved rounds; load average ${load()} (2 cores, shared)`);
const rows = [];
for (const [ci, c] of configs.entries()) {
  if (only && !only.includes(String(ci))) continue;
  const row = { config: c.name };
  for (let r = 0; r < pairs; r++)
    for (const b of builds) {
      const m = measure(b.out, c);
      const tag = `${b.name}${pairs > 1 ? ` #${r + 1}` : ''}`;
      row[tag] = `${pct(m.share.min)} / ${pct(m.share.median)} (rec ${m.recordUs.median.toFixed(1)} µs, step ${m.stepUs.median.toFixed(2)} µs × ${m.gap.toFixed(0)})`;
    }
  rows.push(row);
  console.log(JSON.stringify(row));
}
console.table(rows);
console.log(`load average after: ${load()}`);
rmSync(dir, { recursive: true, force: true });
