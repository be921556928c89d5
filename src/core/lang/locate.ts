// Where is the cursor? The innermost call (with its built-in and the argument slot under the
// cursor), the statement, and the token. Shared by completion, hover and signature help.
// Unclosed calls (`teacher(n = 4, |`) extend to the end of their statement's region, so a
// half-typed call still has a context.
import type { Arg, CallExpr, Expr, Ident, SelectExpr, Statement } from './ast';
import { BUILTIN_BY_NAME, CLAIM_BY_NAME, type Builtin, type ParamSpec } from './builtins';
import type { Analysis } from './checker';

export interface CallContext {
  call: CallExpr;
  builtin: Builtin | null;
  /** the argument under the cursor, if any */
  arg: Arg | null;
  /** the cursor is in the value part of a named argument, or in a positional value */
  inValue: boolean;
  /** the parameter the slot under the cursor binds to (named, positional, or the next positional) */
  param: ParamSpec | null;
  /** index of the positional slot (for variadic runs) */
  positionalIndex: number;
  /** the slot is a variadic run of a plot */
  variadic: boolean;
  /** parameter names already given */
  given: Set<string>;
  /** a new slot after named arguments: only a `name = value` argument can go here */
  namesOnly: boolean;
}

export interface Location {
  stmt: Statement | null;
  /** offset where the statement's region ends (next statement, or end of text) */
  regionEnd: number;
  call: CallContext | null;
  select: SelectExpr | null;
  /** the identifier under (or just before) the cursor */
  ident: Ident | null;
}

export function isWordChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}

export function locate(a: Analysis, offset: number): Location {
  const stmts = a.tree.statements;
  let stmt: Statement | null = null;
  let regionEnd = a.text.length;
  for (let i = 0; i < stmts.length; i++) {
    if (stmts[i].start <= offset) {
      stmt = stmts[i];
      regionEnd = i + 1 < stmts.length ? stmts[i + 1].start : a.text.length;
    } else break;
  }
  // a statement on an earlier line whose span has ended does not own the cursor, unless it has an unclosed bracket
  if (stmt && offset > stmt.end && !hasUnclosed(stmt.kind === 'def' || stmt.kind === 'plot' || stmt.kind === 'expect' || stmt.kind === 'expr' ? stmt.value : null)) {
    const between = a.text.slice(stmt.end, offset);
    if (/[\r\n]/.test(between)) stmt = null;
  }
  const loc: Location = { stmt, regionEnd, call: null, select: null, ident: null };
  if (!stmt) return loc;
  const visit = (e: Expr, limit: number): void => {
    if (e.kind === 'ident' && e.start <= offset && offset <= e.end) loc.ident = e;
    if (e.kind === 'call') {
      if (e.callee.start <= offset && offset <= e.callee.end) loc.ident = e.callee;
      const inside = offset > e.open && (e.close !== null ? offset <= e.close : offset <= limit);
      if (!inside) return;
      loc.call = callContext(e, offset, inClaim);
      loc.select = null;
      for (let i = 0; i < e.args.length; i++) {
        const arg = e.args[i];
        const argLimit = e.close ?? limit;
        if (arg.name && arg.name.start <= offset && offset <= arg.name.end) loc.ident = arg.name;
        if (arg.value.start <= offset && (offset <= arg.value.end || hasUnclosed(arg.value))) visit(arg.value, argLimit);
      }
    } else if (e.kind === 'list') {
      const inside = offset > e.start && (e.close !== null ? offset <= e.close : offset <= limit);
      if (!inside) return;
      for (const it of e.items) if (it.start <= offset && (offset <= it.end || hasUnclosed(it))) visit(it, e.close ?? limit);
    } else if (e.kind === 'select') {
      if (e.target.start <= offset && offset <= e.target.end) loc.ident = e.target;
      const inside = offset > e.open && (e.close !== null ? offset <= e.close : offset <= limit);
      if (!inside) return;
      loc.select = e;
      loc.call = null;
      for (const it of [e, ...e.more]) {
        if (it.param && it.param.start <= offset && offset <= it.param.end) loc.ident = it.param;
        if (it.value && it.value.start <= offset && offset <= it.value.end) visit(it.value, e.close ?? limit);
      }
    } else if (e.kind === 'binary' || e.kind === 'compare') {
      // a claim: the operand under the cursor
      for (const x of [e.left, e.right, ...(e.kind === 'compare' && e.within ? [e.within.value] : [])]) {
        if (x.start <= offset && (offset <= x.end || hasUnclosed(x))) visit(x, limit);
      }
    } else if (e.kind === 'neg') visit(e.operand, limit);
    else if (e.kind === 'paren') visit(e.inner, e.close ?? limit);
  };
  const inClaim = stmt.kind === 'expect';
  if (stmt.kind === 'def' && stmt.name.start <= offset && offset <= stmt.name.end) loc.ident = stmt.name;
  visit(stmt.value, regionEnd);
  return loc;
}

