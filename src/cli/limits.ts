// `--max-time` and `--max-memory`: the size limits of one invocation. Each replaces both the limit
// of a run (a family's members together, for time) and the limit of a whole file (checkHooks.ts
// limitsWith), in the checker and in the engine, so a refusal and a run agree.
import { UsageError } from './files';

export interface Limits {
  /** seconds, or null for the default */
  seconds: number | null;
  /** bytes, or null for the default */
  bytes: number | null;
}

/** What a refusal for size says in the CLI. */
export const LIMIT_HINT = 'raise the limits with --max-time SECONDS and --max-memory SIZE (e.g. --max-time 24h --max-memory 8GB)';

const TIME_UNITS: Record<string, number> = { '': 1, s: 1, m: 60, min: 60, h: 3600, d: 86400 };
const SIZE_UNITS: Record<string, number> = { '': 1, b: 1, kb: 1e3, mb: 1e6, gb: 1e9, tb: 1e12, kib: 2 ** 10, mib: 2 ** 20, gib: 2 ** 30, tib: 2 ** 40 };

function parseAmount(option: string, text: string, units: Record<string, number>, example: string): number {
  const m = /^\s*(\d+(?:\.\d*)?(?:e[+-]?\d+)?)\s*([a-z]*)\s*$/i.exec(text);
  const unit = m ? units[m[2]!.toLowerCase()] : undefined;
  const v = m && unit != null ? Number(m[1]) * unit : NaN;
  if (!(v > 0) || !Number.isFinite(v)) throw new UsageError(`${option} expects a positive amount such as ${example}, got "${text}"`);
  return v;
}

/** `--max-time 3600`, `90m`, `24h`, `2d` → seconds */
export const parseMaxTime = (text: string): number => parseAmount('--max-time', text, TIME_UNITS, '3600, 90m, 24h');
/** `--max-memory 4e9`, `4GB`, `512MiB` → bytes */
export const parseMaxMemory = (text: string): number => parseAmount('--max-memory', text, SIZE_UNITS, '4GB, 512MiB, 2e9');
