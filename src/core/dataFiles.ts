// Reading the data file of `csv(path, …)` for the checker (the `readData` hook, src/core/lang/domain.ts).
// The language never touches the file system: the CLI (src/cli/source.ts) and the language server
// (src/server/server.ts) build this reader with the experiment file's location and the folders
// it may read from, and hand it to the checker through the hooks (checkHooks.ts).
//
// Path rules: `path` is relative to the experiment file; absolute paths, and paths that leave
// every allowed root (the workspace folders in the editor; the current directory or the file's
// git repository on the command line), are refused, symlinks followed. The content hash (the one
// hash, keys.ts) goes into the data set's spec and so into every dependent run's key.
import { closeSync, fstatSync, openSync, readSync, realpathSync, existsSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { hashBytes } from './keys';
import { MAX_DATA_BYTES, parseCsvData, type CsvHeader } from './numeric/csvData';

export type DataRead =
  | { ok: true; hash: string; rows: number[][]; names: string[] | null }
  | { ok: false; message: string; row?: number; col?: number };

export interface DataReaderOptions {
  /** the experiment file (absolute); null: an unsaved document */
  file: string | null;
  /** folders the data may come from (absolute) */
  roots: string[];
  /** false: nothing is read, and the message says why */
  trusted?: boolean;
  /** how the roots are named in a refusal (default: the folder, or the workspace folders) */
  rootsName?: string;
}

const isInside = (root: string, p: string): boolean => {
  const rel = path.relative(root, p);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
};

/** memo per resolved file and header mode, refreshed when size or mtime change */
const memo = new Map<string, { mtimeMs: number; size: number; result: DataRead }>();

export function dataReader(o: DataReaderOptions): (p: string, header: CsvHeader) => DataRead {
  return (p, header) => {
    if (o.trusted === false) return { ok: false, message: 'data files are not read in an untrusted workspace: trust the workspace to load it' };
    if (p === '') return { ok: false, message: 'the path is empty' };
    if (path.isAbsolute(p) || path.win32.isAbsolute(p)) return { ok: false, message: `'${p}' is an absolute path: give it relative to the experiment file` };
    if (!o.file) return { ok: false, message: 'save the experiment first: a data path is relative to its file' };
    const abs = path.resolve(path.dirname(o.file), p);
    const roots = o.roots.map((r) => path.resolve(r));
    const where = o.rootsName ?? (roots.length === 1 ? `the folder ${roots[0]}` : 'the workspace folders');
    if (!roots.some((r) => isInside(r, abs))) return { ok: false, message: `'${p}' leaves ${where}: a data file must be inside it` };
    if (!existsSync(abs)) return { ok: false, message: `no file '${p}' next to the experiment` };
    let real: string;
    try {
      real = realpathSync(abs);
      if (!roots.some((r) => isInside(existsSync(r) ? realpathSync(r) : r, real))) return { ok: false, message: `'${p}' links outside ${where}: a data file must be inside it` };
      const st = statSync(real);
      if (!st.isFile()) return { ok: false, message: `'${p}' is not a file` };
      const key = `${real}\0${header}`;
      const m = memo.get(key);
      if (m && m.mtimeMs === st.mtimeMs && m.size === st.size) return m.result;
      const result = readAndParse(real, p, header);
      if (memo.size > 64) memo.clear();
      memo.set(key, { mtimeMs: st.mtimeMs, size: st.size, result });
      return result;
    } catch (e) {
      return { ok: false, message: `cannot read '${p}': ${(e as Error).message}` };
    }
  };
}

function readAndParse(file: string, shown: string, header: CsvHeader): DataRead {
  const fd = openSync(file, 'r');
  let bytes: Buffer;
  try {
    const size = fstatSync(fd).size;
    if (size > MAX_DATA_BYTES) return { ok: false, message: `'${shown}' is ${(size / 2 ** 20).toFixed(1)} MB, above the ${MAX_DATA_BYTES / 2 ** 20} MB a data file may have` };
    // at most limit + 1 bytes: the stat may be stale
    const buf = Buffer.alloc(Math.min(size, MAX_DATA_BYTES) + 1);
    let got = 0;
    for (let n = 1; n > 0 && got < buf.length; got += n) n = readSync(fd, buf, got, buf.length - got, got);
    if (got > MAX_DATA_BYTES) return { ok: false, message: `'${shown}' is above the ${MAX_DATA_BYTES / 2 ** 20} MB a data file may have` };
    bytes = buf.subarray(0, got);
  } finally {
    closeSync(fd);
  }
  const parsed = parseCsvData(bytes.toString('utf8'), header);
  if (!parsed.ok) return { ...parsed, message: `${shown}: ${parsed.message}` };
  return { ok: true, hash: hashBytes(bytes), rows: parsed.rows, names: parsed.names };
}

/** The CLI's roots: the current directory, and the git repository holding the file (if any). */
export function cliDataRoots(file: string, cwd = process.cwd()): string[] {
  const roots = [cwd];
  for (let d = path.dirname(path.resolve(file)); ; d = path.dirname(d)) {
    if (existsSync(path.join(d, '.git'))) {
      roots.push(d);
      break;
    }
    if (path.dirname(d) === d) break;
  }
  return roots;
}
