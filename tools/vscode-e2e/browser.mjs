// Shared by the drivers: headless Debian Chromium through playwright-core (both from the tools
// folder, never from the extension's node_modules), with a throwaway profile.
import { createRequire } from 'node:module';
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';

export async function launch(toolsDir, tmpDir, viewport = { width: 1400, height: 900 }) {
  const require = createRequire(join(toolsDir, 'package.json'));
  const { chromium } = require('playwright-core');
  const profile = mkdtempSync(join(tmpDir, 'chromium-'));
  const ctx = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    viewport,
    deviceScaleFactor: 1,
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage',
    ],
  });
  // Playwright's own default (30 s per action or wait) is a speed limit on a busy machine: the
  // waits here are hang detectors, so give them minutes
  ctx.setDefaultTimeout(180_000);
  return { ctx, page: ctx.pages()[0] ?? (await ctx.newPage()) };
}

/** The workbench addresses server files through its remote authority (the literal `remote` for
 *  the bare VS Code server): vscode-remote://remote/abs/path. */
export async function remoteAuthority(origin) {
  const html = await (await fetch(origin + '/')).text();
  const m = html.match(/remoteAuthority&quot;:&quot;([^&]+)&quot;/);
  if (!m) throw new Error('no remoteAuthority in the workbench page');
  return m[1];
}

export function args(argv) {
  const out = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a.startsWith('--')) out[a.slice(2)] = argv[i + 1]?.startsWith('--') || argv[i + 1] === undefined ? 'true' : argv[++i];
  }
  return out;
}
