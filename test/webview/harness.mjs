// Shared by the Chromium tests (run.mjs) and the benchmark (scripts/bench-webview.mjs): builds the
// real webview page with renderWebviewHtml (bundled on the fly from TypeScript), injects a stub
// of VS Code's webview API through a nonce'd script, serves it from 127.0.0.1 and launches
// Debian's Chromium through playwright-core.
import { build } from 'esbuild';
import { createServer } from 'node:http';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';

export const root = join(dirname(fileURLToPath(import.meta.url)), '../..');

/** Theme variables as VS Code injects them into webviews (Default Light Modern / Dark Modern). */
export const THEMES = {
  light: {
    cls: 'vscode-light',
    vars: {
      '--vscode-editor-foreground': '#3b3b3b', '--vscode-editor-background': '#ffffff', '--vscode-foreground': '#3b3b3b',
      '--vscode-descriptionForeground': '#717171', '--vscode-widget-border': '#e5e5e5', '--vscode-editorWidget-background': '#f8f8f8',
      '--vscode-charts-blue': '#1a85ff', '--vscode-charts-red': '#e51400', '--vscode-charts-green': '#388a34',
      '--vscode-charts-orange': '#d18616', '--vscode-charts-purple': '#652d90', '--vscode-charts-yellow': '#bf8803',
      '--vscode-button-secondaryBackground': '#e5e5e5', '--vscode-button-secondaryForeground': '#3b3b3b',
      '--vscode-progressBar-background': '#005fb8', '--vscode-errorForeground': '#f85149', '--vscode-focusBorder': '#005fb8',
      '--vscode-font-family': 'system-ui, "Ubuntu", "Droid Sans", sans-serif', '--vscode-font-size': '13px',
      '--vscode-editor-font-family': '"DejaVu Sans Mono", monospace',
    },
  },
  dark: {
    cls: 'vscode-dark',
    vars: {
      '--vscode-editor-foreground': '#cccccc', '--vscode-editor-background': '#1f1f1f', '--vscode-foreground': '#cccccc',
      '--vscode-descriptionForeground': '#9d9d9d', '--vscode-widget-border': '#313131', '--vscode-editorWidget-background': '#202020',
      '--vscode-charts-blue': '#3794ff', '--vscode-charts-red': '#f14c4c', '--vscode-charts-green': '#89d185',
      '--vscode-charts-orange': '#d18616', '--vscode-charts-purple': '#b180d7', '--vscode-charts-yellow': '#cca700',
      '--vscode-button-secondaryBackground': '#313131', '--vscode-button-secondaryForeground': '#cccccc',
      '--vscode-progressBar-background': '#0078d4', '--vscode-errorForeground': '#f85149', '--vscode-focusBorder': '#0078d4',
      '--vscode-font-family': 'system-ui, "Ubuntu", "Droid Sans", sans-serif', '--vscode-font-size': '13px',
      '--vscode-editor-font-family': '"DejaVu Sans Mono", monospace',
    },
  },
};

/** Builds dist/webview when missing; returns the renderWebviewHtml module. */
export async function loadHtmlModule() {
  if (!existsSync(join(root, 'dist/webview/webview.js'))) {
    const r = spawnSync('node', ['scripts/build.mjs'], { cwd: root, stdio: 'inherit', env: { ...process.env, SGDEXP_QUIET: '1' } });
    if (r.status !== 0) throw new Error('build failed');
  }
  const out = await build({
    entryPoints: [join(root, 'src/extension/webviewHtml.ts')], bundle: true, platform: 'node', format: 'esm', write: false, logLevel: 'silent',
  });
  const dir = mkdtempSync(join(tmpdir(), 'sgdexp-wv-'));
  const file = join(dir, 'webviewHtml.mjs');
  (await import('node:fs')).writeFileSync(file, out.outputFiles[0].text);
  const mod = await import(pathToFileURL(file).href);
  rmSync(dir, { recursive: true, force: true });
  return mod;
}

/**
 * The page: renderWebviewHtml's output, plus (1) a nonce'd stub of acquireVsCodeApi that records
 * posted messages and saved state and applies the theme, (2) an inline script WITHOUT the nonce
 * that must not run (CSP check).
 */
export function pageHtml(mod, { nonce, origin, theme = 'light', state, evil = true, cspSource = origin }) {
  const t = THEMES[theme];
  let html = mod.renderWebviewHtml({
    nonce, cspSource, scriptUri: `${origin}/webview.js`, styleUri: `${origin}/webview.css`, state, title: 'test',
  });
  const stub = `<script nonce="${nonce}">
window.__posted = []; window.__violations = []; window.__saved = window.__saved ?? undefined;
document.addEventListener('securitypolicyviolation', (e) => window.__violations.push({ directive: e.effectiveDirective, blocked: e.blockedURI, sample: e.sample }));
window.__applyTheme = (name, t) => {
  document.body.className = t.cls;
  for (const [k, v] of Object.entries(t.vars)) document.documentElement.style.setProperty(k, v);
};
window.__applyTheme(${JSON.stringify(theme)}, ${JSON.stringify(t)});
let calls = 0;
window.acquireVsCodeApi = () => {
  if (calls++) throw new Error('acquireVsCodeApi called twice');
  return { postMessage: (m) => window.__posted.push(JSON.parse(JSON.stringify(m))), getState: () => window.__saved, setState: (s) => { window.__saved = s; } };
};
</script>`;
  const evilScript = evil ? `<script>window.__evil = 'ran';</script>` : '';
  return html.replace('<script nonce=', `${stub}\n${evilScript}\n<script nonce=`);
}

export function serve(files) {
  return new Promise((resolve) => {
    const server = createServer((req, res) => {
      const path = new URL(req.url, 'http://x').pathname;
      const f = files[path];
      if (!f) { res.writeHead(404); res.end(); return; }
      res.writeHead(200, { 'content-type': f.type, 'cache-control': 'no-store' });
      res.end(typeof f.body === 'function' ? f.body() : f.body);
    });
    server.listen(0, '127.0.0.1', () => resolve({ server, origin: `http://127.0.0.1:${server.address().port}` }));
  });
}

export async function launch({ width = 1200, height = 900 } = {}) {
  const { chromium } = await import('playwright-core');
  const profile = mkdtempSync(join(tmpdir(), 'sgdexp-chromium-'));
  const ctx = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    viewport: { width, height },
    deviceScaleFactor: 1,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  return {
    ctx,
    async close() {
      await ctx.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

export const newNonce = () => randomBytes(16).toString('base64');

export function webviewFiles() {
  return {
    '/webview.js': { type: 'text/javascript', body: () => readFileSync(join(root, 'dist/webview/webview.js')) },
    '/webview.css': { type: 'text/css', body: () => readFileSync(join(root, 'dist/webview/webview.css')) },
  };
}

export function fixture(name) {
  return JSON.parse(readFileSync(join(root, 'test/webview/fixtures', name), 'utf8'));
}
