// Canonical JSON (sorted keys; non-finite numbers spelled out) and a 64-bit string hash
// (two independent 32-bit FNV-1a/murmur-mixed lanes), for cache keys.

export function canonicalJson(x: unknown): string {
  if (x === null || x === undefined) return 'null';
  if (typeof x === 'number') return Number.isFinite(x) ? JSON.stringify(x === 0 ? 0 : x) : `"${String(x)}"`;
  if (typeof x === 'string' || typeof x === 'boolean') return JSON.stringify(x);
  if (Array.isArray(x)) return `[${x.map(canonicalJson).join(',')}]`;
  if (typeof x === 'object') {
    const o = x as Record<string, unknown>;
    return `{${Object.keys(o)
      .filter((k) => o[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`)
      .join(',')}}`;
  }
  return 'null';
}

function mix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

export function hashBytes(b: Uint8Array, seed = 0): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < b.length; i++) h = Math.imul(h ^ b[i], 0x01000193);
  return mix(h ^ b.length);
}

export function hashString(s: string): string {
  const b = new TextEncoder().encode(s);
  const a = hashBytes(b, 0x3c6ef372);
  const c = hashBytes(b, 0x5be0cd19);
  return a.toString(16).padStart(8, '0') + c.toString(16).padStart(8, '0');
}
