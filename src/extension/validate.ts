// Guards for what the extension receives from its two untrusted neighbours: the language server
// (custom sgdexp/* notifications and request answers) and the webview (postMessage). Nothing is
// forwarded or acted on before it passes these checks; see src/core/protocol.ts for the types.
import type { FromWebview, NodeStatus, ResultsMessage, StatusMessage } from '../core/protocol';

const isObj = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
const isInt = (x: unknown): x is number => typeof x === 'number' && Number.isInteger(x);

export function isResultsMessage(x: unknown): x is ResultsMessage {
  if (!isObj(x) || typeof x.uri !== 'string' || !isInt(x.revision) || typeof x.final !== 'boolean') return false;
  const d = x.doc;
  return isObj(d) && d.format === 'sgdexp-results' && isObj(d.runs) && Array.isArray(d.plots);
}

const NODE_KINDS = new Set(['data', 'model', 'optimizer', 'run', 'plot', 'value', 'init']);
const NODE_STATES = new Set(['cached', 'running', 'queued', 'stale', 'failed', 'blocked', 'done', 'cancelled']);

function isNodeStatus(x: unknown): x is NodeStatus {
  return (
    isObj(x) && typeof x.id === 'string' && NODE_KINDS.has(x.kind as string) && NODE_STATES.has(x.state as string) &&
    Array.isArray(x.deps) && x.deps.every((d) => typeof d === 'string')
  );
}

export function isStatusMessage(x: unknown): x is StatusMessage {
  return isObj(x) && typeof x.uri === 'string' && isInt(x.revision) && Array.isArray(x.nodes) && x.nodes.every(isNodeStatus);
}

const FORMATS = new Set(['svg', 'png', 'csv', 'json']);

export function isFromWebview(x: unknown): x is FromWebview {
  if (!isObj(x) || typeof x.type !== 'string') return false;
  switch (x.type) {
    case 'ready':
    case 'cancel':
      return true;
    case 'rendered':
      return isInt(x.revision) && isInt(x.plots) && typeof x.ms === 'number';
    case 'export':
      return (
        FORMATS.has(x.format as string) &&
        (x.plotIndex === null || isInt(x.plotIndex)) &&
        (x.data === undefined || typeof x.data === 'string')
      );
    case 'error':
      return typeof x.text === 'string';
    default:
      return false;
  }
}
