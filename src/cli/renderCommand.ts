// `sgdexp render RESULTS.json...`: the figures, series and report of results documents already
// computed (a merged shard document, a `run --format json` output), without running anything.
// The report shows the experiment's source when the file the document names is at hand.
import { basename, dirname, join, resolve } from 'node:path';
import type { ResultsDoc } from '../core/wire/results';
import { validateResultsDoc } from '../core/wire/webviewMessages';
import { readJsonArgument } from './files';
import { readSource } from './source';
import { writeOutputs } from './outputs';
import { claimLine } from './claimLine';
import type { Format } from './formats';

export interface RenderOptions {
  out: string;
  formats: Format[];
  quiet: boolean;
}

/** The experiment's text: the path the document names, as given (from here) or beside the JSON. */
function sourceOf(doc: ResultsDoc, jsonFile: string): string | null {
  if (!doc.file) return null;
  for (const p of [resolve(doc.file), join(dirname(resolve(jsonFile)), basename(doc.file))]) {
    const text = readSource(p);
    if (text != null) return text;
  }
  return null;
}

export async function renderCommand(files: string[], o: RenderOptions): Promise<number> {
  let failed = false;
  for (const f of files) {
    const read = readJsonArgument(f);
    if (!read.ok) {
      process.stderr.write(`sgdexp render: ${f}: ${read.message}\n`);
      failed = true;
      continue;
    }
    const parsed = read.value;
    // a shard alone is part of a document: merge the shards first
    if ((parsed as { shard?: unknown }).shard) {
      process.stderr.write(`sgdexp render: ${f}: a shard of ${String((parsed as { file?: unknown }).file)}; join the shards with \`sgdexp merge\` and render the merged document\n`);
      failed = true;
      continue;
    }
    const v = validateResultsDoc(parsed);
    if (!v.ok) {
      process.stderr.write(`sgdexp render: ${f}: not a results document (${v.error})\n`);
      failed = true;
      continue;
    }
    const doc = v.value;
    const stem = join(o.out, basename(f).replace(/\.json$/i, ''));
    await writeOutputs(doc, stem, o.formats, sourceOf(doc, f));
    for (const c of doc.claims ?? []) if (c.status !== 'held' || !o.quiet) process.stderr.write(claimLine(doc.file, c) + '\n');
    if (!o.quiet) process.stderr.write(`${f}: ${Object.keys(doc.runs).length} runs, ${doc.plots.length} plots → ${stem}.*\n`);
  }
  return failed ? 1 : 0;
}
