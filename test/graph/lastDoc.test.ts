// A document's last results on disk (shown at once when it is reopened) belong to its name; an
// untitled document's name (untitled:Untitled-1) is given to the next new file, in this session or
// the next, so its results are never kept under it.
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DiskCache } from '../../src/core/graph/diskCache';
import type { ResultsDoc } from '../../src/core/wire/results';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

const doc: ResultsDoc = { format: 'sgdexp-results', version: 1, file: 'x', seed: 1, runs: {}, plots: [] };

describe('last results of a document on disk', () => {
  it('are kept for a file and for no untitled document', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sgdexp-lastdoc-'));
    dirs.push(dir);
    const c = new DiskCache(dir);
    c.setDoc('file:///w/a.sgdexp', doc);
    c.setDoc('untitled:Untitled-1', doc);
    const again = new DiskCache(dir);
    expect(again.getDoc('file:///w/a.sgdexp')).toEqual(doc);
    expect(again.getDoc('untitled:Untitled-1')).toBeNull();
    expect(c.getDoc('untitled:Untitled-1')).toBeNull();
  });
});
