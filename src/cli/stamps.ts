// Outputs already up to date are not drawn again: a second `sgdexp run` of an unchanged file
// takes its runs from the disk cache and, when the results, the formats and the CLI build are
// the same as last time and every output file is still there, skips re-rendering the figures.
// The stamps live in one small file per output folder: `.sgdexp-outputs.json`.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

const STAMPS = '.sgdexp-outputs.json';

/** Identifies the code that drew the outputs: the size and mtime of the running bundle
 *  (dist/run.js) and of the figure stack's bundle next to it (dist/render.js, lazy.ts). */
function buildId(): string {
  return [__filename, join(__dirname, 'render.js')]
    .map((f) => {
      try {
        const st = statSync(f);
        return `${st.size}:${st.mtimeMs}`;
      } catch {
        return 'none';
      }
    })
    .join(',');
}

/** `jsonDigest`: SHA-256 of the results JSON (jsonStream.ts), which the outputs are drawn from. */
export function outputKey(jsonDigest: string, formats: readonly string[]): string {
  return createHash('sha256').update(jsonDigest).update('\0').update([...formats].sort().join(',')).update('\0').update(buildId()).digest('hex');
}

function load(dir: string): Record<string, string> {
  try {
    const v = JSON.parse(readFileSync(join(dir, STAMPS), 'utf8'));
    return v && typeof v === 'object' ? v : {};
  } catch {
    return {};
  }
}

/** True when `stem`'s outputs were written from the same key and all of `files` exist. */
export function upToDate(stem: string, key: string, files: readonly string[]): boolean {
  return load(dirname(stem))[basename(stem)] === key && files.every((f) => existsSync(f));
}

export function stamp(stem: string, key: string): void {
  const dir = dirname(stem);
  const all = load(dir);
  all[basename(stem)] = key;
  try {
    writeFileSync(join(dir, STAMPS), JSON.stringify(all, null, 1) + '\n');
  } catch {
    // a read-only output folder only costs a re-render next time
  }
}
