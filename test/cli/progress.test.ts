// Progress: bars redrawn in place on a terminal, one plain line per finished run otherwise.
import { describe, expect, it } from 'vitest';
import { bar, makeProgress } from '../../src/cli/progress';

function sink(tty: boolean, rows = 24) {
  let text = '';
  const stream = { isTTY: tty, columns: 100, rows, write: (s: string) => ((text += s), true) } as unknown as NodeJS.WriteStream;
  return { stream, text: () => text };
}

describe('progress', () => {
  it('draws a proportional bar with the status', () => {
    const b = bar('gd', { status: 'running', step: 250, steps: 1000 }, 100);
    expect(b).toMatch(/^ {2}gd \[#+ +\] {2}25% running$/);
    const filled = (b.match(/#/g) ?? []).length;
    const width = b.indexOf(']') - b.indexOf('[') - 1;
    expect(filled / width).toBeCloseTo(0.25, 1);
  });

  it('on a terminal redraws the block of bars in place', async () => {
    const s = sink(true);
    const p = makeProgress(s.stream, { quiet: false });
    p.begin('a.sgdexp');
    p.update('gd', { status: 'running', step: 1, steps: 10 });
    p.update('ln', { status: 'queued', step: 0, steps: 10 });
    await new Promise((r) => setTimeout(r, 150));
    p.update('gd', { status: 'done', step: 10, steps: 10 });
    p.end('2 runs');
    expect(s.text()).toContain('\x1b[2A'); // cursor up over the two bars
    expect(s.text()).toMatch(/gd +\[#+\] 100% done/);
  });

  it('a sweep longer than the terminal shows the unfinished runs and a count', () => {
    const s = sink(true, 8);
    const p = makeProgress(s.stream, { quiet: false });
    p.begin('sweep.sgdexp');
    for (let i = 0; i < 20; i++) p.update(`gd[lr=${i}]`, { status: i < 15 ? 'done' : 'running', step: 5, steps: 10 });
    p.end('20 runs');
    expect(s.text()).toContain('… 15 finished, 1 more waiting');
  });

  it('otherwise prints one line per finished run, and nothing with --quiet', () => {
    const s = sink(false);
    const p = makeProgress(s.stream, { quiet: false });
    p.begin('a.sgdexp');
    p.update('gd', { status: 'running', step: 5, steps: 10 });
    p.update('gd', { status: 'diverged', step: 7, steps: 10, message: 'diverged at step 8 (loss = Infinity)' });
    p.update('gd', { status: 'diverged', step: 7, steps: 10 });
    p.end('1 runs');
    expect(s.text()).toBe('a.sgdexp: running\na.sgdexp: gd diverged 7/10 (diverged at step 8 (loss = Infinity))\na.sgdexp: 1 runs\n');
    const q = sink(true);
    const pq = makeProgress(q.stream, { quiet: true });
    pq.begin('a');
    pq.update('gd', { status: 'done', step: 1, steps: 1 });
    pq.end('x');
    expect(q.text()).toBe('');
  });
});
