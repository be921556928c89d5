// Runs vitest and prints the plain "N passed, N failed" line scripts/test.sh sums.
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const dir = mkdtempSync(join(tmpdir(), 'sgdexp-vitest-'));
const out = join(dir, 'report.json');
const r = spawnSync('npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${out}`, ...process.argv.slice(2)], {
  stdio: 'inherit',
});
let passed = 0, failed = 0;
try {
  const rep = JSON.parse(readFileSync(out, 'utf8'));
  passed = rep.numPassedTests;
  failed = rep.numFailedTests + (rep.numRuntimeErrorTestSuites ?? 0) + (rep.numFailedTestSuites && !rep.numFailedTests ? rep.numFailedTestSuites : 0);
} catch {
  failed = 1;
}
rmSync(dir, { recursive: true, force: true });
if (r.status !== 0 && failed === 0) failed = 1;
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
