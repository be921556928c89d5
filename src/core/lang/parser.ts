// Hand-written recursive-descent parser with error recovery (in the style of rust-analyzer and
// vscode-css-languageservice: report, then either insert a `missing` node or skip one token, so
// every loop makes progress). It never throws.
//
// Layout rule: newlines end statements except inside brackets. To keep one unclosed bracket from
// swallowing the rest of the file, a line that starts in column 0 with `name =` or `plot` always
// starts a new statement, even inside an unclosed bracket (continuation lines are indented).
import { lex, type Token } from './lexer';
import { printable } from './text';
import type {
  ArithOp, CompareOp, Arg, CallExpr, Comment, Expr, FileNode, Ident, ListExpr, SelectExpr, SelectItem, Statement, SyntaxError,
} from './ast';

/** Bracket nesting beyond this is refused (keeps every recursion — parser, checker, formatter — shallow). */
const MAX_DEPTH = 64;

export function parse(text: string): FileNode {
  return new Parser(text).parseFile();
}

const describe = (t: Token): string =>
  t.kind === 'eof' ? 'end of file' : t.kind === 'newline' ? 'end of line' : `'${printable(t.text, 40)}'`;

class Parser {
  private toks: Token[] = [];
  private comments: Comment[] = [];
  private errors: SyntaxError[] = [];
  private pos = 0;
  private stack: ('(' | '[')[] = [];
  /** ranges already reported: one mistake gets one diagnostic, the first (most specific) one */
  private reported = new Set<string>();

  constructor(private readonly text: string) {
    const toks: Token[] = [];
    for (const t of lex(text)) {
      if (t.kind === 'comment') this.comments.push({ start: t.start, end: t.end, text: t.text });
      else toks.push(t);
    }
    this.toks = claimOperators(toks);
    for (const t of this.toks) if (t.problem) this.error(t.start, t.end, t.problem, t.kind === 'string' ? 'unterminated-string' : 'lexical');
  }

  private error(start: number, end: number, message: string, code = 'syntax'): void {
    // e.g. `x == 3`: the second '=' is both a missing expression and a stray token; '@' is both
    // a lexical error and a missing ','. The lexer's and the innermost rule's message come first.
    const key = `${start}:${end}`;
    if (this.reported.has(key)) return;
    this.reported.add(key);
    this.errors.push({ start, end, message, code });
  }

  /** Skip `error` tokens (the lexer reported each one); true when there were any. */
  private skipJunk(): boolean {
    let any = false;
    while (this.cur().kind === 'error') {
      this.pos++;
      any = true;
    }
    return any;
  }

  /** Does token i start a new statement in column 0 (`name =` or `plot`)? */
  private startsStatement(i: number): boolean {
    const t = this.toks[i];
    if (!t || t.kind !== 'name' || t.column !== 0) return false;
    const nx = this.toks[i + 1];
    return t.text === 'plot' || t.text === 'expect' ? nx?.kind !== '=' : nx?.kind === '=';
  }

  /** The current token; inside brackets newlines are skipped unless a new statement starts. */
  private cur(): Token {
    for (;;) {
      const t = this.toks[this.pos];
      if (t.kind === 'newline' && this.stack.length > 0) {
        let j = this.pos;
        while (this.toks[j].kind === 'newline') j++;
        if (this.startsStatement(j) || this.toks[j].kind === 'eof') return t;
        this.pos = j;
        continue;
      }
      return t;
    }
  }
  /** The token after the current one (same newline rule). */
  private peekNext(): Token {
    const save = this.pos;
    this.cur();
    this.pos++;
    const t = this.cur();
    this.pos = save;
    return t;
  }
  private advance(): Token {
    const t = this.cur();
    if (t.kind !== 'eof') this.pos++;
    return t;
  }
  private prevEnd(): number {
    for (let i = this.pos - 1; i >= 0; i--) if (this.toks[i].kind !== 'newline') return this.toks[i].end;
    return 0;
  }
  private isTerminator(t: Token): boolean {
    return t.kind === 'eof' || t.kind === 'newline';
  }

