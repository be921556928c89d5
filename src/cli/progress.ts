// Progress of the runs of one file: on a terminal a bar per run, redrawn in place at most
// every 100 ms; otherwise (CI logs, pipes) one plain line per finished run, so logs stay
// readable and greppable.
import type { RunStatus } from '../core/wire/results';

export interface RunProgress {
  status: RunStatus | 'cached';
  step: number;
  steps: number;
  message?: string | null;
}

export interface ProgressSink {
  /** a file starts; `keys` are its runs in display order */
  begin(file: string): void;
  update(key: string, p: RunProgress): void;
  /** the file is finished (all runs final) */
  end(summary: string): void;
}

const FINAL = new Set(['done', 'diverged', 'cancelled', 'error', 'cached']);

export function makeProgress(stream: NodeJS.WriteStream, opts: { quiet: boolean; tty?: boolean }): ProgressSink {
  if (opts.quiet) return { begin() {}, update() {}, end() {} };
  const tty = opts.tty ?? (stream.isTTY === true && process.env.TERM !== 'dumb');
  return tty ? new BarProgress(stream) : new LineProgress(stream);
}

class LineProgress implements ProgressSink {
  private file = '';
  private reported = new Set<string>();
  constructor(private out: NodeJS.WritableStream) {}
  begin(file: string) {
    this.file = file;
    this.reported.clear();
    this.out.write(`${file}: running\n`);
  }
  update(key: string, p: RunProgress) {
    if (!FINAL.has(p.status) || this.reported.has(key)) return;
    this.reported.add(key);
    const msg = p.message ? ` (${p.message})` : '';
    this.out.write(`${this.file}: ${key} ${p.status} ${p.step}/${p.steps}${msg}\n`);
  }
  end(summary: string) {
    this.out.write(`${this.file}: ${summary}\n`);
  }
}

class BarProgress implements ProgressSink {
  private file = '';
  private rows = new Map<string, RunProgress>();
  private drawn = 0;
  private last = 0;
  private timer: NodeJS.Timeout | null = null;
  constructor(private out: NodeJS.WriteStream) {}
  begin(file: string) {
    this.file = file;
    this.rows.clear();
    this.drawn = 0;
    this.out.write(`${file}\n`);
  }
  update(key: string, p: RunProgress) {
    this.rows.set(key, p);
    const now = Date.now();
    if (now - this.last >= 100) this.draw();
    else if (!this.timer) this.timer = setTimeout(() => this.draw(), 100);
  }
  end(summary: string) {
    this.draw();
    this.out.write(`  ${summary}\n`);
  }
  private draw() {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.last = Date.now();
    const cols = Math.max(40, this.out.columns ?? 80);
    const width = Math.max(...[...this.rows.keys()].map((k) => k.length), 4);
    let rows = [...this.rows];
    // more runs than the terminal has lines (a large sweep): the unfinished runs, then a count
    // of the finished ones, so the cursor-up redraw never scrolls out of the screen
    const maxRows = Math.max(3, (this.out.rows ?? 24) - 3);
    let footer: string | null = null;
    if (rows.length > maxRows) {
      const open = rows.filter(([, p]) => !FINAL.has(p.status));
      const finished = rows.length - open.length;
      rows = open.slice(0, maxRows - 1);
      footer = `  … ${finished} finished, ${open.length - rows.length} more waiting`;
    }
    const lines = rows.map(([k, p]) => bar(k.padEnd(width), p, cols));
    if (footer) lines.push(footer);
    // a shorter drawing than the last one: blank the leftover lines
    while (lines.length < this.drawn) lines.push('');
    // cursor up over the previous drawing, then rewrite every line (\x1b[K clears its rest)
    let s = this.drawn > 0 ? `\x1b[${this.drawn}A` : '';
    for (const l of lines) s += `\r${l}\x1b[K\n`;
    this.out.write(s);
    this.drawn = lines.length;
  }
}

export function bar(label: string, p: RunProgress, cols: number): string {
  const frac = p.steps > 0 ? Math.min(1, p.step / p.steps) : FINAL.has(p.status) ? 1 : 0;
  const tail = `${String(Math.round(frac * 100)).padStart(3)}% ${p.status}${p.message ? `: ${p.message}` : ''}`;
  const w = Math.max(10, Math.min(30, cols - label.length - tail.length - 8));
  const filled = Math.round(frac * w);
  const line = `  ${label} [${'#'.repeat(filled)}${' '.repeat(w - filled)}] ${tail}`;
  return line.length > cols - 1 ? line.slice(0, cols - 2) + '…' : line;
}
