// The `.sgdexp` language: parse + check (→ CheckedProgram) and the editor features over it.
// Plain TypeScript, no `vscode` import: the language server (src/server) is a thin adapter.
import { check, type Analysis, type CheckOptions } from './checker';
import type { CheckedProgram } from '../program';
import type { FileNode } from './ast';
import type { DataSpec } from '../spec';
import { dataLambdaMax } from '../numeric/data';
import { estimateCost, FILE_LIMITS, LIMITS } from '../numeric/estimate';
import { MAX_SOURCE_BYTES, tooLargeMessage, utf8Length } from './size';

export type { Analysis, CheckOptions } from './checker';
export type { FileNode } from './ast';
export { parse } from './parser';
export { lex } from './lexer';
export { LineIndex, printable } from './text';
export { MAX_SOURCE_BYTES, tooLargeMessage, utf8Length } from './size';
export { BUILTINS, BUILTIN_BY_NAME, signature, builtinMarkdown } from './builtins';

// λ_max(XᵀX) of the actual data set (the data are generated: O(n·p²)), memoised; above a small
// budget the checker falls back to the Marchenko–Pastur edge so a keystroke stays fast.
// A check spends at most LAMBDA_CHECK_BUDGET on new data sets (the rest use the edge until a
// later check has memoised them), so a file with many data sets never stalls a keystroke.
const LAMBDA_BUDGET = 2e6;
const LAMBDA_CHECK_BUDGET = 4e6;
let lambdaBudgetLeft = LAMBDA_CHECK_BUDGET;
const lambdaMemo = new Map<string, number>();
function lambdaMax(spec: DataSpec, rootSeed: number): number | null {
  const p = spec.kind === 'teacher' ? spec.p : spec.kind === 'sparse' ? spec.d : 0;
  const n = spec.kind === 'completion' ? 0 : spec.n;
  const cost = n * p * (p + 1);
  if (!(n > 0 && p > 0) || cost > LAMBDA_BUDGET) return null;
  const key = spec.kind === 'teacher'
    ? `t|${spec.n}|${spec.p}|${spec.k}|${spec.noise}|${spec.test}|${spec.activation}|${spec.neurons}|${spec.seed}|${rootSeed}`
    : spec.kind === 'sparse' ? `s|${spec.n}|${spec.d}|${spec.s}|${spec.noise}|${spec.test}|${spec.seed}|${rootSeed}` : '';
  let v = lambdaMemo.get(key);
  if (v === undefined) {
    if (cost > lambdaBudgetLeft) return null;
    lambdaBudgetLeft -= cost;
    try {
      v = dataLambdaMax(spec, rootSeed);
    } catch {
      v = NaN;
    }
    if (lambdaMemo.size > 1024) lambdaMemo.clear();
    lambdaMemo.set(key, v);
  }
  return Number.isFinite(v) ? v : null;
}

/** The numerics' hooks: exact λ_max of small data sets, and the cost estimate with its limits (per run, per file). */
export const defaultHooks: CheckOptions = { lambdaMax, estimate: estimateCost, limits: LIMITS, fileLimits: FILE_LIMITS };

/** Parse and check a document: the syntax tree, the checked program, and the editor analysis. */
export function checkDocument(text: string, opts: CheckOptions = {}): { tree: FileNode; program: CheckedProgram; analysis: Analysis } {
  lambdaBudgetLeft = LAMBDA_CHECK_BUDGET;
  const analysis = oversized(text) ?? check(text, { ...defaultHooks, ...opts });
  return { tree: analysis.tree, program: analysis.program, analysis };
}

/**
 * A document over the size limit is not parsed: the analysis of an empty document (so every
 * editor feature answers, and formatting edits nothing) with one error at the start.
 */
function oversized(text: string): Analysis | null {
  // a UTF-16 unit is at most 3 UTF-8 bytes: short texts need no count
  if (text.length <= MAX_SOURCE_BYTES / 3) return null;
  const bytes = utf8Length(text);
  if (bytes <= MAX_SOURCE_BYTES) return null;
  const a = check('');
  const line = a.lines.range(0, 0);
  a.program.diagnostics.push({ range: line, severity: 'error', code: 'file-too-large', message: tooLargeMessage(bytes) });
  a.program.ok = false;
  return a;
}

export { check };

/** Just the checked program (the CLI and the graph need nothing else). */
export function checkText(text: string, opts: CheckOptions = {}): CheckedProgram {
  lambdaBudgetLeft = LAMBDA_CHECK_BUDGET;
  return (oversized(text) ?? check(text, { ...defaultHooks, ...opts })).program;
}

export { complete, hover, signatureHelp, callSnippet } from './complete';
export type { CompletionItem, CompletionKind, Hover, SignatureHelp } from './complete';
export {
  definition, references, highlights, inlayHints, prepareRename, rename, documentSymbols, foldingRanges, semanticTokens, codeActions,
  TOKEN_TYPES, TOKEN_MODIFIERS,
} from './navigate';
export type { TextEdit, DocumentSymbol, FoldingRange, SemanticToken, CodeAction, InlayHint } from './navigate';
export { format, shape } from './format';