  parseFile(): FileNode {
    const statements: Statement[] = [];
    for (;;) {
      const t = this.cur();
      if (t.kind === 'eof') break;
      if (t.kind === 'newline') {
        this.pos++;
        continue;
      }
      const before = this.pos;
      const s = this.parseStatement();
      if (s) statements.push(s);
      // a stray character was reported by the lexer; what follows it still gets its own error
      this.skipJunk();
      const after = this.cur();
      if (!this.isTerminator(after)) {
        this.error(after.start, after.end, `unexpected ${describe(after)}: a statement ends at the end of its line`);
        // skip the rest of the line, brackets included
        while (!this.isTerminator(this.toks[this.pos])) this.pos++;
      }
      if (this.pos === before) this.pos++; // cannot happen, but guarantees progress
    }
    return {
      kind: 'file', start: 0, end: this.text.length, statements, comments: this.comments, errors: this.errors,
    };
  }

  private parseStatement(): Statement | null {
    const t = this.cur();
    const nx = this.peekNext();
    if (t.kind === 'name' && t.text === 'plot' && nx.kind !== '=') {
      this.pos++;
      const value = this.parseExpr('expected what to plot, e.g. `plot loss(run)`');
      return { kind: 'plot', start: t.start, end: Math.max(t.end, value.end), keyword: { start: t.start, end: t.end }, value };
    }
    if (t.kind === 'name' && t.text === 'expect' && nx.kind !== '=') {
      this.pos++;
      const value = this.parseClaim();
      return { kind: 'expect', start: t.start, end: Math.max(t.end, value.end), keyword: { start: t.start, end: t.end }, value };
    }
    if (t.kind === 'name' && nx.kind === '=') {
      this.pos++;
      const name: Ident = { kind: 'ident', name: t.text, start: t.start, end: t.end };
      const eq = this.advance();
      const value = this.parseExpr(`expected an expression after '${t.text} ='`);
      return { kind: 'def', start: t.start, end: Math.max(eq.end, value.end), name, eq: eq.start, value };
    }
    if (!this.canStartExpr(t)) {
      this.error(t.start, t.end, `unexpected ${describe(t)}: a statement is \`name = expression\`, \`plot expression\` or \`expect claim\``);
      this.pos++;
      return null;
    }
    const value = this.parseExpr('expected an expression');
    this.error(value.start, value.end, 'an expression on its own does nothing: write `name = …` or `plot …`', 'bare-expression');
    return { kind: 'expr', start: value.start, end: value.end, value };
  }


  // ---------------- claims (`expect`) ----------------
  // claim   := sum CMP sum [within NUMBER [%]]      CMP: < <= > >= == ≈ (~=)
  // sum     := product ((+ | - | −) product)*
  // product := unary ((* | / | × | ÷) unary)*
  // unary   := (- | −) unary | '(' sum ')' | expression (a number or a call such as final(loss, r))

  private opAt(): string | null {
    const t = this.cur();
    return t.kind === 'op' ? t.text : null;
  }

