// Revision numbers as the client sees them: the preview drops a message whose revision is older
// than the newest it has seen for the uri, so revisions must keep increasing when a document is
// closed and reopened, and when the language server is restarted (a new process).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Methods } from '../../src/core/protocol';
import { engineOptions, revisionClock } from '../../src/server/graphBridge';
import { bundleServer, startServer, waitFor, type ServerProcess as Server } from './serverProcess';

let bundle: Awaited<ReturnType<typeof bundleServer>>;
beforeAll(async () => {
  bundle = await bundleServer('sgdexp-revisions-');
}, 60_000);
afterAll(() => bundle?.cleanup());

// both processes share one disk cache folder (a restart of the same workspace)
const start = () => startServer(bundle.dir, { runOn: 'manual', workers: 1 });

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
