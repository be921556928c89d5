// The `.sgdexp` language: parse + check (→ CheckedProgram) and the editor features over it.
// Plain TypeScript, no `vscode` import: the language server (src/server) is a thin adapter.
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
