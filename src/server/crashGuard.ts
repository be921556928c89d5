// Last line of defence for the language server: Node ends the process on an unhandled rejection
// or an uncaught exception, and with it every editor feature of the open files (VS Code gives up
// restarting a server after a few crashes). The engine contains its own failures per run
// (src/core/graph/engine.ts); whatever still escapes is logged to the client's output channel
// and the server carries on.

type Log = (message: string) => void;

/** reports beyond this many a minute are counted, not written: a failing timer must not flood the log */
const MAX_PER_MINUTE = 20;

export function installCrashGuards(proc: Pick<NodeJS.Process, 'on'>, log: Log): void {
  let windowStart = 0;
  let inWindow = 0;
  let suppressed = 0;
  const report = (what: string, e: unknown) => {
    // monotonic: a wall clock set back would otherwise keep one window open for the jump's length
    const now = performance.now();
    if (now - windowStart > 60_000) {
      if (suppressed) write(log, `sgdexp: ${suppressed} further unhandled errors were not shown`);
      windowStart = now;
      inWindow = 0;
      suppressed = 0;
    }
    if (++inWindow > MAX_PER_MINUTE) {
      suppressed++;
      return;
    }
    write(log, `sgdexp: ${what} (the server keeps running): ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
  };
  proc.on('unhandledRejection', (reason) => report('unhandled rejection', reason));
  proc.on('uncaughtException', (e) => report('uncaught exception', e));
}

function write(log: Log, text: string): void {
  try {
    log(text);
  } catch {
    // the connection itself may be what failed; a throw here would end the process after all
    try {
      process.stderr.write(`${text}\n`);
    } catch {
      /* nowhere left to say it */
    }
  }
}
