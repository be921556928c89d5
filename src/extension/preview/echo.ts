// Which selection changes in a .sgdexp editor are the echo of a reveal from the preview (the
// page asked for a line, the extension selected it): those are not the user's moves, and are not
// followed by a highlight back to the page (a click on a legend entry would otherwise scroll the
// page away to the run's first figure). Pure (no vscode import; unit-tested in
// test/webview/revealEcho.test.ts).

export interface At {
  line: number;
  character: number;
}

/** What a reveal selected: the statement on `line` (0-based), in `editor` once it is known. */
export interface Revealed {
  uri: string;
  anchor: At;
  active: At;
  editor?: unknown;
}

/** A selection change as VS Code reports it: the editor, its document, its first selection. */
export interface SelectionSeen {
  uri: string;
  editor: unknown;
  anchor: At;
  active: At;
}

/**
 * The echo is the reveal's own selection (the whole statement, which a user's click or arrow key
 * does not make) in the editor it showed; any other selection change ends the reveal (the
 * caller forgets it). No time window: the workbench answers showTextDocument late on a loaded
 * machine (a window of 1.5 s let a late echo through as a user's move, and the page was sent a
 * highlight of what it had just revealed).
 */
export function isRevealEcho(r: Revealed | undefined, e: SelectionSeen): boolean {
  return !!r && r.uri === e.uri && same(r.anchor, e.anchor) && same(r.active, e.active) && (!r.editor || r.editor === e.editor);
}

const same = (a: At, b: At) => a.line === b.line && a.character === b.character;