  private parseClaim(): Expr {
    const left = this.parseSum('expected a claim, e.g. `expect final(loss, run) < 1e-3`');
    if (left.kind === 'missing') return left;
    const t = this.cur();
    const cmp = t.kind === 'op' ? COMPARE[t.text] : undefined;
    if (!cmp) {
      if (t.kind === '=') this.error(t.start, t.end, 'a claim compares with ==, not =', 'claim-syntax');
      else {
        const at = this.isTerminator(t) ? this.prevEnd() : t.start;
        this.error(at, this.isTerminator(t) ? at : t.end, 'expected a comparison (<, <=, >, >=, ==, or ≈ … within P%) in the claim', 'claim-syntax');
      }
      return left;
    }
    this.pos++;
    const right = this.parseSum(`expected a value after '${t.text}'`);
    let within: { keyword: { start: number; end: number }; value: Expr; percent: { start: number; end: number } | null } | null = null;
    const w = this.cur();
    if (w.kind === 'name' && w.text === 'within') {
      this.pos++;
      const value = this.parseUnary('expected a tolerance after `within`, e.g. `within 5%` or `within 0.01`');
      let percent = null;
      if (this.opAt() === '%') {
        const p = this.advance();
        percent = { start: p.start, end: p.end };
      }
      within = { keyword: { start: w.start, end: w.end }, value, percent };
      if (cmp !== '≈') this.error(w.start, w.end, `\`within\` belongs to ≈ (approximately equal): write \`a ≈ b within ${percent ? `${this.text.slice(value.start, value.end)}%` : 'X'}\``, 'claim-syntax');
    } else if (cmp === '≈') {
      this.error(t.start, t.end, '≈ needs a tolerance: `≈ b within 5%` (relative) or `≈ b within 0.01` (absolute)', 'claim-syntax');
    }
    const end = within ? (within.percent?.end ?? within.value.end) : right.end;
    return { kind: 'compare', op: cmp, opSpan: { start: t.start, end: t.end }, left, right, within, start: left.start, end: Math.max(end, right.end) };
  }

  private parseSum(missing: string): Expr {
    let left = this.parseProduct(missing);
    for (;;) {
      const t = this.cur();
      const op = t.kind === 'op' ? ARITH[t.text] : undefined;
      if (op !== '+' && op !== '-') return left;
      this.pos++;
      const right = this.parseProduct(`expected a value after '${t.text}'`);
      left = { kind: 'binary', op, opSpan: { start: t.start, end: t.end }, left, right, start: left.start, end: Math.max(t.end, right.end) };
    }
  }

  private parseProduct(missing: string): Expr {
    let left = this.parseUnary(missing);
    for (;;) {
      const t = this.cur();
      const op = t.kind === 'op' ? ARITH[t.text] : undefined;
      if (op !== '*' && op !== '/') return left;
      this.pos++;
      const right = this.parseUnary(`expected a value after '${t.text}'`);
      left = { kind: 'binary', op, opSpan: { start: t.start, end: t.end }, left, right, start: left.start, end: Math.max(t.end, right.end) };
    }
  }

  private parseUnary(missing: string): Expr {
    const t = this.cur();
    if (t.kind === 'op' && ARITH[t.text] === '-') {
      this.pos++;
      const operand = this.parseUnary(`expected a value after '${t.text}'`);
      return { kind: 'neg', operand, start: t.start, end: Math.max(t.end, operand.end) };
    }
    if (t.kind === '(') {
      this.pos++;
      this.stack.push('(');
      const inner = this.parseSum('expected a value inside the parentheses');
      this.stack.pop();
      let close: number | null = null;
      if (this.cur().kind === ')') close = this.advance().start;
      else this.error(t.start, t.end, "'(' is never closed: expected ')'", 'unclosed');
      return { kind: 'paren', inner, close, start: t.start, end: close !== null ? close + 1 : Math.max(t.end, inner.end) };
    }
    return this.parseExpr(missing);
  }

  private canStartExpr(t: Token): boolean {
    return t.kind === 'name' || t.kind === 'number' || t.kind === 'string' || t.kind === '[' || t.kind === '?' || t.kind === 'error';
  }

