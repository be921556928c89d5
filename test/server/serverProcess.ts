// The real language server as a child process over stdio (bundled like dist/server.js, with its
// worker next to it) and a JSON-RPC connection to it that records the sgdexp notifications.
// Shared by the tests that drive the engine through the server (test/graph/protocol.test.ts,
// test/server/revisions.test.ts).
import { waitFor as waitForState } from '../waitFor';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import { Methods, type ResultsMessage, type StatusMessage } from '../../src/core/protocol';
import { applyAppend } from '../../src/core/wire/append';

const root = join(__dirname, '../..');

/** server.js and worker.js bundled into a fresh temporary folder */
export async function bundleServer(prefix: string): Promise<{ dir: string; cleanup: () => void }> {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const opts = { bundle: true, platform: 'node', target: 'node20', format: 'cjs', logLevel: 'warning' } as const;
  await Promise.all([
    build({ ...opts, entryPoints: [join(root, 'src/server/server.ts')], outfile: join(dir, 'server.js') }),
    build({ ...opts, entryPoints: [join(root, 'src/core/graph/worker.ts')], outfile: join(dir, 'worker.js') }),
  ]);
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export type Diagnostics = { uri: string; version?: number; diagnostics: { message: string; severity?: number; code?: unknown }[] };

export interface ServerProcess {
  conn: MessageConnection;
  proc: ChildProcess;
  /** complete results (partial ones sent as deltas are completed, as the extension's client does) */
  results: ResultsMessage[];
  /** results messages as they came over the wire */
  wire: ResultsMessage[];
  statuses: StatusMessage[];
  diagnostics: Diagnostics[];
  /** shutdown + exit, killed after 2 s */
  stop(): Promise<void>;
}

/** Starts the bundled server in `dir`, initialised with its disk cache in `dir/storage`. */
export async function startServer(dir: string, settings: Record<string, unknown>): Promise<ServerProcess> {
  const proc = spawn(process.execPath, [join(dir, 'server.js'), '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const conn = createMessageConnection(new StreamMessageReader(proc.stdout!), new StreamMessageWriter(proc.stdin!));
  const s: ServerProcess = {
    conn, proc, results: [], wire: [], statuses: [], diagnostics: [],
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
  const last = new Map<string, ResultsMessage>();
  conn.onNotification(Methods.results, (raw: unknown) => {
    const m = raw as ResultsMessage;
    s.wire.push(m);
    let full = m;
    if (m.append) {
      const base = last.get(m.uri);
      const doc = base && base.revision === m.append.revision ? applyAppend(base.doc.runs, m.doc, m.append) : 'no base';
      if (typeof doc === 'string') throw new Error(`a results delta could not be applied: ${doc}`);
      full = { uri: m.uri, revision: m.revision, final: m.final, doc };
    }
    last.set(m.uri, full);
    s.results.push(full);
  });
  conn.onNotification(Methods.status, (m: unknown) => void s.statuses.push(m as StatusMessage));
  conn.onNotification('textDocument/publishDiagnostics', (m: unknown) => void s.diagnostics.push(m as Diagnostics));
  conn.onRequest(() => null); // client/registerCapability and friends
  conn.listen();
  await conn.sendRequest('initialize', { processId: process.pid, rootUri: null, capabilities: {}, initializationOptions: { storagePath: join(dir, 'storage'), settings } });
  await conn.sendNotification('initialized', {});
  return s;
}

/** Waits for a message or state (see test/waitFor.ts); `what` names it in the failure. */
export function waitFor<T>(f: () => T | undefined | false, what = 'a message from the server', seen?: () => unknown): Promise<T> {
  return waitForState(f, what, { seen, everyMs: 10 });
}
