// @vscode/test-cli configuration, for machines that can download desktop VS Code:
//   node test/extension/build.mjs && npx vscode-test --config test/extension/.vscode-test.mjs
// (Offline, test/extension/run.sh runs the same suite in VS Code's server + headless Chromium.)
import { defineConfig } from '@vscode/test-cli';

export default defineConfig({
  label: 'sgdexp extension host',
  files: '../../out/test/extension/*.test.js',
  extensionDevelopmentPath: '../..',
  workspaceFolder: './workspace',
  mocha: { ui: 'tdd', timeout: 90_000 },
});
