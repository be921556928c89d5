// The preview's HTML page. Pure (no vscode import) so it is unit-tested and reused by the
// Chromium tests. Modelled on the Markdown preview's documentRenderer: a strict CSP, the initial
// state shipped in a data-* attribute (read synchronously, no postMessage race).
//
// CSP: scripts only with the per-load nonce. Styles: our stylesheet from the extension (cspSource)
// plus nonce'd <style> elements. Observable Plot appends unnonced <style> elements to each SVG;
// the webview sets the nonce on them before attaching the figure (webview/render.ts), so no
// 'unsafe-inline' is needed for styles either. (A nonce disables 'unsafe-inline', so never add
// both.) Plot's inline `style` writes go through the CSSOM, which CSP does not govern.
import { randomBytes } from 'node:crypto';

export interface WebviewHtmlOptions {
  /** fresh per page load: 128 random bits, base64 (see `makeNonce`) */
  nonce: string;
  /** `webview.cspSource` */
  cspSource: string;
  /** `webview.asWebviewUri(dist/webview/webview.js)` as a string */
  scriptUri: string;
  /** `webview.asWebviewUri(dist/webview/webview.css)` as a string */
  styleUri: string;
  /** initial state (e.g. the last ResultsMessage from the cache), JSON-serialisable */
  state?: unknown;
  /** page title */
  title?: string;
}

export function makeNonce(): string {
  return randomBytes(16).toString('base64');
}

const escapeAttr = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/'/g, '&#39;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** A nonce may only hold base64 characters: anything else could break out of the CSP header. */
function checkNonce(n: string): string {
  if (!/^[A-Za-z0-9+/=_-]{16,}$/.test(n)) throw new Error('renderWebviewHtml: the nonce must be ≥ 16 base64 characters');
  return n;
}

/** A CSP source may not contain characters that end a directive or start a new one. */
function checkSource(s: string): string {
  if (/[;,'"\s]/.test(s.trim()) || !s.trim()) throw new Error(`renderWebviewHtml: invalid cspSource ${JSON.stringify(s)}`);
  return s.trim();
}

export function contentSecurityPolicy(nonce: string, cspSource: string): string {
  const n = checkNonce(nonce);
  const src = checkSource(cspSource);
  return [
    "default-src 'none'",
    `script-src 'nonce-${n}'`,
    `style-src ${src} 'nonce-${n}'`,
    `img-src ${src} data:`,
    `font-src ${src}`,
    "connect-src 'none'",
    "frame-src 'none'",
    "form-action 'none'",
    "base-uri 'none'",
  ].join('; ');
}

export function renderWebviewHtml(o: WebviewHtmlOptions): string {
  const csp = contentSecurityPolicy(o.nonce, o.cspSource);
  // JSON in an attribute: escapeAttr makes it inert HTML; the webview JSON.parses it back.
  const state = o.state === undefined ? '' : escapeAttr(JSON.stringify(o.state));
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeAttr(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<meta id="sgdexp-data" data-state="${state}">
<link rel="stylesheet" href="${escapeAttr(o.styleUri)}">
<title>${escapeAttr(o.title ?? 'sgdexp preview')}</title>
</head>
<body>
<div id="app" role="main"><p class="sg-empty">Waiting for results…</p></div>
<div id="sg-live" class="sg-visually-hidden" aria-live="polite"></div>
<script nonce="${escapeAttr(o.nonce)}" src="${escapeAttr(o.scriptUri)}"></script>
</body>
</html>
`;
}
