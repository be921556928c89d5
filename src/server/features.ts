// The language features: each handler gets the document's memoised analysis, calls src/core/lang
// and converts the answer. Nothing here knows the language.
import {
  CodeActionKind, DocumentHighlightKind, ErrorCodes, FoldingRangeKind, MarkupKind, ResponseError, SemanticTokensBuilder,
  type Connection, type TextDocuments,
} from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import * as lang from '../core/lang';
import { toLspCompletion, toLspDiagnostic, toLspSymbol } from './convert';
import type { Diagnostic } from '../core/program';
import { claimHints } from '../core/claimHints';
import type { ClaimResult } from '../core/wire/results';
import { notRunYet, resultsHover, type ResultsLookup } from './resultsFeatures';
import { SETTINGS_DEFAULTS } from '../core/wire/settings';

export const semanticLegend = { tokenTypes: [...lang.TOKEN_TYPES], tokenModifiers: [...lang.TOKEN_MODIFIERS] };

export function registerFeatures(
  connection: Connection,
  documents: TextDocuments<TextDocument>,
  analysisOf: (uri: string) => lang.Analysis | null,
  /** the engine's runtime findings on a document (e.g. 'diverged', with its quick fix), anchored to its current text */
  runtimeOf: (uri: string) => Diagnostic[] = () => [],
  /** the claims of the document's last final results (the graph engine's), or null */
  claimsOf: (uri: string) => ClaimResult[] | null = () => null,
  results?: () => ResultsLookup | null,
  /** the formatter's print width (setting sgdexp.format.printWidth) */
  printWidth: () => number = () => SETTINGS_DEFAULTS.printWidth,
): void {
  const withDoc = <T>(uri: string, f: (a: lang.Analysis) => T, fallback: T): T => {
    const a = analysisOf(uri);
    return a ? f(a) : fallback;
  };
  const offset = (a: lang.Analysis, pos: { line: number; character: number }) => a.lines.offset(pos);

  connection.onCompletion((p) => withDoc(p.textDocument.uri, (a) => lang.complete(a, offset(a, p.position)).map(toLspCompletion), []));

  connection.onHover((p) =>
    withDoc(p.textDocument.uri, (a) => {
      const h = lang.hover(a, offset(a, p.position));
      if (!h) return null;
      // a run's name: its latest results too (final metrics, the loss's sparkline)
      const l = results?.();
      const name = h.range ? a.text.slice(a.lines.offset(h.range.start), a.lines.offset(h.range.end)) : '';
      const extra = l && name ? resultsHover(a, name, l.results(p.textDocument.uri)?.doc ?? null, l.times(p.textDocument.uri)) : null;
      return { contents: { kind: MarkupKind.Markdown, value: extra ? `${h.contents}\n\n${extra}` : h.contents }, range: h.range };
    }, null),
  );

  connection.onSignatureHelp((p) =>
    withDoc(p.textDocument.uri, (a) => {
      const s = lang.signatureHelp(a, offset(a, p.position));
      if (!s) return null;
      return {
        signatures: [{
          label: s.label,
          documentation: { kind: MarkupKind.Markdown, value: s.documentation },
          parameters: s.parameters.map((q) => ({ label: q.label, documentation: { kind: MarkupKind.Markdown, value: q.documentation } })),
        }],
        activeSignature: 0,
        activeParameter: s.activeParameter ?? undefined,
      };
    }, null),
  );

  connection.onDefinition((p) =>
    withDoc(p.textDocument.uri, (a) => {
      const r = lang.definition(a, offset(a, p.position));
      return r ? { uri: p.textDocument.uri, range: r } : null;
    }, null),
  );

  connection.onReferences((p) =>
    withDoc(p.textDocument.uri, (a) => lang.references(a, offset(a, p.position), p.context.includeDeclaration).map((range) => ({ uri: p.textDocument.uri, range })), []),
  );

  connection.onDocumentHighlight((p) =>
    withDoc(p.textDocument.uri, (a) => lang.highlights(a, offset(a, p.position)).map((h) => ({ range: h.range, kind: h.write ? DocumentHighlightKind.Write : DocumentHighlightKind.Read })), []),
  );

  connection.onPrepareRename((p) => withDoc(p.textDocument.uri, (a) => lang.prepareRename(a, offset(a, p.position)), null));

  connection.onRenameRequest((p) => {
    const a = analysisOf(p.textDocument.uri);
    if (!a) return null;
    const r = lang.rename(a, offset(a, p.position), p.newName);
    if ('error' in r) return new ResponseError(ErrorCodes.InvalidRequest, r.error);
    return { changes: { [p.textDocument.uri]: r.edits } };
  });

  connection.onDocumentSymbol((p) => withDoc(p.textDocument.uri, (a) => lang.documentSymbols(a).map(toLspSymbol), []));

  connection.onFoldingRanges((p) =>
    withDoc(p.textDocument.uri, (a) => lang.foldingRanges(a).map((f) => ({ startLine: f.startLine, endLine: f.endLine, kind: f.kind === 'comment' ? FoldingRangeKind.Comment : undefined })), []),
  );

  connection.languages.semanticTokens.on((p) =>
    withDoc(p.textDocument.uri, (a) => {
      const b = new SemanticTokensBuilder();
      for (const t of lang.semanticTokens(a)) {
        let mods = 0;
        for (const m of t.modifiers) mods |= 1 << lang.TOKEN_MODIFIERS.indexOf(m);
        b.push(t.line, t.character, t.length, lang.TOKEN_TYPES.indexOf(t.type), mods);
      }
      return b.build();
    }, { data: [] }),
  );

  connection.languages.inlayHint.on((p) =>
    withDoc(p.textDocument.uri, (a) => [
      // the cost estimates of runs not run yet
      ...notRunYet(lang.inlayHints(a), results?.()?.results(p.textDocument.uri)?.doc ?? null).map((h) => ({ position: h.position, label: h.label, tooltip: h.tooltip, paddingLeft: true, ...(h.paddingRight ? { paddingRight: true } : {}) })),
      // the verdict of each `expect` statement, at the end of its line
      ...claimHints(a.program.claims, claimsOf(p.textDocument.uri)).map((h) => ({ position: h.position, label: h.label, tooltip: h.tooltip, paddingLeft: true })),
    ], []),
  );

  connection.onDocumentFormatting((p) => {
    const doc = documents.get(p.textDocument.uri);
    const a = analysisOf(p.textDocument.uri);
    if (!doc || !a) return [];
    const out = lang.format(a.text, a.tree, { printWidth: printWidth() });
    if (out === null || out === a.text) return [];
    return [{ range: { start: { line: 0, character: 0 }, end: doc.positionAt(a.text.length) }, newText: out }];
  });

  connection.onCodeAction((p) =>
    withDoc(p.textDocument.uri, (a) =>
      lang.codeActions(a, p.range, runtimeOf(p.textDocument.uri)).map((c) => ({
        title: c.title,
        kind: CodeActionKind.QuickFix,
        diagnostics: [toLspDiagnostic(p.textDocument.uri, c.diagnostic)],
        isPreferred: c.preferred,
        edit: { changes: { [p.textDocument.uri]: c.edits } },
      })),
    [], ),
  );
}
