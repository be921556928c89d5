// The editor's verdict beside each `expect` line: ✓ / ✗ and the measured values, from the claims
// of the last final results document. Those describe the revision that ran; while the text is
// edited and not yet re-run, a verdict follows its claim by the claim's text (the nearest
// statement with the same text), and a claim whose text changed shows nothing until it runs:
// a verdict is never shown beside a claim it was not computed for.
import type { ClaimDef, Range } from './program';
import type { ClaimResult } from './wire/results';

export interface ClaimHint {
  /** end of the `expect` statement in the current text */
  position: Range['start'];
  label: string;
  tooltip: string;
  status: ClaimResult['status'];
}

export const CLAIM_MARK: Record<ClaimResult['status'], string> = { held: '✓', failed: '✗', error: '⚠' };

export function claimHints(current: readonly ClaimDef[] | undefined, results: readonly ClaimResult[] | null | undefined): ClaimHint[] {
  if (!current?.length || !results?.length) return [];
  const free = [...current];
  const out: ClaimHint[] = [];
  for (const r of results) {
    let best = -1;
    for (let i = 0; i < free.length; i++) {
      if (free[i].text !== r.text) continue;
      if (best < 0 || Math.abs(free[i].line - r.line) < Math.abs(free[best].line - r.line)) best = i;
    }
    if (best < 0) continue;
    const def = free.splice(best, 1)[0];
    out.push({
      position: def.range.end,
      label: `${CLAIM_MARK[r.status]} ${r.summary}`,
      tooltip: r.message ?? `the claim holds: ${r.summary}`,
      status: r.status,
    });
  }
  return out.sort((a, b) => a.position.line - b.position.line || a.position.character - b.position.character);
}
