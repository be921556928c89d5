// The checker's errors as a results document carries them (doc.diagnostics, report.ts): 1-based
// line, the definition holding the error, errors only, bounded in number.
import { describe, expect, it } from 'vitest';
import { checkText } from '../../src/core/lang';
import { numericHooks } from '../../src/core/checkHooks';
import { docDiagnostics, MAX_DOC_DIAGNOSTICS } from '../../src/core/graph/report';

const text = `data = teacher(n = 40, p = 5, k = 1)
net  = linear2(width = 8)
gd   = train(net, data, gd(lr = 0.01), steps = 100)
ln   = train(net, data, label_noise(lr = 0.01, delta = 1, deltaa = 2), steps = 100)
plot loss(gd, ln, y = logg)
`;

describe('docDiagnostics', () => {
  it('names the 1-based line and the definition of each error; one in a plot has no definition', () => {
    const d = docDiagnostics(checkText(text, numericHooks()));
    expect(d).toEqual([
      expect.objectContaining({ severity: 'error', line: 4, def: 'ln', message: expect.stringContaining("'deltaa'") }),
      expect.objectContaining({ severity: 'error', line: 5, message: expect.stringContaining('logg') }),
    ]);
    expect(d[1]!.def).toBeUndefined();
  });

  it('is empty for a clean text and keeps at most MAX_DOC_DIAGNOSTICS errors', () => {
    expect(docDiagnostics(checkText(text.replace(', deltaa = 2', '').replace('logg', 'log'), numericHooks()))).toEqual([]);
    const many = Array.from({ length: MAX_DOC_DIAGNOSTICS + 20 }, (_, i) => `d${i} = teacher(n = 40, pp = 5)`).join('\n');
    const p = checkText(many, numericHooks());
    expect(p.diagnostics.filter((x) => x.severity === 'error').length).toBeGreaterThan(MAX_DOC_DIAGNOSTICS);
    const d = docDiagnostics(p);
    expect(d.length).toBe(MAX_DOC_DIAGNOSTICS);
    expect(d[0]).toMatchObject({ line: 1, def: 'd0' });
  });
});
