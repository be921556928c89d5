// The reference graph between definitions, analysed without recursion: a generated file can
// chain thousands of definitions (`a2 = a1`, `a1 = a0`, …), and every recursive walk of the
// checker (categories, shapes, axes) and of the lowering would overflow the stack on it.
//
// Tarjan's strongly connected components (iterative, O(V + E)) give the cycles; it emits the
// components dependencies-first, so one pass in emission order gives each definition's depth
// (the longest chain of references below it, itself included).

export interface GraphFacts {
  /** the components of more than one definition, or of one that refers to itself */
  cycles: string[][];
  /** depth of each definition outside cycles: 1 + the deepest definition it refers to */
  depth: Map<string, number>;
  /** the reference through which each definition reaches its depth (for messages) */
  via: Map<string, string>;
}

export function analyseGraph(nodes: Iterable<string>, edges: (n: string) => readonly string[]): GraphFacts {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const cycles: string[][] = [];
  const depth = new Map<string, number>();
  const via = new Map<string, string>();
  const inCycle = new Set<string>();
  let counter = 0;

  const finish = (members: string[]) => {
    const selfLoop = members.length === 1 && edges(members[0]).includes(members[0]);
    if (members.length > 1 || selfLoop) {
      cycles.push(members);
      for (const m of members) inCycle.add(m);
      return;
    }
    // a single definition: every reference was finished before it (or is in a cycle)
    const n = members[0];
    let d = 1;
    for (const e of edges(n)) {
      const de = depth.get(e);
      if (de !== undefined && de + 1 > d) {
        d = de + 1;
        via.set(n, e);
      }
    }
    depth.set(n, d);
  };

  for (const root of nodes) {
    if (index.has(root)) continue;
    // explicit DFS stack: (node, position in its edge list)
    const work: [string, number][] = [[root, 0]];
    index.set(root, counter);
    low.set(root, counter++);
    stack.push(root);
    onStack.add(root);
    while (work.length) {
      const top = work[work.length - 1];
      const [n, i] = top;
      const out = edges(n);
      if (i < out.length) {
        top[1]++;
        const m = out[i];
        if (!index.has(m)) {
          index.set(m, counter);
          low.set(m, counter++);
          stack.push(m);
          onStack.add(m);
          work.push([m, 0]);
        } else if (onStack.has(m)) low.set(n, Math.min(low.get(n)!, index.get(m)!));
        continue;
      }
      work.pop();
      if (work.length) {
        const parent = work[work.length - 1][0];
        low.set(parent, Math.min(low.get(parent)!, low.get(n)!));
      }
      if (low.get(n) === index.get(n)) {
        const members: string[] = [];
        let m: string;
        do {
          m = stack.pop()!;
          onStack.delete(m);
          members.push(m);
        } while (m !== n);
        members.reverse();
        finish(members);
      }
    }
  }
  return { cycles, depth, via };
}

/**
 * One cycle through `start` inside its component (iterative DFS restricted to the members,
 * each visited once: linear in the component), as the list of definitions in order.
 */
export function cycleThrough(start: string, members: ReadonlySet<string>, edges: (n: string) => readonly string[]): string[] {
  const parent = new Map<string, string>();
  const work: [string, number][] = [[start, 0]];
  const visited = new Set([start]);
  while (work.length) {
    const top = work[work.length - 1];
    const [n, i] = top;
    const out = edges(n);
    if (i >= out.length) {
      work.pop();
      continue;
    }
    top[1]++;
    const m = out[i];
    if (!members.has(m)) continue;
    if (m === start) {
      const path = [n];
      for (let p = n; p !== start; ) {
        p = parent.get(p)!;
        path.push(p);
      }
      return path.reverse();
    }
    if (!visited.has(m)) {
      visited.add(m);
      parent.set(m, n);
      work.push([m, 0]);
    }
  }
  return [start];
}
