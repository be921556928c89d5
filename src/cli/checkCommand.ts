// `sgdexp check FILE...`: every diagnostic of every file, one line each, on stdout.
import { expandInputs } from './files';
import { formatDiagnostic, sortDiagnostics } from './diagnostics';
import { readAndCheck } from './source';
import { LIMIT_HINT, type Limits } from './limits';

export async function checkCommand(inputs: string[], o: { quiet?: boolean; limits?: Limits } = {}): Promise<number> {
  const files = expandInputs(inputs);
  let errors = 0;
  let warnings = 0;
  for (const file of files) {
    const { diagnostics } = readAndCheck(file, { ...o.limits, hint: LIMIT_HINT });
    for (const d of sortDiagnostics(diagnostics)) {
      process.stdout.write(formatDiagnostic(file, d) + '\n');
      if (d.severity === 'error') errors++;
      else if (d.severity === 'warning') warnings++;
    }
  }
  if (!o.quiet) process.stderr.write(`${files.length} file${files.length === 1 ? '' : 's'} checked: ${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}\n`);
  return errors > 0 ? 1 : 0;
}
