// INTERIM, until src/extension/webviewHtml.ts (the visualisation engineer's renderWebviewHtml) lands:
// the same signature and the same CSP, so preview.ts switches by changing one import.
export interface WebviewHtmlArgs {
  nonce: string;
  cspSource: string;
  scriptUri: string;
  styleUri: string;
  state?: unknown;
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

export function renderWebviewHtml(a: WebviewHtmlArgs): string {
  const csp = [
    "default-src 'none'",
    `img-src ${a.cspSource} data:`,
    `style-src ${a.cspSource} 'unsafe-inline'`,
    `font-src ${a.cspSource}`,
    `script-src 'nonce-${a.nonce}'`,
  ].join('; ');
  return `<!DOCTYPE html><html><head><meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${esc(a.styleUri)}">
<meta id="sgdexp-data" data-state="${esc(JSON.stringify(a.state ?? null))}">
</head><body><main id="root"></main>
<script nonce="${a.nonce}" src="${esc(a.scriptUri)}"></script></body></html>`;
}
