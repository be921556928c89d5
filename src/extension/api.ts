// What `activate` returns: a small API for the extension-host tests (and other extensions).
import type { ResultsMessage } from '../core/wire/protocol';
import type { ExportArgs } from './exportFigures';
import type { MessageLog } from './messageLog';

export interface PreviewInfo {
  id: number;
  uri: string;
  locked: boolean;
  visible: boolean;
  active: boolean;
  viewColumn: number | undefined;
  ready: boolean;
  /** nonce of the loaded page and how many times it was (re)loaded */
  nonce: string;
  loads: number;
  /** the panel's webview options, as set (localResourceRoots as strings) */
  localResourceRoots: string[];
}

export interface SgdexpApi {
  /** time spent in activate(), ms */
  readonly activationMs: number;
  /** performance.now() when activate() returned */
  readonly activatedAt: number;
  /** performance.now() of the first request to start the language server, if any yet */
  serverStartRequestedAt(): number | undefined;
  /** every message sent to / received from preview pages */
  readonly messages: MessageLog;
  previews(): PreviewInfo[];
  /** starts the language server if needed; false when it could not start */
  startServer(): Promise<boolean>;
  serverRunning(): boolean;
  statusBarText(): string;
  /** the command a click on the status-bar item runs, if any */
  statusBarCommand(): string | undefined;
  latestResults(uri: string): ResultsMessage | undefined;
  exportFigures(args: ExportArgs): Promise<string[]>;
  /** server messages that failed validation and were dropped */
  rejectedServerMessages(): number;
  /** the context key `sgdexp.cursorOnNumber` (Alt+Up / Alt+Down scrub the number), as last set */
  cursorOnNumber(): boolean;
  /** resolves once the language server has applied the current settings */
  syncSettings(): Promise<void>;
  /** handles `msg` as if preview `panel`'s page had posted it (validated, logged, acted on);
   *  false when there is no such preview */
  simulateFromPage(panel: number, msg: unknown): boolean;
  /** how many cursor rests in .sgdexp editors the preview navigation has handled (followed by a
   *  highlight or not: sgdexp.preview.scrollSync off, nothing designated) */
  navigationFollows(): number;
  /** the .sgdexp line (1-based) of the last cursor rest the preview navigation handled */
  navigationLastFollowed(): { uri: string; line: number } | undefined;
}
