// The test helpers' own clocks (waitFor's hang bound, breathe's pacing) are monotonic: a step of
// the wall clock (a fresh machine's first NTP sync, during a run) neither trips the bound at once
// nor stops the breathing for as long as the step.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { waitFor } from './waitFor';
import { breathe } from './breathe';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('the test helpers read a monotonic clock', () => {
  it('waitFor: a wall clock stepped an hour forward while waiting does not trip the hang bound', async () => {
    const now = Date.now();
    let calls = 0;
    vi.spyOn(Date, 'now').mockImplementation(() => now + (calls++ > 0 ? 3_600_000 : 0));
    let polls = 0;
    await expect(waitFor(() => ++polls >= 3, 'the third poll', { everyMs: 1 })).resolves.toBe(true);
  });
  it('waitFor: still trips when the awaited state never comes', async () => {
    await expect(waitFor(() => false, 'nothing', { ms: 20, everyMs: 1 })).rejects.toThrow(/waited 0 s for nothing/);
  });
  it('breathe: with the wall clock stepped an hour back, 100 ms of work still hand the loop back', async () => {
    await breathe(); // whatever came before: start from a breath
    const then = Date.now();
    vi.spyOn(Date, 'now').mockReturnValue(then - 3_600_000);
    const t0 = performance.now();
    while (performance.now() - t0 < 110) {
      /* 110 ms of synchronous work, by the monotonic clock */
    }
    const b = breathe();
    expect(b).toBeInstanceOf(Promise);
    await b;
  });
});
