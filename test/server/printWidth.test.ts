// Format Document in the language server follows the setting sgdexp.format.printWidth, as
// received at start and on a change of settings.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleServer, startServer, waitFor, type ServerProcess as Server } from './serverProcess';

let bundle: Awaited<ReturnType<typeof bundleServer>>;
let server: Server;
beforeAll(async () => {
  bundle = await bundleServer('sgdexp-printwidth-');
  server = await startServer(bundle.dir, { runOn: 'manual', workers: 1, printWidth: 60 });
}, 60_000);
afterAll(async () => {
  await server?.stop();
  bundle?.cleanup();
});

const text = 'run = train(net, data, label_noise(lr = 0.01, delta = 2), steps = 4000, record = 50)\n'; // 86 columns
const formatted = async (uri: string) => {
  const edits = (await server.conn.sendRequest('textDocument/formatting', { textDocument: { uri }, options: { tabSize: 2, insertSpaces: true } })) as { newText: string }[];
  return edits.length ? edits[0].newText : text;
};

describe('Format Document and sgdexp.format.printWidth', () => {
  it('breaks at the width set, and not once the width is raised', async () => {
    const uri = 'file:///tmp/printwidth.sgdexp';
    await server.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'sgdexp', version: 1, text } });
    await waitFor(() => server.diagnostics.find((d) => d.uri === uri));
    expect((await formatted(uri)).split('\n').length).toBeGreaterThan(3);
    await server.conn.sendNotification('workspace/didChangeConfiguration', { settings: { runOn: 'manual', workers: 1, printWidth: 100 } });
    expect(await formatted(uri)).toBe(text);
  });
});
