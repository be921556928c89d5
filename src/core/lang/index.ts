// The `.sgdexp` language: parse + check (→ CheckedProgram) and the editor features over it.
// Plain TypeScript, no `vscode` import: the language server (src/server) is a thin adapter.
// The numeric core enters only through the hooks in CheckOptions (src/core/checkHooks.ts builds
// them; the callers pass them).
import { check, type Analysis, type CheckOptions } from './checker';
import type { CheckedProgram } from '../program';
import type { FileNode } from './ast';

export type { Analysis, CheckOptions } from './checker';
export type { FileNode } from './ast';
export { parse } from './parser';
export { lex } from './lexer';
export { LineIndex } from './text';
export { BUILTINS, BUILTIN_BY_NAME, signature, builtinMarkdown } from './builtins';

/** Parse and check a document: the syntax tree, the checked program, and the editor analysis. */
export function checkDocument(text: string, opts: CheckOptions = {}): { tree: FileNode; program: CheckedProgram; analysis: Analysis } {
  const analysis = check(text, opts);
  return { tree: analysis.tree, program: analysis.program, analysis };
}

export { check };

/** Just the checked program (the CLI and the graph need nothing else). */
export function checkText(text: string, opts: CheckOptions = {}): CheckedProgram {
  return check(text, opts).program;
}

export { complete, hover, signatureHelp, callSnippet } from './complete';
export type { CompletionItem, CompletionKind, Hover, SignatureHelp } from './complete';
export {
  definition, references, highlights, inlayHints, prepareRename, rename, documentSymbols, foldingRanges, semanticTokens, codeActions,
  TOKEN_TYPES, TOKEN_MODIFIERS,
} from './navigate';
export type { TextEdit, DocumentSymbol, FoldingRange, SemanticToken, CodeAction, InlayHint } from './navigate';
export { format, shape } from './format';
