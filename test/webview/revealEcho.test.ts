// The echo of a reveal from the preview (src/extension/preview/echo.ts): the selection change the
// reveal itself causes is not followed back to the page; the user's own moves are.
import { describe, expect, it } from 'vitest';
import { isRevealEcho, type Revealed } from '../../src/extension/preview/echo';

const editor = { name: 'the editor the reveal showed' };
const revealed: Revealed = { uri: 'file:///w/a.sgdexp', anchor: { line: 9, character: 0 }, active: { line: 9, character: 27 }, editor };
const seen = (anchor: [number, number], active: [number, number], ed: unknown = editor) => ({
  uri: 'file:///w/a.sgdexp', editor: ed, anchor: { line: anchor[0], character: anchor[1] }, active: { line: active[0], character: active[1] },
});

describe('the echo of a reveal', () => {
  it('is the selection the reveal made, in its editor, however late it arrives (a loaded machine)', () => {
    // however late it comes (the workbench answered showTextDocument seconds later): no clock
    expect(isRevealEcho(revealed, seen([9, 0], [9, 27]))).toBe(true);
    // the editor not known yet (showTextDocument has not resolved): any editor of the file
    expect(isRevealEcho({ ...revealed, editor: undefined }, seen([9, 0], [9, 27], {}))).toBe(true);
  });
  it("is not the user's move: another selection on that line, another line, file or editor, or no reveal", () => {
    expect(isRevealEcho(revealed, seen([9, 4], [9, 4]))).toBe(false);
    expect(isRevealEcho(revealed, seen([3, 0], [3, 0]))).toBe(false);
    expect(isRevealEcho(revealed, { ...seen([9, 0], [9, 27]), uri: 'file:///w/b.sgdexp' })).toBe(false);
    expect(isRevealEcho(revealed, seen([9, 0], [9, 27], { name: 'a new editor of the file' }))).toBe(false);
    expect(isRevealEcho(undefined, seen([9, 0], [9, 27]))).toBe(false);
  });
});
