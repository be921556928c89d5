// Persistent cache of run values in the workspace storage folder, so that
// reopening a file or restarting the editor shows the last results at once.
//
// One file per run, named by its content key: `<key>.run`. Layout (all little-endian):
//   magic "SGDXRUN\0" (8) | format u32 | json length u32 | checkpoint length u32 |
//   SHA-256 of (json ‖ checkpoint) (32) | json (utf-8) | checkpoint bytes
// The files live in a sub-folder of the folder given (CACHE_SUBDIR), and only names of the
// shapes this cache writes (OWN_FILE, OWN_TMP) are ever deleted: a `--cache-dir` may be a folder
// of the user's own files, which pruning must never touch.
// A file is trusted only when magic, format, lengths, checksum and the key inside all match;
// anything else (truncated, foreign, older format, bit rot) is deleted and reported as a miss,
// so the run is recomputed and the file rewritten. Writes go to a temporary file and are renamed
// into place, so a crash never leaves a half-written file under a valid name.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ResultsDoc } from '../wire/results';
import type { RunValue } from './runValue';
import { makeRunValue } from './runValue';
import { hashBytes, VALUE_VERSION } from '../keys';

const MAGIC = Buffer.from('SGDXRUN\0', 'latin1');
export const DISK_FORMAT = 1;
/** the folder of the entries, inside the cache folder given */
export const CACHE_SUBDIR = `sgdexp-cache-v${DISK_FORMAT}`;
/** names this cache writes: `<key>.run`, `prefix-<key>.json`, `doc-<hash>.json` */
const OWN_NAME = String.raw`(?:[0-9a-f]+\.run|prefix-[0-9a-f]+\.json|doc-[0-9a-f]+\.json)`;
const OWN_FILE = new RegExp(`^${OWN_NAME}$`);
/** and their temporary files: `<name>.<pid>.tmp`, `<name>.<pid>.<random>.tmp` */
const OWN_TMP = new RegExp(String.raw`^${OWN_NAME}\.\d+(?:\.[0-9a-z]+)?\.tmp$`);
const HEADER = 8 + 4 + 4 + 4 + 32;
/** a temporary file older than this is a leftover of a crashed or killed writer (a write takes
 *  milliseconds; another process writing into the same folder right now is younger) */
const STALE_TMP_MS = 60_000;

export interface DiskCacheStats {
  hits: number;
  misses: number;
  corrupt: number;
  writes: number;
}

export class DiskCache {
  readonly stats: DiskCacheStats = { hits: 0, misses: 0, corrupt: 0, writes: 0 };
  private usable = true;
  private writesSincePrune = 0;

  /** the folder holding the entries: CACHE_SUBDIR inside the folder given */
  readonly dir: string;

  constructor(
    root: string,
    private readonly maxBytes = 256 * 2 ** 20,
  ) {
    this.dir = join(root, CACHE_SUBDIR);
    try {
      mkdirSync(this.dir, { recursive: true });
    } catch {
      this.usable = false; // read-only or missing storage: run without a disk cache
    }
    // leftovers are made by a process that died mid-write, i.e. before this one started
    if (this.usable) this.pruneTemporary();
  }

  fileOf(key: string): string {
    return join(this.dir, `${key}.run`);
  }

  get(key: string): RunValue | null {
    if (!this.usable || !/^[0-9a-f]+$/.test(key)) return null;
    const file = this.fileOf(key);
    let buf: Buffer;
    try {
      buf = readFileSync(file);
    } catch {
      this.stats.misses++;
      return null;
    }
    const v = decode(buf, key);
    if (!v) {
      this.stats.corrupt++;
      this.stats.misses++;
      try {
        rmSync(file, { force: true });
      } catch {
        /* ignore: it will be overwritten */
      }
      return null;
    }
    this.stats.hits++;
    return v;
  }

  set(v: RunValue): void {
    if (!this.usable || v.status === 'cancelled' || v.status === 'error') return;
    const file = this.fileOf(v.key);
    const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    try {
      writeFileSync(tmp, encode(v));
      renameSync(tmp, file);
      this.stats.writes++;
    } catch {
      try {
        rmSync(tmp, { force: true });
      } catch {
        /* ignore */
      }
      return;
    }
    this.addPrefixEntry(v);
    if (++this.writesSincePrune >= 32) {
      this.writesSincePrune = 0;
      this.prune();
    }
  }

  /**
   * Runs sharing a prefix key (the same run at other step counts), from a small index file per
   * prefix: after a restart, raising `steps` still resumes from the longest cached run.
   */
  prefixEntries(prefixKey: string): { key: string; steps: number }[] {
    if (!this.usable || !/^[0-9a-f]+$/.test(prefixKey)) return [];
    try {
      const j = JSON.parse(readFileSync(this.prefixFile(prefixKey), 'utf8'));
      if (j?.format !== DISK_FORMAT || j.engine !== VALUE_VERSION || j.prefixKey !== prefixKey || !Array.isArray(j.entries)) return [];
      return (j.entries as unknown[]).filter(
        (e): e is { key: string; steps: number } =>
          !!e && typeof (e as { key?: unknown }).key === 'string' && /^[0-9a-f]+$/.test((e as { key: string }).key) && Number.isInteger((e as { steps?: unknown }).steps),
      );
    } catch {
      return [];
    }
  }

  private addPrefixEntry(v: RunValue): void {
    const entries = this.prefixEntries(v.prefixKey).filter((e) => e.key !== v.key && existsSync(this.fileOf(e.key)));
    entries.push({ key: v.key, steps: v.steps });
    const keep = entries.slice(-16);
    const file = this.prefixFile(v.prefixKey);
    const tmp = `${file}.${process.pid}.tmp`;
    try {
      writeFileSync(tmp, JSON.stringify({ format: DISK_FORMAT, engine: VALUE_VERSION, prefixKey: v.prefixKey, entries: keep }));
      renameSync(tmp, file);
    } catch {
      /* not fatal: only resume-after-restart is lost */
    }
  }

