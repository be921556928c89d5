// One line per claim (`expect` statement) on stderr, for `run` and `merge`.
import type { ClaimResult } from '../core/wire/results';

/** `examples/02-logdet-rate.sgdexp:14 ✓ slope(logdet, ln) = −0.01612 ≈ theory −0.01549 (+4.1%, within 8%)` */
export function claimLine(file: string, c: ClaimResult): string {
  const mark = c.status === 'held' ? '✓' : c.status === 'failed' ? '✗' : '✗ error:';
  return `${file}:${c.line} ${mark} ${c.status === 'held' ? c.summary : (c.message ?? c.summary)}`;
}
