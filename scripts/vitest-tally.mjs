// A vitest reporter that writes the tally scripts/vitest-summary.mjs prints: passed and failed
// tests, and apart from them the failures that are no test's (a file that could not load, a hook
// that threw, an unhandled error in a worker such as vitest's own RPC timeout) with the file that
// was running. Output: JSON at $SGDEXP_VITEST_TALLY.
import { writeFileSync } from 'node:fs';
import { relative } from 'node:path';

const rel = (p) => (p ? relative(process.cwd(), p) : undefined);
const firstLine = (e) => String(e?.message ?? e ?? '').split('\n')[0].slice(0, 300);

export default class TallyReporter {
  onFinished(files = [], errors = []) {
    const tally = { passed: 0, failed: 0, skipped: 0, failedTests: [], fileErrors: [], runnerErrors: [] };
    const walk = (task, file) => {
      if (task.type === 'test') {
        const state = task.result?.state;
        if (state === 'pass') tally.passed++;
        else if (state === 'fail') {
          tally.failed++;
          tally.failedTests.push({ file, name: fullName(task), error: firstLine(task.result?.errors?.[0]) });
        } else tally.skipped++;
        return;
      }
      // a suite or file that failed by itself (load error, beforeAll/afterAll): not a test's failure
      if (task.result?.state === 'fail' && task.result.errors?.length)
        tally.fileErrors.push({ file, name: task.filepath ? undefined : fullName(task), error: firstLine(task.result.errors[0]) });
      for (const t of task.tasks ?? []) walk(t, file);
    };
    for (const f of files) walk(f, rel(f.filepath) ?? f.name);
    for (const e of errors)
      tally.runnerErrors.push({ file: rel(e?.VITEST_TEST_PATH) ?? null, test: e?.VITEST_TEST_NAME ?? null, error: firstLine(e) });
    const out = process.env.SGDEXP_VITEST_TALLY;
    if (out) writeFileSync(out, JSON.stringify(tally, null, 2));
  }
}

function fullName(task) {
  const parts = [];
  // up to (not including) the file, which is the task with a filepath
  for (let t = task; t && !t.filepath; t = t.suite) parts.unshift(t.name);
  return parts.join(' > ');
}