  private parseExpr(missingMessage: string): Expr {
    const t = this.cur();
    if (this.stack.length >= MAX_DEPTH && (t.kind === '[' || (t.kind === 'name' && (this.peekNext().kind === '(' || this.peekNext().kind === '[')))) {
      return this.skipTooDeep(t);
    }
    switch (t.kind) {
      case 'number':
        this.pos++;
        return { kind: 'number', value: t.value as number, text: t.text, start: t.start, end: t.end };
      case 'string':
        this.pos++;
        return { kind: 'string', value: t.value as string, start: t.start, end: t.end };
      case '?':
        this.pos++;
        return { kind: 'hole', start: t.start, end: t.end };
      case 'error':
        this.pos++;
        return { kind: 'error', text: t.text, start: t.start, end: t.end };
      case '[':
        return this.parseList();
      case 'name': {
        this.pos++;
        const id: Ident = { kind: 'ident', name: t.text, start: t.start, end: t.end };
        const nx = this.cur();
        if (nx.kind === '(') return this.parseCall(id);
        if (nx.kind === '[') return this.parseSelect(id);
        if (t.text === 'true' || t.text === 'false') return { kind: 'bool', value: t.text === 'true', start: t.start, end: t.end };
        return id;
      }
      default: {
        const at = t.kind === 'newline' || t.kind === 'eof' ? this.prevEnd() : t.start;
        this.error(at, t.kind === 'newline' || t.kind === 'eof' ? at : t.end, missingMessage, 'missing-expression');
        return { kind: 'missing', start: at, end: at };
      }
    }
  }

  /** Brackets nested beyond MAX_DEPTH: report once and skip to the matching close (no recursion). */
  private skipTooDeep(first: Token): Expr {
    const end = this.skipBalanced(first.end, true);
    this.error(first.start, end, `brackets nested more than ${MAX_DEPTH} deep`, 'too-deep');
    return { kind: 'error', text: this.text.slice(first.start, end), start: first.start, end };
  }

  /**
   * Steps over tokens with their brackets balanced, up to (not over) an unmatched ')' or ']' or
   * the end of the statement; with `oneGroup`, stops after the first token or bracketed group.
   * Returns the end of the last token stepped over (`from` if none).
   */
  private skipBalanced(from: number, oneGroup: boolean): number {
    let depth = 0;
    let end = from;
    for (;;) {
      const t = this.cur();
      if (this.isTerminator(t)) break;
      if (t.kind === '(' || t.kind === '[') depth++;
      else if (t.kind === ')' || t.kind === ']') {
        if (depth === 0) break;
        depth--;
      }
      end = t.end;
      this.pos++;
      if (oneGroup && depth === 0 && t.kind !== 'name') break;
    }
    return end;
  }

  /** Does an enclosing bracket (not the innermost) close with this token? */
  private closesOuter(t: Token): boolean {
    const want = t.kind === ')' ? '(' : t.kind === ']' ? '[' : null;
    if (!want) return false;
    for (let i = this.stack.length - 2; i >= 0; i--) if (this.stack[i] === want) return true;
    return false;
  }

  private parseCall(callee: Ident): CallExpr {
    const open = this.advance().start;
    this.stack.push('(');
    const args: Arg[] = [];
    const commas: number[] = [];
    let close: number | null = null;
    for (;;) {
      const t = this.cur();
      if (t.kind === ')') {
        close = t.start;
        this.pos++;
        break;
      }
      if (this.isTerminator(t) || (t.kind === ']' && this.closesOuter(t))) {
        this.error(open, open + 1, `'(' of ${callee.name}(…) is never closed: expected ')'`, 'unclosed');
        break;
      }
      if (t.kind === ',') {
        this.error(t.start, t.end, 'expected an argument before \',\'', 'missing-expression');
        commas.push(t.start);
        this.pos++;
        continue;
      }
      if (!this.canStartExpr(t) && !(t.kind === 'name')) {
        this.error(t.start, t.end, `unexpected ${describe(t)} in the arguments of ${callee.name}(…)`);
        this.pos++;
        continue;
      }
      args.push(this.parseArg());
      // `n = 4 @, p = 2` or `n = 4 @ p = 2`: the stray character (reported by the lexer) stands
      // for the separator, so it is not also a missing ',' nor an argument of its own
      const junk = this.skipJunk();
      const u = this.cur();
      if (u.kind === ',') {
        commas.push(u.start);
        this.pos++;
      } else if (u.kind !== ')' && !this.isTerminator(u) && !(u.kind === ']' && this.closesOuter(u))) {
        if (this.canStartExpr(u)) {
          if (!junk) this.error(u.start, u.end, "expected ',' between arguments");
        }
        else {
          this.error(u.start, u.end, `unexpected ${describe(u)} in the arguments of ${callee.name}(…)`);
          this.pos++;
        }
      }
    }
    this.stack.pop();
    const end = close !== null ? close + 1 : Math.max(open + 1, args.length ? args[args.length - 1].end : 0, commas.length ? commas[commas.length - 1] + 1 : 0);
    return { kind: 'call', callee, open, args, commas, close, start: callee.start, end };
  }

