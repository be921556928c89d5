// `sgdexp merge A.json B.json ... -o OUT.json`
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { mergeDocs, MergeError } from './merge';
import { readJsonArgument } from './files';
import { writeJson, writeJsonFile } from './jsonStream';
import type { ShardedDoc } from './shard';
import { claimLine } from './claimLine';

export async function mergeCommand(files: string[], output: string): Promise<number> {
  const docs: ShardedDoc[] = [];
  for (const f of files) {
    const read = readJsonArgument(f);
    if (!read.ok) {
      process.stderr.write(`sgdexp merge: ${f}: ${read.message}\n`);
      return 1;
    }
    docs.push(read.value as ShardedDoc);
  }
  try {
    const merged = mergeDocs(docs);
    if (output === '-') await writeJson(process.stdout, merged);
    else {
      mkdirSync(dirname(output), { recursive: true });
      await writeJsonFile(output, merged);
      process.stderr.write(`merged ${files.length} documents, ${Object.keys(merged.runs).length} runs → ${output}\n`);
    }
    const claims = merged.claims ?? [];
    for (const c of claims) process.stderr.write(claimLine(merged.file, c) + '\n');
    return claims.some((c) => c.status !== 'held') ? 1 : 0;
  } catch (e) {
    if (e instanceof MergeError) {
      process.stderr.write(`sgdexp merge: ${e.message}\n`);
      return 1;
    }
    throw e;
  }
}
