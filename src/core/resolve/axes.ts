// Family axes: how a list in a definition becomes a swept coordinate, how coordinates are
// labelled and how members are compared. The checker (selections, `final`'s x, member counts)
// and lowering (member ids `name[lr=0.05]`) both use these, so they cannot disagree.

/** One swept parameter, identified by where its list is written. */
export interface AxisId {
  /** identity: `owner:path` of the list, or `run:name:label` for an axis inherited from a run */
  id: string;
  /** the parameter the list is passed to */
  name: string;
  /** the definition the list is written in */
  owner: string;
  /** the label used when two axes share `name`: `r.lr`, `gd.lr`, `data.seed` */
  qual: string;
}

/**
 * The axis of a list written at `path` (`owner/train.optimizer/sgd.lr`) as argument `param` of a
 * definition `owner`. Qualified by the call it is an argument of (`sparse.seed`) inside a run's
 * own text, by the definition otherwise (`data.seed`); a list given to `train` itself is its name.
 */
export function listAxis(param: string, owner: string, path: string, ownerIsRun: boolean): AxisId {
  const callee = /\/([^/]+)\.[^./]+$/.exec(path)?.[1] ?? null;
  const qual = callee === null || callee === 'train' ? param : ownerIsRun ? `${callee}.${param}` : `${owner}.${param}`;
  return { id: `${owner}:${path}`, name: param, owner, qual };
}

/** The axis a run `name` brings to what continues from it, for its member coordinate `label`. */
export function runAxis(name: string, label: string): AxisId {
  return { id: `run:${name}:${label}`, name: label, owner: name, qual: `${name}.${label}` };
}

/**
 * `lrs = linspace(...)` passed as `lr = lrs`: a bare list definition (or an alias of one) is named
 * after the parameter it feeds; lists inside calls keep their own names.
 */
export function renamedFor<A extends AxisId>(ax: A, param: string): A {
  return ax.id.endsWith(`:${ax.owner}`) ? { ...ax, name: param, qual: `${ax.owner}.${param}` } : ax;
}

/**
 * Coordinate labels of a family's axes: the parameter name; the qualified name when two axes
 * share it; the axis id when even the qualified names collide.
 */
export function axisLabels(axes: readonly AxisId[]): Map<string, string> {
  const ids = new Map<string, Set<string>>();
  for (const ax of axes) ids.set(ax.name, (ids.get(ax.name) ?? new Set()).add(ax.id));
  const labels = new Map<string, string>();
  for (const ax of axes) labels.set(ax.id, (ids.get(ax.name)?.size ?? 0) > 1 ? ax.qual : ax.name);
  const used = new Map<string, number>();
  for (const l of labels.values()) used.set(l, (used.get(l) ?? 0) + 1);
  for (const [id, l] of labels) if ((used.get(l) ?? 0) > 1) labels.set(id, id);
  return labels;
}

/** The graph refuses (and the checker reports) families beyond this many members. */
export const MAX_MEMBERS = 10_000;

/** One member of a value: the value, its coordinates by axis id, the run ids it continues from. */
export interface Member<V> {
  v: V;
  coords: Map<string, { axis: AxisId; value: number }>;
  parents: string[];
}

/**
 * The members of a call: the Cartesian product of its arguments' members, consistent on shared
 * axes (a list referenced twice is one axis, its members zipped, not crossed).
 */
export function combine<V>(parts: { key: string; vs: Member<V>[] }[]): { args: Record<string, V>; coords: Member<V>['coords']; parents: string[] }[] {
  let acc: { args: Record<string, V>; coords: Member<V>['coords']; parents: string[] }[] = [{ args: {}, coords: new Map(), parents: [] }];
  for (const { key, vs } of parts) {
    const next: typeof acc = [];
    for (const a of acc)
      for (const v of vs) {
        const coords = new Map(a.coords);
        // same axis, different member: not a combination
        if ([...v.coords].some(([id, c]) => coords.has(id) && coords.get(id)!.value !== c.value)) continue;
        for (const [id, c] of v.coords) coords.set(id, c);
        next.push({ args: { ...a.args, [key]: v.v }, coords, parents: [...a.parents, ...v.parents] });
      }
    acc = next;
  }
  return acc;
}

/** Member equality: a coordinate against a written value, equal up to rounding (0.1 + 0.2 is 0.3). */
/** Does a member with these coordinates match every pair of a selection `r[p = v, q = w]`? */
export function matchesSelection(coord: (param: string) => number | undefined, where: readonly { param: string; value: number }[]): boolean {
  return where.every((w) => {
    const x = coord(w.param);
    return x !== undefined && sameNumber(x, w.value);
  });
}

/** `lr = 0.1, delta = 2`: a selection's pairs as text (messages). */
export function selectionText(where: readonly { param: string; value: number }[]): string {
  return where.map((w) => `${w.param} = ${w.value}`).join(', ');
}

export function sameNumber(a: number, b: number): boolean {
  return a === b || Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));
}

/** Short, stable rendering of a coordinate value for member ids. */
function fmtNum(v: number): string {
  if (Number.isInteger(v)) return String(v);
  return String(Number(v.toPrecision(6)));
}

/** The display id of a family member: `name[lr=0.05,batch=2]` (plain `name` without coordinates). */
export function memberId(name: string, coords: Record<string, number>): string {
  const parts = Object.entries(coords).map(([k, v]) => `${k}=${fmtNum(v)}`);
  return parts.length ? `${name}[${parts.join(',')}]` : name;
}