  private parseArg(): Arg {
    const t = this.cur();
    if (t.kind === 'name' && this.peekNext().kind === '=') {
      this.pos++;
      const name: Ident = { kind: 'ident', name: t.text, start: t.start, end: t.end };
      const eq = this.advance();
      const value = this.parseExpr(`expected a value after '${t.text} ='`);
      return { name, eq: eq.start, value, start: t.start, end: Math.max(eq.end, value.end) };
    }
    const value = this.parseExpr('expected an argument');
    return { name: null, eq: null, value, start: value.start, end: value.end };
  }

  private parseSelect(target: Ident): SelectExpr {
    const open = this.advance().start;
    this.stack.push('[');
    let close: number | null = null;
    // `param = value`, then `, param = value` pairs (`r[lr = 0.1, delta = 2]`): each pair stays
    // inside this selection, so `delta = 2` never leaks into the enclosing call as an argument
    const item = (): SelectItem => {
      let param: Ident | null = null;
      let value: Expr | null = null;
      const t = this.cur();
      if (t.kind === 'name') {
        this.pos++;
        param = { kind: 'ident', name: t.text, start: t.start, end: t.end };
        if (this.cur().kind === '=') {
          this.pos++;
          value = this.parseExpr(`expected a value after '${t.text} ='`);
        } else this.error(t.end, t.end, `expected '=' after '${t.text}': a selection is ${target.name}[param = value, …]`);
      } else {
        this.error(t.start, this.isTerminator(t) ? t.start : t.end, `expected a parameter name: a selection is ${target.name}[param = value, …]`);
      }
      return { param, value };
    };
    const { param, value } = item();
    const more: SelectItem[] = [];
    let u = this.cur();
    while (u.kind === ',') {
      this.pos++;
      const it = item();
      more.push(it);
      // a malformed pair: skip to this selection's own ']' (never into the enclosing call)
      if (!it.param || !it.value || it.value.kind === 'missing' || it.value.kind === 'error') {
        if (this.cur().kind !== ']' && this.cur().kind !== ',') this.skipBalanced(this.cur().start, false);
      }
      u = this.cur();
    }
    if (u.kind === ']') {
      close = u.start;
      this.pos++;
    } else {
      this.error(open, open + 1, `'[' of ${target.name}[…] is never closed: expected ']'`, 'unclosed');
      // skip junk up to the closing bracket on the same logical line
      while (!this.isTerminator(this.cur()) && this.cur().kind !== ']' && this.cur().kind !== ')' && this.cur().kind !== ',') this.pos++;
      if (this.cur().kind === ']') {
        close = this.cur().start;
        this.pos++;
      }
    }
    this.stack.pop();
    const end = close !== null ? close + 1 : Math.max(open + 1, ...[{ param, value }, ...more].map((it) => Math.max(it.value?.end ?? 0, it.param?.end ?? 0)));
    return { kind: 'select', target, open, param, value, more, close, start: target.start, end };
  }

