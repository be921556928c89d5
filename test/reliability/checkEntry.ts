// A child process for the oversized-input tests: checks one file with the language's checker
// (checkText, as the CLI and the language server call it) and prints, as one JSON line, the
// diagnostics (the first 200), the elapsed time and the peak resident memory.
import { readFileSync } from 'node:fs';
import { checkText } from '../../src/core/lang';
import { numericHooks } from '../../src/core/checkHooks';

const text = readFileSync(process.argv[2], 'utf8');
const t0 = performance.now();
const program = checkText(text, numericHooks());
const ms = performance.now() - t0;
const diags = program.diagnostics;
process.stdout.write(
  JSON.stringify({
    count: diags.length,
    errors: diags.filter((d) => d.severity === 'error').length,
    first: diags.slice(0, 200).map((d) => ({ code: d.code, message: d.message, range: d.range })),
    ms,
    peakRssKB: process.resourceUsage().maxRSS,
  }) + '\n',
);
