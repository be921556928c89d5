// Reliability (b): the real language server process under 1,000 random edits interleaved with
// completion, hover, rename, formatting, documentSymbol and definition requests at random
// positions, out-of-range ones included. Promised: every request is answered (a result or a
// proper JSON-RPC error, no hang), the process is alive at the end, its threads (the worker
// pool) do not pile up across runs, and its memory stays bounded.
// Runs: run-on manual; the only runs are a Run Now of the tiny template, a few times.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ErrorCodes, ResponseError } from 'vscode-jsonrpc/node';
import { Methods } from '../../src/core/protocol';
import { VOCAB } from '../lang/propertyHelpers';
import { bundleServer, startServer, type ServerProcess } from '../server/serverProcess';

const EDITS = 1000;
const RUNS = 4;
const uri = 'file:///tmp/reliability-server.sgdexp';
const original = readFileSync(join(__dirname, '../../templates/5-empty.sgdexp'), 'utf8').replace('steps = 2000', 'steps = 200');
const TOKENS = [...VOCAB.builtins, ...VOCAB.params, ...VOCAB.words, '=', '(', ')', '[', ']', ',', '?', '#', '"', '\n', ' ', '0.5', '-1', '1e3', 'plot ', 'x = ', '😀', '\ud83d'];

/** /proc/<pid>/status fields in kB (VmRSS) or counts (Threads). */
function procStatus(pid: number): { rssKB: number; threads: number } {
  const s = readFileSync(`/proc/${pid}/status`, 'utf8');
  const field = (k: string) => Number(new RegExp(`^${k}:\\s+(\\d+)`, 'm').exec(s)?.[1] ?? NaN);
  return { rssKB: field('VmRSS'), threads: field('Threads') };
}

/** Waits for `p`, or fails after `ms` saying what was awaited and what had arrived. */
function within<T>(p: Promise<T>, ms: number, what: () => string): Promise<T> {
  let t: ReturnType<typeof setTimeout>;
  return Promise.race([
    p.finally(() => clearTimeout(t)),
    new Promise<T>((_, reject) => (t = setTimeout(() => reject(new Error(`no answer within ${ms / 1000} s: ${what()}`)), ms))),
  ]);
}

let bundle: Awaited<ReturnType<typeof bundleServer>>;
let s: ServerProcess;
beforeAll(async () => {
  bundle = await bundleServer('sgdexp-reliability-server-');
  s = await startServer(bundle.dir, { runOn: 'manual', workers: 1 });
}, 180_000);
afterAll(async () => {
  await s?.stop();
  bundle?.cleanup();
});

type Step =
  | { kind: 'edit'; a: number; b: number; tok: string }
  | { kind: 'request'; method: string; line: number; character: number; name: string };

const METHODS = ['textDocument/completion', 'textDocument/hover', 'textDocument/prepareRename', 'textDocument/rename', 'textDocument/formatting', 'textDocument/documentSymbol', 'textDocument/definition'];
const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant('edit' as const), a: fc.nat(), b: fc.nat({ max: 6 }), tok: fc.constantFrom(...TOKENS, '') }),
  fc.record({
    kind: fc.constant('request' as const),
    method: fc.constantFrom(...METHODS),
    // in range mostly; past the last line / column, or negative, now and then
    line: fc.oneof({ weight: 4, arbitrary: fc.nat({ max: 12 }) }, fc.constantFrom(-1, 1000, 2 ** 31 - 1)),
    character: fc.oneof({ weight: 4, arbitrary: fc.nat({ max: 60 }) }, fc.constantFrom(-1, 10_000, 2 ** 31 - 1)),
    name: fc.constantFrom('run2', 'data', '', '1x', 'plot', 'teacher', 'é'),
  }),
);

