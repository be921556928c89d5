// Expands the command line's FILE|DIR arguments into the experiment files to process and
// decides where each one's outputs go.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';

export const EXTENSION = '.sgdexp';

const USAGE = Symbol.for('sgdexp.UsageError');

/** Bad usage (exit 2). dist/run.js holds its own copy of this class (lazy.ts), so `instanceof`
 *  asks for the mark every copy sets rather than for the class object. */
export class UsageError extends Error {
  readonly [USAGE] = true;
  static override [Symbol.hasInstance](v: unknown): boolean {
    return typeof v === 'object' && v !== null && (v as { [USAGE]?: unknown })[USAGE] === true;
  }
}

/** Regular files given directly are taken whatever their extension; directories contribute their
 *  `*.sgdexp` files, recursively, in sorted order (so outputs are reproducible). */
export function expandInputs(args: readonly string[]): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  const add = (p: string) => {
    const key = resolve(p);
    if (!seen.has(key)) {
      seen.add(key);
      out.push(p);
    }
  };
  for (const arg of args) {
    let st;
    try {
      st = statSync(arg);
    } catch {
      throw new UsageError(`no such file or directory: ${arg}`);
    }
    if (st.isDirectory()) {
      const found = walk(arg);
      if (found.length === 0) throw new UsageError(`no ${EXTENSION} files in ${arg}`);
      found.forEach(add);
    } else if (st.isFile()) add(arg);
    // a device or a pipe has no end to read to (`/dev/zero`)
    else throw new UsageError(`not a regular file or directory: ${arg}`);
  }
  return out;
}

function walk(dir: string): string[] {
  const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const out: string[] = [];
  for (const e of entries) {
    if (e.name.startsWith('.') || e.name === 'node_modules') continue;
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...walk(p));
    else if (e.isFile() && e.name.endsWith(EXTENSION)) out.push(p);
  }
  return out;
}

/** The deepest directory containing every input: outputs mirror the inputs' layout below it. */
export function commonBase(files: readonly string[]): string {
  const dirs = files.map((f) => resolve(dirname(f)).split(sep));
  if (dirs.length === 0) return process.cwd();
  const first = dirs[0];
  let n = first.length;
  for (const d of dirs) {
    let i = 0;
    while (i < n && i < d.length && d[i] === first[i]) i++;
    n = i;
  }
  return first.slice(0, n).join(sep) || sep;
}

/** out/<path below the common base>/<stem>: the prefix of every output of one file. */
export function outputStem(file: string, base: string, outDir: string): string {
  const rel = relative(base, resolve(file));
  const stem = basename(rel).replace(/\.sgdexp$/, '');
  return join(outDir, dirname(rel), stem);
}

/** A JSON argument (a results document, a shard): a missing file is bad usage; text that is not
 *  JSON is the file's own failure, returned with the parser's message. */
export function readJsonArgument(f: string): { ok: true; value: unknown } | { ok: false; message: string } {
  let text: string;
  try {
    text = readFileSync(f, 'utf8');
  } catch {
    throw new UsageError(`no such file: ${f}`);
  }
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (e) {
    return { ok: false, message: `not JSON (${(e as Error).message})` };
  }
}
