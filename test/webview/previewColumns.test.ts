// Where a new locked preview opens (src/extension/preview/columns.ts): a group of its own.
import { describe, expect, it } from 'vitest';
import { lockedColumn } from '../../src/extension/preview/columns';

describe('locked preview column', () => {
  it('beside the editor when that group shows no preview', () => {
    expect(lockedColumn(1, [1], [])).toBe(2);
    expect(lockedColumn(1, [1, 2], [])).toBe(2);
  });
  it('a new group right of all when the group beside shows a preview', () => {
    expect(lockedColumn(1, [1, 2], [2])).toBe(3);
    expect(lockedColumn(1, [1, 2, 3], [2])).toBe(4);
  });
  it("VS Code's Beside when no column is left", () => {
    expect(lockedColumn(9, [1, 9], [])).toBeNull();
    expect(lockedColumn(1, [1, 2, 9], [2])).toBeNull();
  });
});
