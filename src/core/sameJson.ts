// Structural equality of JSON values (what crosses a postMessage boundary): the extension uses
// it to leave out of a results message the runs the page already holds unchanged (protocol.ts,
// RunReuse). Exact: numbers by ===, so a run that differs in the last bit is sent again.

export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) {
      const x = a[i], y = b[i];
      // metric arrays are numbers (or arrays of numbers): compare without the call
      if (x !== y && !(typeof x === 'object' && x !== null && sameJson(x, y))) return false;
    }
    return true;
  }
  if (Array.isArray(b)) return false;
  const ka = Object.keys(a as object), kb = Object.keys(b as object);
  if (ka.length !== kb.length) return false;
  const ob = b as Record<string, unknown>, oa = a as Record<string, unknown>;
  for (const k of ka) {
    if (!Object.prototype.hasOwnProperty.call(ob, k)) return false;
    if (!sameJson(oa[k], ob[k])) return false;
  }
  return true;
}
