// Core (plain data) → LSP types. No logic beyond the mapping.
import {
  CompletionItemKind, DiagnosticSeverity, InsertTextFormat, MarkupKind, SymbolKind,
  type CompletionItem, type Diagnostic as LspDiagnostic, type DocumentSymbol,
} from 'vscode-languageserver/node';
import type { Diagnostic } from '../core/program';
import type { CompletionItem as CoreCompletion, DocumentSymbol as CoreSymbol } from '../core/lang';

const SEVERITY: Record<Diagnostic['severity'], DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

export function toLspDiagnostic(uri: string, d: Diagnostic): LspDiagnostic {
  const out: LspDiagnostic = { range: d.range, severity: SEVERITY[d.severity], message: d.message, code: d.code, source: 'sgdexp' };
  if (d.related?.length) out.relatedInformation = d.related.map((r) => ({ location: { uri, range: r.range }, message: r.message }));
  if (d.data !== undefined) out.data = d.data;
  return out;
}

const COMPLETION_KIND: Record<CoreCompletion['kind'], CompletionItemKind> = {
  function: CompletionItemKind.Function,
  parameter: CompletionItemKind.Property,
  word: CompletionItemKind.EnumMember,
  variable: CompletionItemKind.Variable,
  keyword: CompletionItemKind.Keyword,
  snippet: CompletionItemKind.Snippet,
  value: CompletionItemKind.Value,
};

export function toLspCompletion(c: CoreCompletion): CompletionItem {
  return {
    label: c.label,
    kind: COMPLETION_KIND[c.kind],
    detail: c.detail,
    documentation: c.documentation ? { kind: MarkupKind.Markdown, value: c.documentation } : undefined,
    textEdit: { range: c.range, newText: c.insertText },
    insertTextFormat: c.snippet ? InsertTextFormat.Snippet : InsertTextFormat.PlainText,
    sortText: c.sortText,
  };
}

const SYMBOL_KIND: Record<CoreSymbol['kind'], SymbolKind> = {
  data: SymbolKind.Struct,
  model: SymbolKind.Class,
  optimizer: SymbolKind.Function,
  init: SymbolKind.Function,
  schedule: SymbolKind.Function,
  run: SymbolKind.Event,
  value: SymbolKind.Constant,
  plot: SymbolKind.Object,
};

export function toLspSymbol(s: CoreSymbol): DocumentSymbol {
  return { name: s.name, detail: s.detail, kind: SYMBOL_KIND[s.kind], range: s.range, selectionRange: s.selectionRange };
}
