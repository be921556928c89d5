// Wall times travel beside the results document (src/core/wire/wallTime.ts): the language server
// sends what it measured with each results message and keeps the document free of them, so a
// document stays a function of the file and its seeds.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Methods } from '../../src/core/protocol';
import type { ResultsMessage } from '../../src/core/wire/protocol';
import { validateToWebview } from '../../src/core/wire/webviewMessages';
import { bundleServer, startServer, waitFor } from './serverProcess';

const TEXT = `data = teacher(n = 20, p = 4, k = 1)
net  = linear2(width = 6)
gd   = train(net, data, gd(lr = 0.02), steps = 20000, record = 400)
plot loss(gd)
`;

describe('the language server sends wall times beside the document', () => {
  let bundle: Awaited<ReturnType<typeof bundleServer>>;
  beforeAll(async () => {
    bundle = await bundleServer('sgdexp-wall-');
  }, 60_000);
  afterAll(() => bundle?.cleanup());

  it('a computed run has its time, a run served from a cache none; the document holds neither', async () => {
    const s = await startServer(bundle.dir, { runOn: 'manual', workers: 1 });
    try {
      const finalOf = async (uri: string): Promise<ResultsMessage> => {
        await s.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'sgdexp', version: 1, text: TEXT } });
        const { revision } = (await s.conn.sendRequest(Methods.runNow, { uri })) as { revision: number };
        return waitFor(() => s.wire.find((m) => m.uri === uri && m.final && m.revision === revision));
      };
      const a = await finalOf('file:///tmp/wall-a.sgdexp');
      expect(a.doc.runs.gd!.status).toBe('done');
      expect(a.wallMs?.gd).toBeGreaterThan(0);
      expect(Object.keys(a.doc.runs.gd!)).not.toContain('wall_ms');
      expect(validateToWebview({ ...a, type: 'results' }).ok).toBe(true);
      // a page opened later asks for the last results: the times come with them
      const got = (await s.conn.sendRequest(Methods.getResults, { uri: 'file:///tmp/wall-a.sgdexp' })) as ResultsMessage;
      expect(got.wallMs).toEqual(a.wallMs);
      // the same text under another name: every run comes from the cache, so no time (`cached`)
      const b = await finalOf('file:///tmp/wall-b.sgdexp');
      expect(b.doc.runs.gd!.status).toBe('done');
      expect(b.wallMs).toEqual({});
      expect(b.doc).toEqual({ ...a.doc, file: b.doc.file });
    } finally {
      await s.stop();
    }
  });
});
