// Entry point of dist/cli.js (the `sgdexp` bin). The commands live in program.ts.
import { main, EXIT_FAIL } from './commands';

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e) => {
    process.stderr.write(`sgdexp: internal error: ${String(e)}\n`);
    process.exitCode = EXIT_FAIL;
  },
);
