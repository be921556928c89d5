// The `.sgdexp` language: parse + check (→ CheckedProgram) and the editor features over it.
// Plain TypeScript, no `vscode` import: the language server (src/server) is a thin adapter.
// The numeric core enters only through the hooks in CheckOptions (src/core/checkHooks.ts builds
// them; the callers pass them).
import { check, type Analysis, type CheckOptions } from './checker';
import type { CheckedProgram } from '../program';
import type { FileNode } from './ast';
import { MAX_SOURCE_BYTES, tooLargeMessage, utf8Length } from './size';

export type { Analysis, CheckOptions } from './checker';
export type { FileNode } from './ast';
export { parse } from './parser';
export { lex } from './lexer';
export { LineIndex, printable } from './text';
export { MAX_SOURCE_BYTES, tooLargeMessage, utf8Length } from './size';
export { BUILTINS, BUILTIN_BY_NAME, CLAIM_TERMS, signature, builtinMarkdown } from './builtins';

/** Parse and check a document: the syntax tree, the checked program, and the editor analysis.
 *  The numeric core's hooks (λ_max, cost estimate and limits) come from the caller
 *  (src/core/checkHooks.ts): the language never imports the stepping core. */
export function checkDocument(text: string, opts: CheckOptions = {}): { tree: FileNode; program: CheckedProgram; analysis: Analysis } {
  const analysis = oversized(text) ?? check(text, opts);
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
  return (oversized(text) ?? check(text, opts)).program;
}

export { complete, hover, signatureHelp, callSnippet } from './complete';
export type { CompletionItem, CompletionKind, Hover, SignatureHelp } from './complete';
export {
  definition, references, highlights, inlayHints, prepareRename, rename, documentSymbols, foldingRanges, semanticTokens, codeActions,
  TOKEN_TYPES, TOKEN_MODIFIERS,
} from './navigate';
export type { TextEdit, DocumentSymbol, FoldingRange, SemanticToken, CodeAction, InlayHint } from './navigate';
export { format, shape } from './format';
