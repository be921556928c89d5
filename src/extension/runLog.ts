// The output channel's account of runs: one line per finished revision of a document (what ran,
// how it ended, the message of each run that did not end well), so "what happened" survives the
// preview being closed. No `vscode` import: the extension appends the lines.
import type { ResultsMessage } from '../core/wire/protocol';

const GOOD = new Set(['done']);

export class RunLog {
  private readonly logged = new Map<string, number>();

  /** The line for a final results message not logged yet (a revision is logged once), else null. */
  line(m: ResultsMessage, now = new Date()): string | null {
    if (!m.final || m.revision <= (this.logged.get(m.uri) ?? -1)) return null;
    this.logged.set(m.uri, m.revision);
    const runs = Object.entries(m.doc.runs);
    const file = m.doc.file.split(/[\\/]/).pop() ?? m.uri;
    const count = new Map<string, number>();
    for (const [, r] of runs) count.set(r.status, (count.get(r.status) ?? 0) + 1);
    const tally = [...count].map(([s, n]) => `${n} ${s}`).join(', ');
    const bad = runs.filter(([, r]) => !GOOD.has(r.status)).slice(0, 5)
      .map(([k, r]) => `  ${k}: ${r.status}${r.message && r.message !== r.status ? ` — ${r.message}` : ''}${r.status === 'diverged' && r.diverged_at != null ? ` (last finite step ${r.diverged_at})` : ''}`);
    const source = m.revision === 0 ? ' (from the cache)' : '';
    return [`[${now.toLocaleTimeString()}] ${file}: ${runs.length} run${runs.length === 1 ? '' : 's'}${runs.length ? ` — ${tally}` : ''}${source}`, ...bad].join('\n');
  }
}
