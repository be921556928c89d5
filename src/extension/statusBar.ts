// Status-bar item with the run progress of the active experiment (or of any file still running);
// clicking it cancels the runs, like a progress notification's Cancel button. When they are done
// it says how long the user waited: from the save (or Run command) that started them to the final
// figure drawn in a preview showing the file (the page's `rendered` report), or to the final
// results when no preview shows it — not the engine's compute time.
import * as vscode from 'vscode';
import type { NodeStatus, ResultsMessage, StatusMessage } from '../core/wire/protocol';

interface Progress {
  uri: string;
  running: number;
  queued: number;
  done: number;
  total: number;
  /** completed fraction of all run steps, 0..1, or null when no run reports steps */
  fraction: number | null;
  failed: number;
}

export function summarize(uri: string, nodes: NodeStatus[]): Progress {
  const runs = nodes.filter((n) => n.kind === 'run');
  let stepsDone = 0;
  let stepsAll = 0;
  for (const r of runs) {
    const steps = r.progress?.steps ?? 0;
    if (steps <= 0) continue;
    stepsAll += steps;
    // finished runs count in full; running ones by their step; waiting ones by nothing
    stepsDone += r.state === 'done' || r.state === 'cached' ? steps : Math.min(steps, r.progress?.step ?? 0);
  }
  return {
    uri,
    running: runs.filter((r) => r.state === 'running').length,
    // `stale` is out of date but not scheduled (e.g. after a cancel): not in flight
    queued: runs.filter((r) => r.state === 'queued').length,
    done: runs.filter((r) => r.state === 'done' || r.state === 'cached').length,
    failed: runs.filter((r) => r.state === 'failed').length,
    total: runs.length,
    fraction: stepsAll > 0 ? stepsDone / stepsAll : null,
  };
}

export class RunStatusBar implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private readonly progress = new Map<string, Progress>();
  private readonly started = new Map<string, number>();
  private readonly finalRevision = new Map<string, number>();
  /** when each file was last saved (or asked to run): the start of what the user waits for */
  private readonly savedAt = new Map<string, number>();
  /** final results awaiting their figure: uri → revision */
  private readonly awaitingFigure = new Map<string, number>();
  /** whether a visible preview shows this file (then the wait ends with its final figure) */
  previewShows: (uri: string) => boolean = () => false;
  private hideTimer: ReturnType<typeof setTimeout> | undefined;

  constructor() {
    this.item = vscode.window.createStatusBarItem('sgdexp.runs', vscode.StatusBarAlignment.Left, 10);
    this.item.name = 'SGD Experiment runs';
    this.item.command = 'sgdexp.cancel';
  }

  /** what a click on the item runs (sgdexp.cancel while runs are in flight) */
  get command(): string | undefined {
    const c = this.item.command;
    return typeof c === 'string' ? c : c?.command;
  }

  get text(): string {
    return this.item.text;
  }
  get busy(): boolean {
    return [...this.progress.values()].some((p) => p.running + p.queued > 0);
  }

  /** A save or a Run command of `uri` (performance.now() by default). */
  onSave(uri: string, at = performance.now()): void {
    this.savedAt.set(uri, at);
  }

  onStatus(m: StatusMessage): void {
    // a status of a revision whose final results arrived describes nothing in flight any more
    if (m.revision <= (this.finalRevision.get(m.uri) ?? -1)) return;
    const p = summarize(m.uri, m.nodes);
    if (p.running + p.queued > 0 && !this.started.has(m.uri)) {
      this.started.set(m.uri, this.savedAt.get(m.uri) ?? performance.now());
      this.savedAt.delete(m.uri);
    }
    this.progress.set(m.uri, p);
    this.render();
  }

  onResults(m: ResultsMessage): void {
    if (!m.final) return;
    this.finalRevision.set(m.uri, Math.max(m.revision, this.finalRevision.get(m.uri) ?? -1));
    // a final document means nothing is in flight for this file any more
    const p = this.progress.get(m.uri);
    if (p) this.progress.set(m.uri, { ...p, running: 0, queued: 0 });
    if (this.previewShows(m.uri)) {
      // the wait ends when the page has drawn it (onRendered)
      this.awaitingFigure.set(m.uri, m.revision);
      if (!this.busy) this.render();
      return;
    }
    this.render(m.uri);
  }

  /** A preview of `uri` drew `revision`: the final figure, if that revision's results were final. */
  onRendered(uri: string, revision: number): void {
    const want = this.awaitingFigure.get(uri);
    if (want === undefined || revision < want) return;
    this.awaitingFigure.delete(uri);
    this.render(uri);
  }

  /** seconds from the save to the final figure, of the last finished file (tests) */
  lastWaitSeconds: number | null = null;

  private render(finishedUri?: string): void {
    if (this.hideTimer) clearTimeout(this.hideTimer);
    const busy = [...this.progress.values()].filter((p) => p.running + p.queued > 0);
    if (busy.length) {
      const runs = busy.reduce((a, p) => a + p.total, 0);
      const done = busy.reduce((a, p) => a + p.done, 0);
      const fr = busy.map((p) => p.fraction).filter((f): f is number => f !== null);
      const pct = fr.length ? ` · ${Math.floor((100 * fr.reduce((a, b) => a + b, 0)) / fr.length)}%` : '';
      this.item.text = `$(sync~spin) sgdexp ${done}/${runs} runs${pct}`;
      this.item.tooltip = `Running ${busy.map((p) => p.uri.split('/').pop()).join(', ')} — click to cancel`;
      this.item.command = 'sgdexp.cancel';
      this.item.backgroundColor = undefined;
      this.item.show();
      return;
    }
    if (finishedUri) {
      const p = this.progress.get(finishedUri);
      const t0 = this.started.get(finishedUri) ?? this.savedAt.get(finishedUri);
      this.started.delete(finishedUri);
      this.savedAt.delete(finishedUri);
      const wait = t0 !== undefined ? (performance.now() - t0) / 1000 : null;
      this.lastWaitSeconds = wait;
      const secs = wait !== null ? ` in ${wait.toFixed(1)} s` : '';
      const failed = p?.failed ? ` · ${p.failed} failed` : '';
      this.item.text = `$(${p?.failed ? 'warning' : 'check'}) sgdexp done${secs}${failed}`;
      this.item.tooltip = `SGD Experiments: no runs in flight${secs ? ` — ${wait!.toFixed(1)} s from the save to the final figure` : ''}`;
      this.item.command = undefined;
      this.item.show();
      this.hideTimer = setTimeout(() => this.item.hide(), 5000);
    } else {
      this.item.hide();
    }
  }

  dispose(): void {
    if (this.hideTimer) clearTimeout(this.hideTimer);
    this.item.dispose();
  }
}
