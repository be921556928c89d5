// Where the wall time of a `sgdexp run` goes, printed on stderr with SGDEXP_TIMING=1 (the CLI
// benchmark, scripts/bench-cli.mjs, reads the line). `start` is the time from the process's start
// to the run command (Node, dist/cli.js, the command line, dist/run.js); `close` ends the worker
// pool; the rest are summed over the files.
export const PHASES = ['start', 'open', 'check', 'engine', 'digest', 'json', 'csv', 'figures', 'png', 'html', 'close'] as const;
export type Phase = (typeof PHASES)[number];

const spent = Object.fromEntries(PHASES.map((p) => [p, 0])) as Record<Phase, number>;

export function add(phase: Phase, ms: number): void {
  spent[phase] += ms;
}

export function timed<T>(phase: Phase, f: () => T): T {
  const t = performance.now();
  try {
    return f();
  } finally {
    spent[phase] += performance.now() - t;
  }
}

export async function timedAsync<T>(phase: Phase, f: () => Promise<T>): Promise<T> {
  const t = performance.now();
  try {
    return await f();
  } finally {
    spent[phase] += performance.now() - t;
  }
}

/** `timing: start 80 ms, open 3 ms, …, total 900 ms` (total: since the process started). */
export function timingLine(): string {
  return `timing: ${PHASES.map((p) => `${p} ${spent[p].toFixed(0)} ms`).join(', ')}, total ${performance.now().toFixed(0)} ms`;
}
