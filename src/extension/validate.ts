// Guards for what the language server sends (custom sgdexp/* notifications and request answers):
// the same validators the webview applies to what it receives (src/core/wire/webviewMessages.ts), so a
// malformed or truncated document is dropped and logged here, never forwarded to a page.
// (Messages from the page are checked with validateFromWebview in preview/preview.ts.)
import type { ResultsMessage, StatusMessage } from '../core/wire/protocol';
import { validateToWebview, type Validated } from '../core/wire/webviewMessages';

export function validateResults(m: unknown): Validated<ResultsMessage> {
  const v = validateToWebview(typeof m === 'object' && m !== null ? { ...m, type: 'results' } : m);
  if (!v.ok) return v;
  if (v.value.type !== 'results') return { ok: false, error: 'not a results message' };
  const { uri, revision, final, doc, append, wallMs } = v.value;
  return { ok: true, value: { uri, revision, final, doc, ...(append ? { append } : {}), ...(wallMs ? { wallMs } : {}) } };
}

export function validateStatus(m: unknown): Validated<StatusMessage> {
  const v = validateToWebview(typeof m === 'object' && m !== null ? { ...m, type: 'status' } : m);
  if (!v.ok) return v;
  if (v.value.type !== 'status') return { ok: false, error: 'not a status message' };
  const { uri, revision, nodes } = v.value;
  return { ok: true, value: { uri, revision, nodes } };
}
