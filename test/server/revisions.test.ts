// Revision numbers as the client sees them: the preview drops a message whose revision is older
// than the newest it has seen for the uri, so revisions must keep increasing when a document is
// closed and reopened, and when the language server is restarted (a new process).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import { Methods, type ResultsMessage } from '../../src/core/protocol';
import { engineOptions, revisionClock } from '../../src/server/engine';

const root = join(__dirname, '../..');
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sgdexp-revisions-'));
  const opts = { bundle: true, platform: 'node', target: 'node20', format: 'cjs', logLevel: 'warning' } as const;
  await Promise.all([
    build({ ...opts, entryPoints: [join(root, 'src/server/server.ts')], outfile: join(dir, 'server.js') }),
    build({ ...opts, entryPoints: [join(root, 'src/core/graph/worker.ts')], outfile: join(dir, 'worker.js') }),
  ]);
}, 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Server {
  conn: MessageConnection;
  results: ResultsMessage[];
  stop(): Promise<void>;
}

async function start(): Promise<Server> {
  const proc: ChildProcess = spawn(process.execPath, [join(dir, 'server.js'), '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const conn = createMessageConnection(new StreamMessageReader(proc.stdout!), new StreamMessageWriter(proc.stdin!));
  const results: ResultsMessage[] = [];
  conn.onNotification(Methods.results, (m: unknown) => void results.push(m as ResultsMessage));
  conn.onRequest(() => null);
  conn.listen();
  await conn.sendRequest('initialize', {
    processId: process.pid, rootUri: null, capabilities: {},
    initializationOptions: { storagePath: join(dir, 'storage'), settings: { runOn: 'manual', workers: 1 } },
  });
  await conn.sendNotification('initialized', {});
  return {
    conn,
    results,
    async stop() {
      try {
        await conn.sendRequest('shutdown');
        await conn.sendNotification('exit');
      } catch {
        /* already gone */
      }
      await new Promise<void>((r) => {
        if (proc.exitCode !== null) return r();
        const t = setTimeout(() => (proc.kill(), r()), 2000);
        proc.once('exit', () => (clearTimeout(t), r()));
      });
      conn.dispose();
    },
  };
}

const waitFor = async <T>(f: () => T | undefined, ms = 20_000): Promise<T> => {
  const t0 = Date.now();
  for (;;) {
    const x = f();
    if (x !== undefined) return x;
    if (Date.now() - t0 > ms) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
};

const uri = 'file:///tmp/revisions.sgdexp';
const text = `data = teacher(n = 20, p = 4, k = 1)
net  = linear2(width = 4)
gd   = train(net, data, gd(lr = 0.02), steps = 200, record = 20)
plot loss(gd)
`;
const open = (s: Server, version = 1) => s.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'sgdexp', version, text } });
const runNow = async (s: Server) => {
  const { revision } = (await s.conn.sendRequest(Methods.runNow, { uri })) as { revision: number };
  await waitFor(() => s.results.find((m) => m.uri === uri && m.final && m.revision === revision));
  return revision;
};

describe('revision numbers', () => {
  it('start from a clock, so the server of a later start numbers above an earlier one', () => {
    expect(revisionClock(Date.UTC(2025, 0, 1))).toBe(1);
    expect(revisionClock(Date.UTC(2025, 0, 1) + 1234)).toBe(1234);
    const base = engineOptions(null, {}).revisionBase!;
    const a = base();
    expect(a).toBeGreaterThanOrEqual(revisionClock() - 1000);
    expect(Number.isSafeInteger(a)).toBe(true);
  });

  it('keep increasing across close/reopen and across a language-server restart', async () => {
    const s1 = await start();
    let r3: number;
    const before = revisionClock();
    try {
      await open(s1);
      const r1 = await runNow(s1);
      expect(r1).toBeGreaterThanOrEqual(before);
      const r2 = await runNow(s1);
      expect(r2).toBe(r1 + 1);
      await s1.conn.sendNotification('textDocument/didClose', { textDocument: { uri } });
      await open(s1, 2);
      r3 = await runNow(s1);
      expect(r3).toBeGreaterThan(r2);
      // every message sent for the uri, in order, never goes back: the preview drops none
      const revs = s1.results.filter((m) => m.uri === uri).map((m) => m.revision);
      expect(revs).toEqual([...revs].sort((x, y) => x - y));
    } finally {
      await s1.stop();
    }
    const s2 = await start();
    try {
      await open(s2);
      const r4 = await runNow(s2);
      expect(r4).toBeGreaterThan(r3!);
      expect(s2.results.filter((m) => m.uri === uri).every((m) => m.revision > r3!)).toBe(true);
    } finally {
      await s2.stop();
    }
  }, 60_000);
});
