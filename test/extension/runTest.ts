// @vscode/test-electron entry, as in lsp-sample's client/src/test/runTest.ts: downloads desktop
// VS Code and runs index.ts's run() in its extension host. Needs the network (update.code.visualstudio.com);
// offline use test/extension/run.sh instead.
//   node test/extension/build.mjs && npx tsx test/extension/runTest.ts
import * as path from 'node:path';
import { runTests } from '@vscode/test-electron';

async function main(): Promise<void> {
  const root = path.resolve(__dirname, '..', '..');
  await runTests({
    extensionDevelopmentPath: root,
    extensionTestsPath: path.join(root, 'out', 'test', 'extension', 'index.js'),
    launchArgs: [path.join(root, 'test', 'extension', 'workspace'), '--disable-extensions'],
  });
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
