// `sgdexp`: the command-line runner over the same src/core as the editor preview.
//   sgdexp check FILE...                      diagnostics as file:line:col: severity: message
//   sgdexp run FILE|DIR... [options]          run through the reactive graph, write results + figures
//   sgdexp merge A.json B.json ... -o OUT     join the JSON of `run --shard i/N` shards
//   sgdexp render RESULTS.json... [options]   figures, series and report of results documents
// Exit codes: 0 done; 1 a diagnostic error or a failed run (a diverged run too with --strict);
// 2 bad usage (unknown option, bad value, missing file).
import { Command, CommanderError, Option } from 'commander';
import { FORMATS, type Format } from './formats';
import { loadCheckStack, loadRunStack } from './lazy';
import { UsageError } from './files';
import { parseShard } from './shard';
import { parseMaxMemory, parseMaxTime } from './limits';
import { prestartWorker, surelyComputes } from './prestart';
import type { RunOptions } from './runCommand';
// only the version is bundled, not the whole manifest
import { version } from '../../package.json';

export const EXIT_OK = 0;
export const EXIT_FAIL = 1;
export const EXIT_USAGE = 2;


function parseFormats(text: string): Format[] {
  const items = text.split(',').map((s) => s.trim().toLowerCase()).filter(Boolean);
  const bad = items.filter((s) => !(FORMATS as readonly string[]).includes(s));
  if (bad.length || items.length === 0)
    throw new UsageError(`--format: unknown format ${bad.map((b) => `"${b}"`).join(', ') || '(empty)'}; choose from ${FORMATS.join(',')}`);
  return [...new Set(items)] as Format[];
}

function parseJobs(text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > 256) throw new UsageError(`--jobs expects a whole number from 1 to 256, got "${text}"`);
  return n;
}

function limitsOf(o: Record<string, unknown>): { seconds: number | null; bytes: number | null } {
  return {
    seconds: typeof o.maxTime === 'string' ? parseMaxTime(o.maxTime) : null,
    bytes: typeof o.maxMemory === 'string' ? parseMaxMemory(o.maxMemory) : null,
  };
}

export async function main(argv: readonly string[]): Promise<number> {
  let code = EXIT_OK;
  const program = new Command('sgdexp')
    .description('Run .sgdexp experiments: GD and SGD on small networks, with figures.')
    .version(version)
    .exitOverride()
    .showHelpAfterError('(run sgdexp --help for usage)')
    .configureOutput({ writeOut: (s) => process.stdout.write(s), writeErr: (s) => process.stderr.write(s) });

  program
    .command('check')
    .description('check experiment files; print diagnostics as file:line:col: severity: message')
    .argument('<files...>', '.sgdexp files or directories')
    .option('-q, --quiet', 'no summary line (the diagnostics only)')
    .option('--max-time <duration>', 'time limit of a run and of a file (seconds, or 90m, 24h)')
    .option('--max-memory <size>', 'memory limit of a run and of a file (bytes, or 512MB, 8GB)')
    .action(async (files: string[], o: Record<string, unknown>) => {
      const { checkCommand } = await loadCheckStack();
      code = await checkCommand(files, { quiet: o.quiet === true, limits: limitsOf(o) });
    });

  program
    .command('run')
    .description('run experiment files and write results (JSON), figures (SVG, PNG), series (CSV) and an HTML report')
    .argument('<inputs...>', '.sgdexp files or directories (searched recursively)')
    .option('-o, --out <dir>', 'output directory', 'out')
    .option('-f, --format <list>', `outputs, comma-separated: ${FORMATS.join(',')}`, FORMATS.join(','))
    .option('--json', 'print the results JSON to stdout (one document, or an array for several files)')
    .option('-j, --jobs <n>', 'worker threads (default: one per core)')
    .option('-q, --quiet', 'no progress output')
    .option('--no-cache', 'ignore and do not write the disk cache')
    .option('--cache-dir <dir>', 'disk cache folder (default: $SGDEXP_CACHE_DIR or ~/.cache/sgdexp)')
    .option('--strict', 'exit 1 when a run diverges')
    .option('--max-time <duration>', 'time limit of a run and of a file (seconds, or 90m, 24h; default 30 min and 6 h)')
    .option('--max-memory <size>', 'memory limit of a run and of a file (bytes, or 512MB, 8GB; default 1 GB and 2 GB)')
    .addOption(new Option('--shard <i/N>', 'run every N-th run, starting at the i-th (1-based); join shards with `sgdexp merge`'))
    .action(async (inputs: string[], o: Record<string, unknown>) => {
      const opts: RunOptions = {
        out: String(o.out),
        formats: parseFormats(String(o.format)),
        json: o.json === true,
        jobs: o.jobs === undefined ? null : parseJobs(String(o.jobs)),
        quiet: o.quiet === true,
        cache: o.cache !== false,
        cacheDir: typeof o.cacheDir === 'string' ? o.cacheDir : null,
        strict: o.strict === true,
        shard: typeof o.shard === 'string' ? parseShard(o.shard) : null,
        limits: limitsOf(o),
      };
      // before the run stack loads: the thread boots while it does (prestart.ts)
      const first = surelyComputes(opts) ? prestartWorker() : null;
      if (first) opts.threads = [first];
      const { runCommand } = await loadRunStack();
      code = await runCommand(inputs, opts);
    });

  program
    .command('render')
    .description('draw the figures, series and HTML report of results documents (e.g. a merged shard document) without running')
    .argument('<files...>', 'results JSON files (from run --format json or merge)')
    .option('-o, --out <dir>', 'output directory', 'out')
    .option('-f, --format <list>', `outputs, comma-separated: ${FORMATS.join(',')}`, 'svg,png,csv,html')
    .option('-q, --quiet', 'no summary output')
    .action(async (files: string[], o: Record<string, unknown>) => {
      const { renderCommand } = await loadRunStack();
      code = await renderCommand(files, { out: String(o.out), formats: parseFormats(String(o.format)), quiet: o.quiet === true });
    });

  program
    .command('merge')
    .description('join the results JSON of the shards of one experiment (from run --shard i/N)')
    .argument('<files...>', 'results JSON files, one per shard')
    .requiredOption('-o, --output <file>', 'where to write the merged JSON ("-" for stdout)')
    .action(async (files: string[], o: { output: string }) => {
      const { mergeCommand } = await loadRunStack();
      code = await mergeCommand(files, o.output);
    });

  try {
    await program.parseAsync(argv as string[], { from: 'user' });
    return code;
  } catch (e) {
    if (e instanceof CommanderError) {
      // --help and --version end here too, successfully
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version') return EXIT_OK;
      // help shown because no command was given is bad usage; `sgdexp help run` is not
      if (e.code === 'commander.help') return argv.length === 0 ? EXIT_USAGE : EXIT_OK;
      return EXIT_USAGE;
    }
    if (e instanceof UsageError) {
      process.stderr.write(`sgdexp: ${e.message}\n`);
      return EXIT_USAGE;
    }
    // the file system said no (unwritable --out, full disk): a message, not a stack trace
    const sys = e as NodeJS.ErrnoException;
    if (sys && typeof sys.code === 'string' && typeof sys.syscall === 'string') {
      process.stderr.write(`sgdexp: cannot ${sys.syscall} ${sys.path ?? ''}: ${sys.code}\n`);
      return EXIT_FAIL;
    }
    process.stderr.write(`sgdexp: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    return EXIT_FAIL;
  }
}