  private parseList(): ListExpr {
    const open = this.advance().start;
    this.stack.push('[');
    const items: Expr[] = [];
    let close: number | null = null;
    for (;;) {
      const t = this.cur();
      if (t.kind === ']') {
        close = t.start;
        this.pos++;
        break;
      }
      if (this.isTerminator(t) || (t.kind === ')' && this.closesOuter(t))) {
        this.error(open, open + 1, "'[' is never closed: expected ']'", 'unclosed');
        break;
      }
      if (t.kind === ',') {
        this.error(t.start, t.end, "expected a value before ','", 'missing-expression');
        this.pos++;
        continue;
      }
      if (!this.canStartExpr(t)) {
        this.error(t.start, t.end, `unexpected ${describe(t)} in a list`);
        this.pos++;
        continue;
      }
      items.push(this.parseExpr('expected a value'));
      const junk = this.skipJunk(); // as in parseCall
      const u = this.cur();
      if (u.kind === ',') this.pos++;
      else if (u.kind !== ']' && !this.isTerminator(u) && !(u.kind === ')' && this.closesOuter(u))) {
        if (this.canStartExpr(u)) {
          if (!junk) this.error(u.start, u.end, "expected ',' between list items");
        }
        else {
          this.error(u.start, u.end, `unexpected ${describe(u)} in a list`);
          this.pos++;
        }
      }
    }
    this.stack.pop();
    const end = close !== null ? close + 1 : Math.max(open + 1, items.length ? items[items.length - 1].end : 0);
    return { kind: 'list', items, close, start: open, end };
  }
}

const COMPARE: Record<string, CompareOp | undefined> = { '<': '<', '<=': '<=', '>': '>', '>=': '>=', '==': '==', '≈': '≈', '~=': '≈' };
const ARITH: Record<string, ArithOp | undefined> = { '+': '+', '-': '-', '−': '-', '*': '*', '×': '*', '/': '/', '÷': '/' };
const OP_CHARS = new Set(['<', '>', '+', '-', '−', '*', '×', '/', '÷', '%', '~', '≈']);

/**
 * Inside an `expect` statement (from `expect` in column 0 to the end of its line, brackets
 * followed), the characters the scanner calls unexpected become operator tokens: `<=`, `==` and
 * `~=` are two adjacent characters; a number written `-3` right after an operand is a minus and 3.
 * Everywhere else the tokens stay as they were, so the rest of the language reads as before.
 */
function claimOperators(toks: Token[]): Token[] {
  const out: Token[] = [];
  let inClaim = false;
  let depth = 0;
  const op = (text: string, start: number, column: number): Token => ({ kind: 'op', start, end: start + text.length, text, column });
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i];
    if (t.kind === 'name' && t.text === 'expect' && t.column === 0 && toks[i + 1]?.kind !== '=') {
      inClaim = true;
      depth = 0;
    } else if (inClaim && (t.kind === 'eof' || (t.kind === 'newline' && depth <= 0))) inClaim = false;
    if (!inClaim) {
      out.push(t);
      continue;
    }
    if (t.kind === '(' || t.kind === '[') depth++;
    else if (t.kind === ')' || t.kind === ']') depth--;
    const prev = out[out.length - 1];
    const adjacent = (x: Token | undefined) => x !== undefined && x.end === t.start;
    if (t.kind === 'error' && [...t.text].every((ch) => OP_CHARS.has(ch))) {
      let at = t.start;
      for (const ch of t.text) {
        out.push(op(ch, at, t.column + (at - t.start)));
        at += ch.length;
      }
      continue;
    }
    if (t.kind === '=' && prev && adjacent(prev) && ((prev.kind === 'op' && (prev.text === '<' || prev.text === '>' || prev.text === '~')) || prev.kind === '=')) {
      out[out.length - 1] = { kind: 'op', start: prev.start, end: t.end, text: prev.kind === '=' ? '==' : prev.text + '=', column: prev.column };
      continue;
    }
    if (t.kind === 'number' && t.text.startsWith('-') && prev && endsOperand(prev)) {
      out.push(op('-', t.start, t.column));
      const rest = t.text.slice(1);
      out.push({ ...t, start: t.start + 1, text: rest, column: t.column + 1, value: typeof t.value === 'number' ? -t.value : t.value });
      continue;
    }
    out.push(t);
  }
  return out;
}

function endsOperand(t: Token): boolean {
  return t.kind === 'number' || t.kind === 'name' || t.kind === ')' || t.kind === ']' || (t.kind === 'op' && t.text === '%');
}
