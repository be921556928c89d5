// The language server's process-level guards (src/server/crashGuard.ts): an unhandled rejection
// or an uncaught exception is logged and the process lives on. Checked in a real child process,
// where Node would otherwise exit with code 1.
import { afterAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { EventEmitter } from 'node:events';
import { installCrashGuards } from '../../src/server/crashGuard';

const dir = mkdtempSync(join(tmpdir(), 'sgdexp-guard-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('crash guards', () => {
  it('keep a process alive through an unhandled rejection and an uncaught exception, logging both', async () => {
    const out = join(dir, 'guarded.js');
    await build({
      stdin: {
        contents: `
          import { installCrashGuards } from './crashGuard';
          installCrashGuards(process, (m) => console.log('LOG ' + m.split('\\n')[0]));
          void Promise.reject(new Error('lost promise'));
          setTimeout(() => { throw new Error('timer bug'); }, 10);
          setTimeout(() => { console.log('ALIVE'); process.exit(0); }, 100);
        `,
        resolveDir: join(__dirname, '../../src/server'),
        loader: 'ts',
      },
      outfile: out, bundle: true, platform: 'node', target: 'node20', format: 'cjs', logLevel: 'warning',
    });
    // asynchronous: a synchronous spawn would block this test worker's event loop
    const r = await promisify(execFile)(process.execPath, [out], { encoding: 'utf8' }).then(
      (x) => ({ stdout: x.stdout, status: 0 }),
      (e: { stdout?: string; code?: number }) => ({ stdout: e.stdout ?? '', status: e.code ?? -1 }),
    );
    expect(r.stdout.trim().split('\n')).toEqual([
      'LOG sgdexp: unhandled rejection (the server keeps running): Error: lost promise',
      'LOG sgdexp: uncaught exception (the server keeps running): Error: timer bug',
      'ALIVE',
    ]);
    expect(r.status).toBe(0);
  });

  it('survives a failing log and does not flood it', () => {
    const proc = new EventEmitter();
    const lines: string[] = [];
    installCrashGuards(proc as unknown as NodeJS.Process, (m) => {
      if (m.includes('fail the log')) throw new Error('connection closed');
      lines.push(m);
    });
    const stderr = process.stderr.write;
    const spilled: string[] = [];
    process.stderr.write = ((s: string) => (spilled.push(s), true)) as typeof process.stderr.write;
    try {
      proc.emit('uncaughtException', new Error('fail the log'));
    } finally {
      process.stderr.write = stderr;
    }
    expect(spilled.join('')).toMatch(/fail the log/);
    for (let i = 0; i < 100; i++) proc.emit('unhandledRejection', new Error(`e${i}`));
    expect(lines.length).toBeLessThanOrEqual(20);
    expect(lines[0]).toMatch(/^sgdexp: unhandled rejection \(the server keeps running\): Error: e0/);
  });
});
