// Runs vitest and prints the plain "N passed, N failed" line scripts/test.sh sums. A failed test,
// a file that failed outside its tests and a runner error (e.g. vitest's RPC timeout) are listed
// apart, each with its file, and each counts as one failure.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const dir = mkdtempSync(join(tmpdir(), 'sgdexp-vitest-'));
const out = join(dir, 'tally.json');
const r = spawnSync('npx', ['vitest', 'run', '--reporter=default', '--reporter=./scripts/vitest-tally.mjs', ...process.argv.slice(2)], {
  stdio: 'inherit',
  env: { ...process.env, SGDEXP_VITEST_TALLY: out },
});
let passed = 0, failed = 0;
if (existsSync(out)) {
  const t = JSON.parse(readFileSync(out, 'utf8'));
  passed = t.passed;
  failed = t.failed + t.fileErrors.length + t.runnerErrors.length;
  if (failed) console.log('\nvitest summary:');
  for (const f of t.failedTests) console.log(`  failed test    ${f.file} > ${f.name}: ${f.error}`);
  for (const f of t.fileErrors) console.log(`  file error     ${f.file}${f.name ? ` > ${f.name}` : ''}: ${f.error}`);
  for (const e of t.runnerErrors)
    console.log(`  runner error   ${e.file ?? '(no file: vitest itself)'}${e.test ? ` > ${e.test}` : ''}: ${e.error}`);
  // A worker's RPC call times out after 60 s; Node runs a due timer before it reads the answer
  // that came meanwhile, so one test holding its worker's event loop for a minute (a loaded
  // machine makes it slower) fails the run although every test passed. Say so.
  if (t.runnerErrors.some((e) => /\[vitest-worker\]: Timeout calling/.test(e.error)))
    console.log('  (a worker RPC timeout: a test held its worker\'s event loop for 60 s; hand it back now and then, test/breathe.ts)');
} else {
  console.log(`vitest wrote no tally (exit ${r.status}, signal ${r.signal}): counted as a runner error`);
  failed = 1;
}
rmSync(dir, { recursive: true, force: true });
if (r.status !== 0 && failed === 0) {
  console.log(`vitest exited ${r.status} with no failure recorded: counted as a runner error`);
  failed = 1;
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
