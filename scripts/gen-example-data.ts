// Writes examples/data/teacher-300.csv once (committed; re-run to regenerate the same bytes):
// 300 rows of a linear teacher, x ∈ ℝ⁵ ~ N(0, I), y = ⟨u*, x⟩ + 0.3·noise (teacher(n = 300,
// p = 5, k = 1, noise = 0.3), root seed 7, before the 1/√n rescaling), rounded to 6 significant
// digits, with a header line. Run: npx tsx scripts/gen-example-data.ts
import { writeFileSync } from 'node:fs';
import { rawRegression } from '../src/core/numeric/data';

const spec = { kind: 'teacher', n: 300, p: 5, k: 1, noise: 0.3, test: 0, activation: 'linear', neurons: 1, seed: 0 } as const;
const d = rawRegression(spec, 7);
const lines = ['x1,x2,x3,x4,x5,y'];
for (let i = 0; i < d.n; i++) {
  const row = [...d.X.subarray(i * d.p, (i + 1) * d.p), d.Y[i]!];
  lines.push(row.map((v) => String(Number(v.toPrecision(6)))).join(','));
}
writeFileSync(new URL('../examples/data/teacher-300.csv', import.meta.url), lines.join('\n') + '\n');
