// Bounded waits that do not lose a race they have already won. A timer and the message it bounds
// can both be due when this thread comes back from being busy (a loaded machine, a large document
// serialised): Node's loop runs due timers before it reads pending I/O (a worker's message), so a
// timeout handled at once would fire although the answer is already waiting. Deferred with
// setImmediate, it runs after that I/O (the loop's check phase comes after its poll phase).

/** Runs `f` after the I/O already pending on this thread has been handled. */
export function afterQueuedIo(f: () => void): void {
  setImmediate(f);
}