function hasUnclosed(e: Expr | null): boolean {
  if (!e) return false;
  if (e.kind === 'call') return e.close === null || e.args.some((x) => hasUnclosed(x.value));
  if (e.kind === 'list') return e.close === null || e.items.some(hasUnclosed);
  if (e.kind === 'select') return e.close === null;
  if (e.kind === 'binary' || e.kind === 'compare') return hasUnclosed(e.left) || hasUnclosed(e.right);
  if (e.kind === 'paren') return e.close === null || hasUnclosed(e.inner);
  if (e.kind === 'neg') return hasUnclosed(e.operand);
  return false;
}

function callContext(e: CallExpr, offset: number, inClaim: boolean): CallContext {
  // inside `expect`, `final(…)` is the claim term, not the plot
  const b = (inClaim ? CLAIM_BY_NAME.get(e.callee.name) : undefined) ?? BUILTIN_BY_NAME.get(e.callee.name) ?? null;
  const given = new Set<string>();
  let positional = 0;
  let slotPositional = -1;
  let arg: Arg | null = null;
  let inValue = false;
  let param: ParamSpec | null = null;
  // the slot under the cursor: the argument whose span (extended to the next comma) holds the offset
  let slot = 0;
  for (const c of e.commas) if (c < offset) slot++;
  const isMetric = b?.kind === 'metric';
  let sawNamed = false;
  let namedBefore = false;
  for (let i = 0; i < e.args.length; i++) {
    const x = e.args[i];
    const argSlot = e.commas.filter((c) => c < x.start).length;
    if (argSlot === slot && x.start <= offset && (offset <= x.end || x.value.kind === 'missing')) {
      arg = x;
      if (x.name) {
        inValue = x.eq !== null && offset > x.eq;
        param = b?.params.find((p) => p.name === x.name!.name || p.aliases?.includes(x.name!.name)) ?? null;
      } else {
        inValue = true;
        slotPositional = positional;
        namedBefore = sawNamed;
      }
    }
    if (x.name) sawNamed = true;
    if (x.name) given.add(b?.params.find((p) => p.aliases?.includes(x.name!.name))?.name ?? x.name.name);
    else if (x.value.kind !== 'missing') {
      if (b && !isMetric && positional < b.positional.length) given.add(b.positional[positional]);
      if (argSlot < slot || x !== arg) positional++;
    }
  }
  if (!arg) slotPositional = positional;
  let variadic = false;
  // an identifier typed after named arguments can only be a parameter name being written
  if (b && arg && !arg.name && namedBefore) {
    const typed = arg.value.kind === 'ident' ? arg.value.name : '';
    param = b.params.find((p) => !given.has(p.name) && p.name.startsWith(typed)) ?? null;
    return { call: e, builtin: b, arg, inValue: false, param, positionalIndex: -1, variadic: false, given, namesOnly: true };
  }
  if (b && !arg && sawNamed) return { call: e, builtin: b, arg, inValue: false, param: null, positionalIndex: -1, variadic: false, given, namesOnly: true };
  if (b && slotPositional >= 0 && !param) {
    if (!isMetric && slotPositional < b.positional.length) param = b.params.find((p) => p.name === b.positional[slotPositional]) ?? null;
    else if (b.variadic) variadic = true;
  }
  return { call: e, builtin: b, arg, inValue, param, positionalIndex: slotPositional, variadic, given, namesOnly: false };
}
