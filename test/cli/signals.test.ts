// SIGINT (Ctrl-C) and SIGTERM (Slurm and CI time limits) during `sgdexp run`: the runs in flight
// are cancelled and the results document still holds what was computed.
import { beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLI, ensureBuilt, readDoc, ROOT, tempDir } from './helpers';

beforeAll(() => ensureBuilt(), 300_000);

/** `sgdexp run` on a file with a short run and a very long one; the signal goes out once the
 *  progress output says the short one is done (the long one is then in flight). */
async function interrupt(signal: 'SIGINT' | 'SIGTERM') {
  const dir = tempDir('sig');
  const f = join(dir, 'long.sgdexp');
  writeFileSync(
    f,
    'data = teacher(n = 50, p = 3)\nnet = linear2(width = 4)\n' +
      'short = train(net, data, gd(lr = 0.01), steps = 2000)\n' +
      'long = train(net, data, gd(lr = 0.02), steps = 1e8)\n' +
      'plot loss(short, long)\n',
  );
  const child = spawn(process.execPath, [CLI, 'run', f, '--out', dir, '--no-cache', '--format', 'json,csv', '--jobs', '2'], { cwd: ROOT });
  let err = '';
  let sent = false;
  child.stderr.on('data', (d) => {
    err += String(d);
    if (!sent && /short done/.test(err)) {
      sent = true;
      child.kill(signal);
    }
  });
  const code = await new Promise<number | null>((res) => child.on('exit', (c) => res(c)));
  return { code, err, doc: readDoc(join(dir, 'long.json')) };
}

describe('a signal during sgdexp run', () => {
  for (const [signal, exit] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
    it(`${signal}: writes the finished run in full and the cancelled one with its partial trajectory, exits ${exit}`, async () => {
      const { code, err, doc } = await interrupt(signal);
      expect(code, err).toBe(exit);
      expect(doc.runs.short.status).toBe('done');
      expect(doc.runs.short.step.at(-1)).toBe(2000);
      const long = doc.runs.long;
      expect(long.status).toBe('cancelled');
      expect(long.step.length).toBeGreaterThan(0);
      expect((long.metrics.loss as number[]).length).toBe(long.step.length);
    }, 120_000);
  }
});
