// A record of every message exchanged with preview webviews, exposed through the extension's API
// so the extension-host tests can assert what a panel was sent and what it answered.
import * as vscode from 'vscode';
import type { FromWebview, ToWebview } from '../core/wire/protocol';

export type LogEntry =
  /** `reused`: runs the wire message left out (RunReuse); `msg` is the message as the page has it */
  | { dir: 'to'; panel: number; uri: string; t: number; msg: ToWebview; reused?: string[] }
  | { dir: 'from'; panel: number; uri: string; t: number; msg: FromWebview }
  /** a webview message that failed validation (dropped) */
  | { dir: 'rejected'; panel: number; uri: string; t: number; msg: unknown; error: string };

export class MessageLog implements vscode.Disposable {
  /** bounded: a long session must not grow without end */
  static readonly MAX = 2000;
  readonly entries: LogEntry[] = [];
  private readonly emitter = new vscode.EventEmitter<LogEntry>();
  readonly onDidLog = this.emitter.event;

  /** Entries hold whole results documents (hundreds of KB each), so the log records only when
   *  the extension runs under test or development, never for users (ExtensionMode.Production). */
  constructor(readonly enabled: boolean) {}

  add(e: LogEntry): void {
    if (!this.enabled) return;
    this.entries.push(e);
    if (this.entries.length > MessageLog.MAX) this.entries.splice(0, this.entries.length - MessageLog.MAX);
    this.emitter.fire(e);
  }

  dispose(): void {
    this.emitter.dispose();
  }
}
