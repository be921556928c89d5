// Long synchronous test loops (property tests over thousands of inputs) hand the event loop back
// now and then: vitest's worker talks to its main process over RPC with a fixed 60 s timeout, and
// on a machine whose cores are busy a minute of uninterrupted work in one test trips it (an
// "Unhandled Error: Timeout calling onTaskUpdate" that fails a green run). Work is measured on the
// monotonic clock: a wall clock stepped back (an NTP sync) would stop the breathing for as long.

let last = performance.now();

/** Resolves at once, or after one macrotask turn when ~100 ms of work have passed since the last. */
export function breathe(): Promise<void> | void {
  if (performance.now() - last < 100) return;
  return new Promise((r) =>
    setImmediate(() => {
      last = performance.now();
      r();
    }),
  );
}
