// The extension-host test entry: VS Code (desktop through @vscode/test-electron, or the offline
// browser workbench of run.sh) requires this module inside the extension host and awaits run().
// Mocha (TDD interface, like VS Code's own extension tests) runs every *.test.js next to the bundle
// (test/extension/untrusted/index.ts re-exports run() for the untrusted pass of run.sh); the
// reporter prints TAP-like lines and the `N passed, N failed` line the CI reader looks for.
import * as fs from 'node:fs';
import * as path from 'node:path';

type Runner = {
  on(ev: 'pass', f: (t: { fullTitle(): string; duration?: number }) => void): void;
  on(ev: 'fail', f: (t: { fullTitle(): string }, err: Error) => void): void;
  on(ev: 'pending', f: (t: { fullTitle(): string }) => void): void;
  on(ev: 'end', f: () => void): void;
};

function reporter(this: unknown, runner: Runner): void {
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  runner.on('pass', (t) => {
    passed++;
    console.log(`ok - ${t.fullTitle()} (${t.duration ?? 0} ms)`);
  });
  runner.on('fail', (t, err) => {
    failed++;
    console.log(`not ok - ${t.fullTitle()}: ${err?.message ?? err}`);
    if (err?.stack) console.log(err.stack.split('\n').slice(1, 6).join('\n'));
  });
  runner.on('pending', (t) => {
    skipped++;
    console.log(`skipped - ${t.fullTitle()}`);
  });
  runner.on('end', () => {
    if (skipped) console.log(`(${skipped} skipped)`);
    console.log(`${passed} passed, ${failed} failed`);
  });
}

export async function run(): Promise<void> {
  // mocha from the repository's node_modules (resolved from this file's location)
  const Mocha = require('mocha/lib/mocha.cjs') as typeof import('mocha');
  const mocha = new Mocha({ ui: 'tdd', timeout: 10 * 60_000, color: false, reporter: reporter as never });
  const only = process.env.SGDEXP_TEST_GREP;
  if (only) mocha.grep(only);
  const files = fs.readdirSync(__dirname).filter((f) => f.endsWith('.test.js')).sort();
  for (const f of files) mocha.addFile(path.join(__dirname, f));
  await new Promise<void>((resolve, reject) => {
    mocha.run((failures) => (failures ? reject(new Error(`${failures} test(s) failed`)) : resolve()));
  });
}
