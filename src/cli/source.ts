// Reading an experiment file and checking it: the one place the CLI calls the language.
import { readFileSync, statSync } from 'node:fs';
import type { CheckedProgram, Diagnostic } from '../core/program';
import { checkText } from '../core/lang';
import { numericHooks } from '../core/checkHooks';
import { fileDiagnostic } from './diagnostics';

/** Hand-written experiments are a few kB; anything this large is not one, and is refused
 *  before it reaches the parser. */
export const MAX_FILE_BYTES = 1 << 20;

export interface Checked {
  file: string;
  text: string | null;
  program: CheckedProgram | null;
  diagnostics: Diagnostic[];
}

export function readAndCheck(file: string): Checked {
  let size: number;
  try {
    size = statSync(file).size;
  } catch (e) {
    return { file, text: null, program: null, diagnostics: [fileDiagnostic(`cannot read file: ${(e as Error).message}`, 'io')] };
  }
  if (size > MAX_FILE_BYTES) {
    const mb = (size / 2 ** 20).toFixed(1);
    return {
      file, text: null, program: null,
      diagnostics: [fileDiagnostic(`file is ${mb} MB; experiment files are limited to ${MAX_FILE_BYTES / 2 ** 20} MB`, 'file-too-large')],
    };
  }
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    return { file, text: null, program: null, diagnostics: [fileDiagnostic(`cannot read file: ${(e as Error).message}`, 'io')] };
  }
  const program = checkText(text, numericHooks());
  return { file, text, program, diagnostics: program.diagnostics };
}