describe('reliability (b): the language server under random edits and requests', () => {
  it(`${EDITS} edits with requests at random positions: all answered, alive, threads and memory bounded`, async () => {
    const pid = s.proc.pid!;
    let text = original;
    let version = 1;
    await s.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'sgdexp', version, text } });
    const runNow = async () => {
      version++;
      text = original;
      await s.conn.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ text }] });
      const { revision } = (await within(s.conn.sendRequest(Methods.runNow, { uri }), 120_000, () => 'runNow answer')) as { revision: number | null };
      expect(revision, 'runNow of the template gave no revision').not.toBeNull();
      await within(
        new Promise<void>((resolve) => {
          const poll = () => (s.results.some((m) => m.uri === uri && m.final && m.revision === revision) ? resolve() : setImmediate(poll));
          poll();
        }),
        180_000,
        () => `final results of revision ${revision}; got revisions ${JSON.stringify(s.results.filter((m) => m.uri === uri).map((m) => [m.revision, m.final]))}`,
      );
    };
    const idle = procStatus(pid);
    await runNow();
    const start = procStatus(pid);

    const steps = fc.sample(step, { numRuns: EDITS * 3, seed: 7 });
    let edits = 0;
    let answered = 0;
    let errors = 0;
    const errorCodes = new Map<string, number>();
    let runs = 1;
    const pending = new Map<number, string>();
    const inFlight: Promise<void>[] = [];
    let id = 0;
    for (const st of steps) {
      if (edits >= EDITS) break;
      if (st.kind === 'edit') {
        const a = text.length ? st.a % (text.length + 1) : 0;
        const b = Math.min(text.length, a + st.b);
        // the change's range as the client computes it (line/character of the old text)
        const pos = (o: number) => {
          const before = text.slice(0, o).split(/\r\n|\r|\n/);
          return { line: before.length - 1, character: before[before.length - 1].length };
        };
        const range = { start: pos(a), end: pos(b) };
        text = text.slice(0, a) + st.tok + text.slice(b);
        version++;
        edits++;
        await s.conn.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ range, text: st.tok }] });
        if (edits % Math.floor(EDITS / RUNS) === 0 && runs < RUNS) {
          await Promise.all(inFlight.splice(0));
          await runNow();
          runs++;
        }
        continue;
      }
      const k = ++id;
      const position = { line: st.line, character: st.character };
      const params: Record<string, unknown> = { textDocument: { uri }, position };
      if (st.method === 'textDocument/rename') params.newName = st.name;
      if (st.method === 'textDocument/formatting') params.options = { tabSize: 2, insertSpaces: true };
      if (st.method === 'textDocument/documentSymbol' || st.method === 'textDocument/formatting') delete params.position;
      pending.set(k, `${st.method} at ${JSON.stringify(position)} (version ${version})`);
      inFlight.push(
        s.conn.sendRequest(st.method, params).then(
          () => void (answered++, pending.delete(k)),
          (e: unknown) => {
            if (!(e instanceof ResponseError)) throw e;
            // a handler that threw comes back as InternalError: that is a crash, not an answer
            if (e.code === ErrorCodes.InternalError) throw new Error(`${pending.get(k)} failed inside the server: ${e.message}`);
            errors++;
            const key = `${st.method.replace('textDocument/', '')} ${e.code}`;
            errorCodes.set(key, (errorCodes.get(key) ?? 0) + 1);
            pending.delete(k);
          },
        ),
      );
    }
    await within(Promise.all(inFlight), 180_000, () => `answers to ${pending.size} requests, e.g. ${[...pending.values()].slice(0, 5).join('; ')}`);
    // the server is still a working server: it answers a request on the final text
    await within(s.conn.sendRequest('textDocument/documentSymbol', { textDocument: { uri } }), 60_000, () => 'documentSymbol after the storm');
    const end = procStatus(pid);
    const alive = s.proc.exitCode === null && s.proc.signalCode === null;
    console.log(
      `reliability(b): ${edits} edits, ${id} requests, ${answered} answered, ${errors} proper errors (${[...errorCodes].map(([k, v]) => `${k}: ${v}`).join(', ')}), ${pending.size} unanswered, ${runs} runs; ` +
        `server alive: ${alive}; threads ${idle.threads} before any run, ${start.threads} after the first, ${end.threads} at the end; RSS ${(start.rssKB / 1024).toFixed(0)} → ${(end.rssKB / 1024).toFixed(0)} MB`,
    );
    expect(edits).toBe(EDITS);
    expect(id).toBeGreaterThan(EDITS / 2);
    expect(answered + errors).toBe(id);
    expect(pending.size).toBe(0);
    expect(alive).toBe(true);
    // the worker pool is sized once: later runs reuse its threads (a few spare for libuv/V8)
    expect(end.threads, `threads after the first run: ${start.threads}, at the end: ${end.threads}`).toBeLessThanOrEqual(start.threads + 4);
    // generous: memoised analyses, caches and V8's heap growth, but no per-edit leak
    expect(end.rssKB, `RSS after the first run ${start.rssKB} kB, at the end ${end.rssKB} kB`).toBeLessThan(Math.max(3 * start.rssKB, start.rssKB + 300 * 1024));
  }, 600_000);
});
