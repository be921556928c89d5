// Diagnostics in the one-line form editors and CI annotators parse (GCC style):
//   file:line:col: severity: message
// The checker's ranges are LSP positions (0-based line, 0-based UTF-16 column); people and
// tools count from 1, so both are shifted by one here and nowhere else.
import type { Diagnostic, Severity } from '../core/program';
import { printable } from '../core/lang/text';

export function formatDiagnostic(file: string, d: Diagnostic): string {
  const line = d.range.start.line + 1;
  const col = d.range.start.character + 1;
  // one diagnostic per line: a message with newlines would break the annotators' parsing; a
  // message quoting a file name or an error with control characters must not drive the terminal
  const message = printable(d.message.replace(/\s*\n\s*/g, ' '));
  return `${file}:${line}:${col}: ${d.severity}: ${message}`;
}

const ORDER: Record<Severity, number> = { error: 0, warning: 1, info: 2, hint: 3 };

/** Source order (then severity), so the output reads like the file. */
export function sortDiagnostics(ds: readonly Diagnostic[]): Diagnostic[] {
  return [...ds].sort(
    (a, b) =>
      a.range.start.line - b.range.start.line ||
      a.range.start.character - b.range.start.character ||
      ORDER[a.severity] - ORDER[b.severity],
  );
}

export function hasError(ds: readonly Diagnostic[]): boolean {
  return ds.some((d) => d.severity === 'error');
}

/** A diagnostic about the file as a whole (unreadable, too large), placed at 1:1. */
export function fileDiagnostic(message: string, code: string): Diagnostic {
  const at = { line: 0, character: 0 };
  return { range: { start: at, end: at }, severity: 'error', message, code };
}
