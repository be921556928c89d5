// Reliability (e): oversized inputs are refused with a diagnostic (and, for what would be too
// costly to run, an estimate), in bounded time and memory: 10 MB files, 10⁵ nested brackets,
// steps = 1e12, width = 1e9 and a sweep of 10⁶ runs, through the checker (a child process
// running checkText: test/reliability/checkEntry.ts), the CLI's `check`, and, for the 10 MB
// file, the language server. Every case prints its peak RSS (getrusage's maxRSS in the child).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, ensureBuilt, runProcess } from '../cli/helpers';
import { bundleServer, startServer } from '../server/serverProcess';

const MB = 2 ** 20;
/** a child that has not finished by then is reported as a hang (minutes: the machine may be busy) */
const CHILD_TIMEOUT_MS = 300_000;
/** the language server's answers, each (the 10 MB document must not stall it) */
const SERVER_WAIT_MS = 120_000;
/** peak resident memory of a refusal: node itself is ~50 MB; parsing 10 MB of text is not refusing it */
const REFUSAL_RSS_KB = 400 * 1024;

let dir: string;
const printed: string[] = [];
beforeAll(async () => {
  await ensureBuilt();
  dir = mkdtempSync(join(tmpdir(), 'sgdexp-oversized-'));
  await build({ entryPoints: [join(__dirname, 'checkEntry.ts')], outfile: join(dir, 'check.js'), bundle: true, platform: 'node', target: 'node20', format: 'cjs', logLevel: 'warning' });
  // records the CLI's peak RSS as it exits (process.exit included)
  writeFileSync(join(dir, 'peak.js'), "process.on('exit', () => require('fs').writeSync(2, `\\nPEAK_RSS_KB=${process.resourceUsage().maxRSS}\\n`));\n");
}, 120_000);
afterAll(() => {
  console.log(`reliability(e): ${printed.join('; ')}`);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const file = (name: string, text: string) => {
  const f = join(dir, `${name}.sgdexp`);
  writeFileSync(f, text);
  return f;
};

const run = (def: string) => `data = teacher(n = 100, p = 5, k = 1)
net  = linear2(width = 8)
${def}
plot loss(gd)
`;

interface Diag {
  code?: unknown;
  message: string;
}
interface Outcome {
  diagnostics: Diag[];
  /** all diagnostics (`diagnostics` may hold only the first ones) */
  count?: number;
  peakKB: number;
  ms: number;
  exit: number | null;
}

async function child(args: string[], what: string): Promise<{ stdout: string; stderr: string; status: number | null; ms: number }> {
  const t0 = performance.now();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const r = await Promise.race([
    runProcess(process.execPath, args),
    new Promise<null>((res) => (timer = setTimeout(() => res(null), CHILD_TIMEOUT_MS))),
  ]);
  clearTimeout(timer);
  const ms = performance.now() - t0;
  if (!r || r.code > 128) throw new Error(`${what}: awaited the child's exit within ${CHILD_TIMEOUT_MS / 1000} s; got ${r ? `exit ${r.code}` : 'no exit'}; stderr: ${r?.stderr.slice(-500)}`);
  return { stdout: r.stdout, stderr: r.stderr, status: r.code, ms };
}

/** checkText in a child process */
async function checker(path: string): Promise<Outcome> {
  const r = await child([join(dir, 'check.js'), path], `checkText(${path})`);
  const j = JSON.parse(r.stdout) as { first: Diag[]; count: number; peakRssKB: number; ms: number };
  expect.soft(j.count, `checkText(${path}): diagnostics (a refusal is a few lines, not one per character)`).toBeLessThanOrEqual(100);
  return { diagnostics: j.first, count: j.count, peakKB: j.peakRssKB, ms: r.ms, exit: r.status };
}

/** `sgdexp check FILE` */
async function cliCheck(path: string): Promise<Outcome> {
  const r = await child(['--require', join(dir, 'peak.js'), CLI, 'check', path], `sgdexp check ${path}`);
  const peak = Number(/PEAK_RSS_KB=(\d+)/.exec(r.stderr)?.[1] ?? NaN);
  const lines = r.stdout.split('\n').filter((l) => /: (error|warning|info): /.test(l));
  return { diagnostics: lines.map((l) => ({ message: l.replace(/^.*?: (error|warning|info): /, '') })), peakKB: peak, ms: r.ms, exit: r.status };
}

/** The refusal: an error-level diagnostic matching `says`, in bounded memory. */
function expectRefused(o: Outcome, what: string, says: RegExp, peakKB = REFUSAL_RSS_KB): void {
  printed.push(`${what}: ${o.count ?? o.diagnostics.length} diagnostics, peak RSS ${(o.peakKB / 1024).toFixed(0)} MB, ${(o.ms / 1000).toFixed(1)} s`);
  const messages = o.diagnostics.map((d) => d.message);
  // soft: every case of a test is tried and reported, not only the first that fails
  expect.soft(messages.some((m) => says.test(m)), `${what}: awaited a diagnostic matching ${says}; got ${JSON.stringify(messages)}`).toBe(true);
  if (o.exit !== null && what.startsWith('CLI')) expect.soft(o.exit, `${what}: exit code`).toBe(1);
  expect.soft(o.peakKB, `${what}: peak RSS ${o.peakKB} kB`).toBeLessThan(peakKB);
}

// an estimate: "≈ 37 h", "memory ≈ 268 GB"
const ESTIMATE = /≈/;

describe('reliability (e): oversized inputs are refused in bounded time and memory', () => {
  it('10 MB files: the CLI refuses them unread; the checker bounds its diagnostics and memory', async () => {
    const valid = file('valid-10mb', Array.from({ length: 300_000 }, (_, i) => `d${i} = teacher(n = 100, p = 5, k = 1)\n`).join('').slice(0, 10 * MB));
    const junk = file('junk-10mb', '¤§'.repeat(2.5 * MB)); // 2 UTF-8 bytes each: 10 MB
    for (const [f, name] of [[valid, 'valid'], [junk, 'junk']] as const) expectRefused(await cliCheck(f), `CLI check, 10 MB ${name}`, /10(\.0)? MB/);
    // 5M bad characters in a row: one diagnostic per run of them, not per character
    expectRefused(await checker(junk), 'checker, 10 MB of bad characters', /unexpected character|too large|MB/, 1024 * 1024);
  });

  it('10⁵ nested brackets', async () => {
    for (const [name, text] of [
      ['lists', `x = ${'['.repeat(100_000)}${']'.repeat(100_000)}\n`],
      ['calls', `x = ${'f('.repeat(100_000)}${')'.repeat(100_000)}\n`],
      ['unclosed', `x = ${'['.repeat(100_000)}\n`],
    ] as const) {
      const f = file(`nested-${name}`, text);
      expectRefused(await checker(f), `checker, 10⁵ nested ${name}`, /nested|deep|never closed/);
      expectRefused(await cliCheck(f), `CLI check, 10⁵ nested ${name}`, /nested|deep|never closed/);
    }
  });

  it('steps = 1e12, width = 1e9 and a sweep of 10⁶ runs: refused with an estimate', async () => {
    const cases = [
      ['steps = 1e12', run('gd = train(net, data, gd(lr = 0.01), steps = 1e12)')],
      ['width = 1e9', run('gd = train(linear2(width = 1e9), data, gd(lr = 0.01), steps = 100)')],
      // one family of 10⁶ members, and 100 families of 10⁴ (each under the per-family limit)
      ['a sweep of 10⁶ runs', run('gd = train(net, data, label_noise(lr = linspace(0.01, 0.02, 1000), delta = linspace(0.1, 1, 1000)), steps = 100)')],
      [
        '10⁶ runs in 100 families',
        run(Array.from({ length: 100 }, (_, i) => `${i ? `g${i}` : 'gd'} = train(net, data, label_noise(lr = linspace(0.01, 0.02, 100), delta = linspace(0.1, 1, 100)), steps = 100, seed = ${i})`).join('\n')),
      ],
    ] as const;
    for (const [what, text] of cases) {
      const f = file(what.replace(/\W+/g, '-'), text);
      // the estimate: of the cost (≈), or, for a sweep, the number of runs it would start
      const says = what.includes('runs') ? /≈|1000000|1,000,000|10⁶/ : ESTIMATE;
      expectRefused(await checker(f), `checker, ${what}`, says);
      expectRefused(await cliCheck(f), `CLI check, ${what}`, says);
    }
  });

  it('the language server refuses a 10 MB document with a diagnostic and stays bounded', async () => {
    const bundle = await bundleServer('sgdexp-oversized-server-');
    const s = await startServer(bundle.dir, { runOn: 'manual', workers: 1 });
    try {
      const uri = 'file:///tmp/oversized-10mb.sgdexp';
      const text = readFileSync(join(dir, 'valid-10mb.sgdexp'), 'utf8');
      await s.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'sgdexp', version: 1, text } });
      const t0 = performance.now();
      const published = await new Promise<{ message: string }[]>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`awaited diagnostics for ${uri} within ${SERVER_WAIT_MS / 1000} s; got ${s.diagnostics.length} publications for other uris`)), SERVER_WAIT_MS);
        const poll = () => {
          const d = s.diagnostics.find((x) => x.uri === uri);
          if (d) return clearTimeout(timer), resolve(d.diagnostics);
          setTimeout(poll, 20);
        };
        poll();
      });
      // and it still answers
      await Promise.race([
        s.conn.sendRequest('textDocument/documentSymbol', { textDocument: { uri } }),
        new Promise((_, reject) => setTimeout(() => reject(new Error(`awaited an answer to documentSymbol within ${SERVER_WAIT_MS / 1000} s after the diagnostics of the 10 MB document; none came`)), SERVER_WAIT_MS)),
      ]);
      const status = readFileSync(`/proc/${s.proc.pid}/status`, 'utf8');
      const peakKB = Number(/^VmHWM:\s+(\d+)/m.exec(status)?.[1]);
      expectRefused({ diagnostics: published, peakKB, ms: performance.now() - t0, exit: null }, 'language server, 10 MB document', /MB/);
      expect(s.proc.exitCode).toBeNull();
    } finally {
      // a server still busy with the document answers no shutdown: end it after a bound
      await Promise.race([s.stop(), new Promise((r) => setTimeout(r, 20_000))]);
      if (s.proc.exitCode === null) s.proc.kill('SIGKILL');
      bundle.cleanup();
    }
  }, 2 * SERVER_WAIT_MS + 60_000);
});
