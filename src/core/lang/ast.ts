// The syntax tree. Every node carries exact source offsets [start, end); error recovery produces
// `missing` and `error` nodes instead of throwing, so a half-typed file still has a full tree.

export interface Span {
  start: number;
  end: number;
}

export interface Ident extends Span {
  kind: 'ident';
  name: string;
}
export interface NumberLit extends Span {
  kind: 'number';
  value: number;
  text: string;
}
export interface StringLit extends Span {
  kind: 'string';
  value: string;
}
export interface BoolLit extends Span {
  kind: 'bool';
  value: boolean;
}
/** `?`: a missing entry of a matrix literal */
export interface Hole extends Span {
  kind: 'hole';
}
export interface ListExpr extends Span {
  kind: 'list';
  items: Expr[];
  /** offset of the closing bracket, or null when it is missing */
  close: number | null;
}
export interface Arg extends Span {
  /** the parameter name of a named argument `name = value` */
  name: Ident | null;
  /** offset of `=` in a named argument */
  eq: number | null;
  value: Expr;
}
export interface CallExpr extends Span {
  kind: 'call';
  callee: Ident;
  open: number;
  args: Arg[];
  /** offsets of the separating commas */
  commas: number[];
  close: number | null;
}
/** one `param = value` of a selection after the first */
export interface SelectItem {
  param: Ident | null;
  value: Expr | null;
}
export interface SelectExpr extends Span {
  kind: 'select';
  target: Ident;
  open: number;
  /** the first `param = value` */
  param: Ident | null;
  value: Expr | null;
  /** further `, param = value` pairs: `r[lr = 0.1, delta = 2]` picks the members matching all */
  more: SelectItem[];
  close: number | null;
}
/** an expression that should be here but is not (zero-width at the point where it was expected) */
export interface MissingExpr extends Span {
  kind: 'missing';
}
/** tokens that make no sense where they are */
export interface ErrorExpr extends Span {
  kind: 'error';
  text: string;
}

export type ArithOp = '+' | '-' | '*' | '/';
export type CompareOp = '<' | '<=' | '>' | '>=' | '==' | '≈';
/** `a + b`, `a × b`, … (only inside `expect`; − × ÷ are read as - * /) */
export interface BinaryExpr extends Span {
  kind: 'binary';
  op: ArithOp;
  opSpan: Span;
  left: Expr;
  right: Expr;
}
/** `-a` (only inside `expect`) */
export interface NegExpr extends Span {
  kind: 'neg';
  operand: Expr;
}
/** `(a)` (only inside `expect`) */
export interface ParenExpr extends Span {
  kind: 'paren';
  inner: Expr;
  close: number | null;
}
/** `left OP right`, and for ≈ `within TOL` or `within TOL%` (the body of an `expect`) */
export interface CompareExpr extends Span {
  kind: 'compare';
  op: CompareOp;
  opSpan: Span;
  left: Expr;
  right: Expr;
  within: { keyword: Span; value: Expr; percent: Span | null } | null;
}

export type Expr =
  | Ident | NumberLit | StringLit | BoolLit | Hole | ListExpr | CallExpr | SelectExpr | MissingExpr | ErrorExpr
  | BinaryExpr | NegExpr | ParenExpr | CompareExpr;

export interface DefStmt extends Span {
  kind: 'def';
  name: Ident;
  eq: number;
  value: Expr;
}
export interface PlotStmt extends Span {
  kind: 'plot';
  keyword: Span;
  value: Expr;
}
/** `expect CLAIM`: a claim checked against the results (src/core/claims) */
export interface ExpectStmt extends Span {
  kind: 'expect';
  keyword: Span;
  /** a `compare` node, or what stands where it should be */
  value: Expr;
}
/** an expression on its own line (an error, kept so completion still works inside it) */
export interface ExprStmt extends Span {
  kind: 'expr';
  value: Expr;
}
export type Statement = DefStmt | PlotStmt | ExpectStmt | ExprStmt;

export interface Comment extends Span {
  text: string;
}

export interface SyntaxError extends Span {
  message: string;
  code: string;
}

export interface FileNode extends Span {
  kind: 'file';
  statements: Statement[];
  comments: Comment[];
  errors: SyntaxError[];
}

/** Visit every identifier of the file (callees, argument names, references, selections). */
export function walkIdents(file: FileNode, f: (id: Ident, role: 'def' | 'callee' | 'param' | 'ref' | 'select-target' | 'select-param') => void): void {
  const visit = (e: Expr) => {
    switch (e.kind) {
      case 'ident':
        f(e, 'ref');
        break;
      case 'call':
        f(e.callee, 'callee');
        for (const a of e.args) {
          if (a.name) f(a.name, 'param');
          visit(a.value);
        }
        break;
      case 'select':
        f(e.target, 'select-target');
        for (const it of [e, ...e.more]) {
          if (it.param) f(it.param, 'select-param');
          if (it.value) visit(it.value);
        }
        break;
      case 'list':
        for (const it of e.items) visit(it);
        break;
      case 'binary':
      case 'compare':
        visit(e.left);
        visit(e.right);
        if (e.kind === 'compare' && e.within) visit(e.within.value);
        break;
      case 'neg':
        visit(e.operand);
        break;
      case 'paren':
        visit(e.inner);
        break;
    }
  };
  for (const s of file.statements) {
    if (s.kind === 'def') f(s.name, 'def');
    visit(s.value);
  }
}
