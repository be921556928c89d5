// The HTML report's links: file names become relative links that cannot name anything else.
import { describe, expect, it } from 'vitest';
import { parseHTML } from 'linkedom';
import { join } from 'node:path';
import { hrefOf, indexHtml, toHtml } from '../../src/cli/html';
import type { ResultsDoc } from '../../src/core/results';

const doc: ResultsDoc = { format: 'sgdexp-results', version: 1, file: 'x.sgdexp', seed: 0, runs: {}, plots: [] };
const hrefs = (html: string) => [...parseHTML(html).document.querySelectorAll('a')].map((a) => a.getAttribute('href')!);

describe('HTML report links', () => {
  const evil = 'javascript:alert(document.domain)';
  it('a file named like a javascript: URL links to that file, relatively', () => {
    const report = toHtml(doc, [], { json: `${evil}.json`, csv: `${evil}.csv` });
    const index = indexHtml([{ file: `${evil}.sgdexp`, href: join('sub dir', `${evil}.html`), status: 'ok' }]);
    const all = [...hrefs(report), ...hrefs(index)];
    expect(all).toEqual([
      './javascript%3Aalert(document.domain).json',
      './javascript%3Aalert(document.domain).csv',
      './sub%20dir/javascript%3Aalert(document.domain).html',
    ]);
    for (const h of all) {
      // resolved against the report's own location, every link stays a file next to it
      const u = new URL(h, 'file:///out/report.html');
      expect(u.protocol).toBe('file:');
      expect(u.pathname.startsWith('/out/')).toBe(true);
    }
  });

  it('encodes what would end the path or start another (#, ?, %, //) in each segment', () => {
    expect(hrefOf('a#b?c%d.json')).toBe('./a%23b%3Fc%25d.json');
    expect(hrefOf(join('..', 'up', '//x:y.html'))).toBe('./../up/x%3Ay.html');
    expect(new URL(hrefOf('//evil.example/a.html'), 'https://host/out/r.html').host).toBe('host');
  });
});
