// Where a new preview opens. Pure (no vscode import; unit-tested in test/webview/previewColumns.test.ts).
//
// A locked preview is pinned to its file, so it gets an editor group of its own: beside the
// editor when that group holds no preview, else a new group to the right of all groups (a view
// column one past the last opens one). An unlocked preview keeps VS Code's `Beside`.

/** VS Code opens at most this many editor groups by view column */
const MAX_COLUMN = 9;

/**
 * The view column for a new locked preview opened to the side of the editor in `editorColumn`;
 * `groups`: the view columns of the open editor groups; `previews`: those showing a preview now.
 * null: VS Code's own `Beside` (no free column left).
 */
export function lockedColumn(editorColumn: number, groups: readonly number[], previews: readonly number[]): number | null {
  const beside = editorColumn + 1;
  if (!previews.includes(beside)) return beside <= MAX_COLUMN ? beside : null;
  const next = Math.max(editorColumn, ...groups) + 1;
  return next <= MAX_COLUMN ? next : null;
}
