// The bridge between the language server (src/server/server.ts, issue 3) and the reactive
// graph (src/core/graph, issue 4). The server calls `attachEngine` once at start-up; the engine
// registers the custom sgdexp/* methods of src/core/protocol.ts on the connection and reports
// runtime findings (divergence at step k, NaN in data) through `publishRuntimeDiagnostics`,
// which the server merges with the checker's diagnostics.
//
// PLACEHOLDER until the reactive graph lands: it registers nothing.
import type { Connection } from 'vscode-languageserver/node';
import type { TextDocuments } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { CheckedProgram, Diagnostic } from '../core/program';

export interface EngineHost {
  connection: Connection;
  documents: TextDocuments<TextDocument>;
  /** the checked program of a document at its current version (memoised by the server) */
  getProgram(uri: string): CheckedProgram | null;
  /** runtime findings for a document; replaces the previous set */
  publishRuntimeDiagnostics(uri: string, diagnostics: Diagnostic[]): void;
  /** workspace storage folder given by the client (initializationOptions.storagePath), or null */
  storagePath: string | null;
  /** settings from initializationOptions: { runOn: 'save' | 'type' | 'manual', workers, cache, cacheMB } */
  settings: Record<string, unknown>;
}

export interface Engine {
  /** the document changed (called after the server re-checked it) */
  onChange(uri: string): void;
  /** the document was saved */
  onSave(uri: string): void;
  onClose(uri: string): void;
  dispose(): Promise<void>;
}

export function attachEngine(_host: EngineHost): Engine {
  return { onChange() {}, onSave() {}, onClose() {}, async dispose() {} };
}
