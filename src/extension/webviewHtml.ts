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

// `webview.cspSource` is a source LIST: recent VS Code gives `'self' https://*.vscode-cdn.net`,
// older ones `vscode-resource:` or `https://*.vscode-webview.net`. Each source is checked on its
// own against what VS Code hands out: the keyword 'self', a vscode-* scheme source, or an
// http(s)/vscode-* host source with a concrete host (a `*.` prefix allowed, a bare `*` not; host
// labels are letters, digits and `-`, as CSP's grammar has them).
// Anything else is refused: `;` or `,` (would end the directive or the policy), other quoted
// keywords ('unsafe-inline', 'unsafe-eval', 'nonce-…', 'strict-dynamic'), bare schemes such as
// `https:` or `data:` (every host of that scheme), or `*`.
const SELF = "'self'";
const SCHEME_SOURCE = /^vscode-[a-z0-9-]+:$/i;
const HOST_SOURCE = /^(?:(?:https?|vscode-[a-z0-9-]+):\/\/)?(?:\*\.)?[a-z0-9-]+(?:\.[a-z0-9-]+)*(?::(?:\d{1,5}|\*))?(?:\/[A-Za-z0-9._~!$&()*+=:@%/-]*)?$/i;

function checkSource(s: string): string {
  const sources = s.trim().split(/\s+/).filter(Boolean);
  if (!sources.length) throw new Error(`renderWebviewHtml: invalid cspSource ${JSON.stringify(s)}`);
  for (const src of sources) {
    if (src === SELF || SCHEME_SOURCE.test(src) || HOST_SOURCE.test(src)) continue;
    throw new Error(`renderWebviewHtml: invalid source ${JSON.stringify(src)} in cspSource ${JSON.stringify(s)}`);
  }
  return sources.join(' ');
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
