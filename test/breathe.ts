// Long synchronous test loops (property tests over thousands of inputs) hand the event loop back
// now and then: vitest's worker talks to its main process over RPC with a fixed 60 s timeout, and
// on a machine whose cores are busy a minute of uninterrupted work in one test trips it (an
// "Unhandled Error: Timeout calling onTaskUpdate" that fails a green run).

let last = Date.now();

/** Resolves at once, or after one macrotask turn when ~100 ms of work have passed since the last. */
export function breathe(): Promise<void> | void {
  if (Date.now() - last < 100) return;
  return new Promise((r) =>
    setImmediate(() => {
      last = Date.now();
      r();
    }),
  );
}
