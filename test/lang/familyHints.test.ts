// Where a family's member count is drawn: seen in an editor half a screen wide.
import { describe, expect, it } from 'vitest';
import { checkDocument, inlayHints } from '../../src/core/lang';
import { HINT_END_COLUMN } from '../../src/core/lang/navigate';

const head = 'data = teacher(n = 40, p = 10)\nnet  = linear2(width = 20)\n';
const hints = (src: string) => inlayHints(checkDocument(head + src).analysis).filter((h) => !h.cost);

describe("a family's inlay hint", () => {
  it('sits at the end of a short definition line', () => {
    const line = 'g = train(net, data, gd(lr = [1, 2]), steps = 10)';
    const [h] = hints(line + '\n');
    expect(h).toMatchObject({ position: { line: 2, character: line.length }, label: ' 2 runs' });
  });
  it('goes after the name, shortened, when the line is long', () => {
    const line = 'grid = train(net, data, sgd(lr = [0.1, 0.2], batch = [1, 2, 4]), steps = 10, seed = [1, 2])';
    const [h] = hints(line + '\n');
    expect(h).toMatchObject({ position: { line: 2, character: 'grid'.length }, label: '×12', paddingRight: true });
    expect(h.tooltip).toBe('12 runs: lr: 2 values × batch: 3 values × seed: 2 values');
  });
  it('a wrapped definition: at the end of its opening line, before a comment there', () => {
    const [h] = hints('gd = train(  # the sweep\n  net,\n  data,\n  gd(lr = [0.1, 0.2, 0.3]),\n  steps = 10\n)\n');
    expect(h).toMatchObject({ position: { line: 2, character: 'gd = train('.length }, label: ' 3 runs' });
  });
  it(`never ends past column ${HINT_END_COLUMN}`, () => {
    const src = ['a = train(net, data, gd(lr = [0.1, 0.2]), steps = 10)', 'long_name = train(net, data, gd(lr = [0.1, 0.2]), steps = 10)', 'b = train(net, data, gd(lr = [0.1, 0.2]), steps = 10, record = 5)'].join('\n') + '\n';
    for (const h of hints(src)) expect(h.position.character + h.label.length).toBeLessThanOrEqual(HINT_END_COLUMN);
  });
});
