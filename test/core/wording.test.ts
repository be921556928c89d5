// Words a user knows: a revision as the time it ran, no "cancelled (cancelled)", the output
// channel's line per finished revision.
import { describe, expect, it } from 'vitest';
import { REVISION_EPOCH_MS, revisionWords } from '../../src/core/wire/protocol';
import { noteText } from '../../src/core/figures/runs';
import { revisionClock } from '../../src/server/graphBridge';
import { RunLog } from '../../src/extension/runLog';
import type { ResultsDoc, RunResult } from '../../src/core/wire/results';

const run = (over: Partial<RunResult> = {}): RunResult => ({
  status: 'done', message: null, model: 'linear2', optimizer: 'gd', params: {}, member: null, theory: {}, step: [0], time: [0], metrics: {}, ...over,
});
const doc = (runs: Record<string, RunResult>): ResultsDoc => ({ format: 'sgdexp-results', version: 1, file: '/w/small.sgdexp', seed: 0, runs, plots: [] });

describe('revisions in words', () => {
  it('a server revision reads as the time it started; 0 as the cache', () => {
    const now = new Date(2026, 11, 2, 14, 3, 12);
    const words = revisionWords(revisionClock(now.getTime()), now);
    expect(words).toMatch(/^as of .*03.*12/);
    expect(words).not.toMatch(/\d{6,}/);
    expect(revisionWords(0)).toBe('from the cache');
    expect(revisionWords(3)).toBe('update 3');
    expect(revisionWords(Date.UTC(2026, 0, 1) - REVISION_EPOCH_MS, now)).toMatch(/^as of \S+ /);
  });
});

describe('cancelled runs', () => {
  it('never say "cancelled (cancelled)"', () => {
    expect(noteText('gd', run({ status: 'cancelled', message: 'cancelled' }), false)).toBe('gd: cancelled');
    expect(noteText('gd', run({ status: 'cancelled', message: 'superseded by an edit' }), false)).toBe('gd: cancelled (superseded by an edit)');
  });
});

describe('the output channel', () => {
  it('logs each finished revision once, with what did not end well', () => {
    const log = new RunLog();
    const m = { uri: 'file:///w/small.sgdexp', revision: 5, final: true, doc: doc({ gd: run(), ln: run({ status: 'diverged', message: 'loss overflowed', diverged_at: 12 }) }) };
    const line = log.line(m)!;
    expect(line).toMatch(/small\.sgdexp: 2 runs — 1 done, 1 diverged/);
    expect(line).toContain('ln: diverged — loss overflowed (last finite step 12)');
    expect(log.line(m)).toBeNull();
    expect(log.line({ ...m, revision: 6, final: false })).toBeNull();
    expect(log.line({ ...m, revision: 7, doc: doc({ gd: run({ status: 'cancelled', message: 'cancelled' }) }) })).toMatch(/1 cancelled\n  gd: cancelled$/);
  });
});
