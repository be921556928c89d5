// The server on documents no person writes: one over the size limit, and a cycle of 2,000
// definitions. Each gets its diagnostics published, and requests on it are answered.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleServer, startServer, waitFor, type ServerProcess as Server } from './serverProcess';

let bundle: Awaited<ReturnType<typeof bundleServer>>;
let server: Server;
beforeAll(async () => {
  bundle = await bundleServer('sgdexp-limits-');
  server = await startServer(bundle.dir, { runOn: 'manual', workers: 1 });
}, 60_000);
afterAll(async () => {
  await server?.stop();
  bundle?.cleanup();
});

const open = (uri: string, text: string) => server.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'sgdexp', version: 1, text } });
const published = (uri: string) => waitFor(() => server.diagnostics.find((d) => d.uri === uri));

describe('the language server on oversized and pathological documents', () => {
  it('a document over the size limit gets one diagnostic saying the size and the limit', async () => {
    const uri = 'file:///tmp/limits-big.sgdexp';
    await open(uri, 'x = 1\n'.repeat(2 * (1 << 20) / 6));
    const d = await published(uri);
    expect(d.diagnostics.map((x) => [x.code, x.message])).toEqual([['file-too-large', 'file is 2,097,150 bytes (2.0 MB); experiment files are limited to 1 MB (1,048,576 bytes)']]);
    expect(await server.conn.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 5, character: 0 } })).toBeNull();
  });

  it('a cycle of 2,000 definitions gets its diagnostics, and a hover in it is answered', async () => {
    const uri = 'file:///tmp/limits-cycle.sgdexp';
    const lines = ['a0 = a1999'];
    for (let i = 1; i < 2000; i++) lines.push(`a${i} = a${i - 1}`);
    await open(uri, lines.join('\n'));
    const d = await published(uri);
    expect(d.diagnostics.length).toBeGreaterThan(0);
    expect(d.diagnostics[0].code).toBe('cycle');
    const def = (await server.conn.sendRequest('textDocument/definition', { textDocument: { uri }, position: { line: 1500, character: 8 } })) as { range: { start: { line: number } } };
    expect(def.range.start.line).toBe(1499);
  });
});