  private prefixFile(prefixKey: string): string {
    return join(this.dir, `prefix-${prefixKey}.json`);
  }

  /** Last final results of a document, shown at once when it is reopened. */
  getDoc(uri: string): ResultsDoc | null {
    if (!this.usable || !ownsItsName(uri)) return null;
    try {
      const j = JSON.parse(readFileSync(this.docFile(uri), 'utf8'));
      if (j && j.format === DISK_FORMAT && j.engine === VALUE_VERSION && j.uri === uri && j.doc?.format === 'sgdexp-results') return j.doc as ResultsDoc;
    } catch {
      /* missing or corrupt: no last results */
    }
    return null;
  }

  setDoc(uri: string, doc: ResultsDoc): void {
    if (!this.usable || !ownsItsName(uri)) return;
    const file = this.docFile(uri);
    const tmp = `${file}.${process.pid}.tmp`;
    try {
      writeFileSync(tmp, JSON.stringify({ format: DISK_FORMAT, engine: VALUE_VERSION, uri, doc }));
      renameSync(tmp, file);
    } catch {
      /* not fatal */
    }
  }

  private docFile(uri: string): string {
    return join(this.dir, `doc-${hashBytes(uri)}.json`);
  }

  /** Deletes this cache's temporary files older than a minute: nothing else ever removes a crashed write's. */
  pruneTemporary(now = Date.now()): void {
    try {
      for (const f of readdirSync(this.dir)) {
        if (!OWN_TMP.test(f)) continue;
        try {
          const p = join(this.dir, f);
          if (now - statSync(p).mtimeMs > STALE_TMP_MS) rmSync(p, { force: true });
        } catch {
          /* gone meanwhile (renamed into place by its writer) */
        }
      }
    } catch {
      /* not fatal */
    }
  }

  /** Deletes stale temporary files, then the least recently written entries until they fit the
   *  budget; files of other names (the user's, in a shared folder) are neither counted nor touched. */
  prune(): void {
    this.pruneTemporary();
    try {
      const files = readdirSync(this.dir)
        .filter((f) => OWN_FILE.test(f))
        .map((f) => {
          const st = statSync(join(this.dir, f));
          return { f, size: st.size, t: st.mtimeMs };
        })
        .sort((a, b) => a.t - b.t);
      let total = files.reduce((s, x) => s + x.size, 0);
      for (const x of files) {
        if (total <= this.maxBytes) break;
        rmSync(join(this.dir, x.f), { force: true });
        total -= x.size;
      }
    } catch {
      /* not fatal */
    }
  }
}

function encode(v: RunValue): Buffer {
  const { checkpoint, valueHash: _vh, ...rest } = v;
  const json = Buffer.from(JSON.stringify({ engine: VALUE_VERSION, value: rest }, keepNonFinite), 'utf8');
  const ck = checkpoint ? Buffer.from(checkpoint.buffer, checkpoint.byteOffset, checkpoint.byteLength) : Buffer.alloc(0);
  const head = Buffer.alloc(HEADER);
  MAGIC.copy(head, 0);
  head.writeUInt32LE(DISK_FORMAT, 8);
  head.writeUInt32LE(json.length, 12);
  head.writeUInt32LE(ck.length, 16);
  createHash('sha256').update(json).update(ck).digest().copy(head, 20);
  return Buffer.concat([head, json, ck]);
}

function decode(buf: Buffer, key: string): RunValue | null {
  try {
    if (buf.length < HEADER || !buf.subarray(0, 8).equals(MAGIC)) return null;
    if (buf.readUInt32LE(8) !== DISK_FORMAT) return null;
    const jl = buf.readUInt32LE(12);
    const cl = buf.readUInt32LE(16);
    if (HEADER + jl + cl !== buf.length) return null;
    const json = buf.subarray(HEADER, HEADER + jl);
    const ck = buf.subarray(HEADER + jl);
    const sum = createHash('sha256').update(json).update(ck).digest();
    if (!sum.equals(buf.subarray(20, 52))) return null;
    const j = JSON.parse(json.toString('utf8'), reviveNonFinite);
    if (j.engine !== VALUE_VERSION) return null;
    const r = j.value as Omit<RunValue, 'valueHash' | 'checkpoint'>;
    if (r.key !== key || !r.trajectory || !Array.isArray(r.trajectory.step)) return null;
    return makeRunValue({ ...r, checkpoint: cl > 0 ? new Uint8Array(ck) : null });
  } catch {
    return null;
  }
}

// JSON has no NaN/±Infinity (a diverged run's last rows may hold them) and prints -0 as 0; the
// value hash must survive the round trip bit for bit, so they are spelled as {"$nf": "-0"}.
function keepNonFinite(_k: string, v: unknown): unknown {
  if (typeof v !== 'number') return v;
  if (!Number.isFinite(v)) return { $nf: String(v) };
  return Object.is(v, -0) ? { $nf: '-0' } : v;
}
function reviveNonFinite(_k: string, v: unknown): unknown {
  if (v && typeof v === 'object' && !Array.isArray(v) && '$nf' in v) return Number((v as { $nf: string }).$nf);
  return v;
}

/**
 * Whether a document's URI names it alone, so results kept under it are its own when it opens
 * again: not so for an untitled document, whose name (untitled:Untitled-1) VS Code gives to the
 * next new file, in this session or a later one.
 */
function ownsItsName(uri: string): boolean {
  return !uri.startsWith('untitled:');
}
