// Webview entry (bundled to dist/webview/webview.js, an IIFE loaded by the nonce'd <script> of
// src/extension/webviewHtml.ts). Restores at once from vscode.getState() or the page's data-state
// (what the extension passes from its cache), then renders every validated message.
import { App, type VsCodeApi } from './app';

declare function acquireVsCodeApi(): VsCodeApi;

// Our own nonce, read while this script is the current one (the IDL property keeps it readable
// even though browsers hide the attribute); it admits Plot's <style> elements under the CSP.
const nonce = (document.currentScript as HTMLScriptElement | null)?.nonce ?? '';

function start() {
  const vscode = acquireVsCodeApi();
  const root = document.getElementById('app') ?? document.body.appendChild(document.createElement('div'));
  const app = new App(root, vscode, nonce);
  window.addEventListener('message', (e: MessageEvent) => app.handle(e.data));
  // The page's saved state first (last results: the panel redraws at once after a reload), then
  // the extension's initial state on top (its uri/locked are authoritative, its results newer).
  app.restore(vscode.getState());
  const raw = document.getElementById('sgdexp-data')?.dataset.state;
  if (raw) {
    try {
      app.restore(JSON.parse(raw));
    } catch (e) {
      vscode.postMessage({ type: 'error', text: `initial state is not JSON: ${(e as Error).message}` });
    }
  }
  app.scheduleRender();
  (window as unknown as { sgdexp?: App }).sgdexp = app; // for tests and debugging
  vscode.postMessage({ type: 'ready' });
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
else start();
