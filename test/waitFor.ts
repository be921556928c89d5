// Waiting in tests: for a state, never for a time. The bound is a hang detector (minutes, so a
// machine whose cores are busy is slower, not red); when it trips, the message says what was
// awaited and what was last seen. The bound is read on the monotonic clock (performance.now):
// the wall clock can step (a fresh machine's first NTP sync) and would trip it at once.

export const HANG_MS = 4 * 60_000;

/** Polls `f` (every `everyMs`) until it returns something other than undefined/false. */
export async function waitFor<T>(
  f: () => T | undefined | false,
  what = 'a condition',
  opts: { ms?: number; everyMs?: number; seen?: () => unknown } = {},
): Promise<T> {
  const ms = opts.ms ?? HANG_MS;
  const t0 = performance.now();
  for (;;) {
    const x = f();
    if (x !== undefined && x !== false) return x as T;
    if (performance.now() - t0 > ms) {
      let last = '';
      if (opts.seen) {
        try {
          last = `; last seen: ${JSON.stringify(opts.seen())?.slice(0, 2000)}`;
        } catch {
          /* unprintable */
        }
      }
      throw new Error(`waited ${Math.round(ms / 1000)} s for ${what}${last}`);
    }
    await new Promise((r) => setTimeout(r, opts.everyMs ?? 5));
  }
}
