// A bounded in-memory cache of computed values, evicting the least recently used first once the
// total estimated size exceeds the budget. A Map keeps insertion order, so
// re-inserting on every hit makes its first key the least recently used one.

export class MemoryCache<V> {
  private readonly map = new Map<string, { value: V; bytes: number }>();
  private total = 0;

  constructor(
    private maxBytes: number,
    private readonly sizeOf: (v: V) => number,
    /** called for every entry evicted for space (not for explicit deletes) */
    private readonly onEvict?: (key: string, value: V) => void,
  ) {}

  get(key: string): V | undefined {
    const e = this.map.get(key);
    if (!e) return undefined;
    this.map.delete(key);
    this.map.set(key, e);
    return e.value;
  }

  /** like get, without refreshing the entry's recency */
  peek(key: string): V | undefined {
    return this.map.get(key)?.value;
  }

  has(key: string): boolean {
    return this.map.has(key);
  }

  set(key: string, value: V): void {
    const bytes = Math.max(1, this.sizeOf(value));
    this.delete(key);
    // a value larger than the whole budget is not kept (it would evict everything and itself)
    if (bytes > this.maxBytes) return;
    this.map.set(key, { value, bytes });
    this.total += bytes;
    this.shrink();
  }

  delete(key: string): boolean {
    const e = this.map.get(key);
    if (!e) return false;
    this.map.delete(key);
    this.total -= e.bytes;
    return true;
  }

  setBudget(maxBytes: number): void {
    this.maxBytes = maxBytes;
    this.shrink();
  }

  get bytes(): number {
    return this.total;
  }
  get size(): number {
    return this.map.size;
  }
  keys(): IterableIterator<string> {
    return this.map.keys();
  }

  private shrink(): void {
    while (this.total > this.maxBytes && this.map.size > 0) {
      const [k, e] = this.map.entries().next().value as [string, { value: V; bytes: number }];
      this.map.delete(k);
      this.total -= e.bytes;
      this.onEvict?.(k, e.value);
    }
  }
}
