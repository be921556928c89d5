// Reading an experiment file and checking it: the one place the CLI calls the language.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import type { CheckedProgram, Diagnostic } from '../core/program';
import { checkText, MAX_SOURCE_BYTES, tooLargeMessage } from '../core/lang';
import { resolve } from 'node:path';
import { numericHooks, type LimitOverrides } from '../core/checkHooks';
import { cliDataRoots } from '../core/dataFiles';
import { fileDiagnostic } from './diagnostics';

/** Hand-written experiments are a few kB; anything larger than this is not one, and is refused
 *  before it reaches the parser (the language server applies the same limit). */
export const MAX_FILE_BYTES = MAX_SOURCE_BYTES;

export interface Checked {
  file: string;
  text: string | null;
  program: CheckedProgram | null;
  diagnostics: Diagnostic[];
}

/**
 * The bytes of a regular file, reading at most limit + 1 of them: the size from stat can be
 * stale (a file still being written) and a device or pipe has none (`/dev/zero` never ends).
 */
function readBounded(file: string, limit: number): { bytes: Buffer } | { tooLarge: number; atLeast: boolean } | { error: string } {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (e) {
    return { error: `cannot read file: ${(e as Error).message}` };
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) return { error: `cannot read file: not a regular file` };
    if (st.size > limit) return { tooLarge: st.size, atLeast: false };
    const buf = Buffer.alloc(limit + 1);
    let got = 0;
    for (let n = 1; n > 0 && got < buf.length; got += n) n = readSync(fd, buf, got, buf.length - got, got);
    if (got > limit) return { tooLarge: got, atLeast: true };
    return { bytes: buf.subarray(0, got) };
  } catch (e) {
    return { error: `cannot read file: ${(e as Error).message}` };
  } finally {
    closeSync(fd);
  }
}

/** The text of an experiment file under the same size limit as `readAndCheck`, or null. */
export function readSource(file: string): string | null {
  const r = readBounded(file, MAX_FILE_BYTES);
  return 'bytes' in r ? r.bytes.toString('utf8') : null;
}

/** `limits`: the invocation's --max-time and --max-memory, with the hint its refusals give. */
export function readAndCheck(file: string, limits: LimitOverrides = {}): Checked {
  const r = readBounded(file, MAX_FILE_BYTES);
  if ('error' in r) return { file, text: null, program: null, diagnostics: [fileDiagnostic(r.error, 'io')] };
  if ('tooLarge' in r) return { file, text: null, program: null, diagnostics: [fileDiagnostic(tooLargeMessage(r.tooLarge, r.atLeast), 'file-too-large')] };
  const text = r.bytes.toString('utf8');
  // csv(…) data: relative to the file, inside the current directory or the file's git repository
  const program = checkText(text, numericHooks({ file: resolve(file), roots: cliDataRoots(file), rootsName: "the current directory and the file's git repository" }, limits));
  return { file, text, program, diagnostics: program.diagnostics };
}
