// Runs the extension-host test suite in the browser workbench: the `payload` URL parameter makes
// the window an Extension Development Host that loads the extension under development and awaits
// the tests module's run(); the result comes back through window.codeAutomationExit (the hooks
// @vscode/test-web uses; honoured because the server runs with --enable-smoke-test-driver).
//   node host-tests.mjs --tools DIR --origin http://127.0.0.1:PORT --workspace DIR --ext DIR
//        --tests FILE.js --log FILE [--timeout-ms N]
import { appendFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { args, launch, remoteAuthority } from './browser.mjs';

const a = args(process.argv.slice(2));
const timeoutMs = Number(a['timeout-ms'] ?? 30 * 60_000); // a hang detector: the suite passes with both cores busy
const t0 = Date.now();
const { ctx, page } = await launch(a.tools, a.tmp ?? '/tmp');
let finish;
const exited = new Promise((r) => (finish = r));
// The workbench forwards ALL extension-host console output: keep it in the log, echo test lines.
await page.exposeFunction('codeAutomationLog', (type, logArgs) => {
  const line = (logArgs ?? []).map((x) => (typeof x === 'string' ? x : JSON.stringify(x))).join(' ');
  appendFileSync(a.log, `[${type}] ${line}\n`);
  for (const l of line.split('\n')) {
    if (/^(ok|not ok|skipped) - |^\(\d+ skipped\)|^\(save of |^\(untrusted: |^\d+ passed, \d+ failed|^bench |^  (at|Assertion|expected|actual|[+-] )/.test(l)) console.log(l);
  }
});
await page.exposeFunction('codeAutomationExit', (code) => finish(code));
const authority = await remoteAuthority(a.origin);
const remote = (p) => `vscode-remote://${authority}${resolve(p)}`;
const payload = JSON.stringify([
  ['extensionDevelopmentPath', remote(a.ext)],
  ['extensionTestsPath', remote(a.tests)],
]);
await page.goto(`${a.origin}/?folder=${encodeURIComponent(resolve(a.workspace))}&payload=${encodeURIComponent(payload)}`);
const code = await Promise.race([exited, new Promise((r) => setTimeout(() => r('timeout'), timeoutMs))]);
if (code === 'timeout') {
  console.log(`not ok - the extension-host suite did not finish within ${timeoutMs / 1000} s`);
  await page.screenshot({ path: resolve(a.tmp ?? '/tmp', 'host-tests-timeout.png') }).catch(() => {});
}
console.error(`host-tests: exit ${code} after ${((Date.now() - t0) / 1000).toFixed(1)} s`);
await ctx.close();
process.exit(code === 0 ? 0 : 1);
