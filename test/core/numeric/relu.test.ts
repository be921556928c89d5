// Varre et al. §7: on a ReLU teacher, label noise (δ = 1) aligns the student's neurons with the
// teacher directions; GD leaves them spread. Alignment = each neuron's largest |cos| with a
// teacher neuron, averaged over the student's neurons.
import { describe, expect, it } from 'vitest';
import { runTraining } from '../../../src/core/numeric/run';
import { gd, ln, mean, spec, teacher } from './helpers';

describe('ReLU network: label noise raises neuron alignment', () => {
  it('mean alignment after 10⁴ steps: label noise > GD, on average over 10 seeds and on most of them', async () => {
    // The effect is systematic but per-seed noisy: over seeds 0–15 (this stream) the gap
    // (label noise − GD) was −0.065…+0.245, mean 0.094, s.d. 0.086, positive on 13 of 16 (old
    // stream: 2 of seeds 0–8 below 0.1). So the claim is on the mean over seeds 0–9: the s.e. of a
    // 10-seed mean is 0.086/√10 ≈ 0.027, and gap > 0.02 sits 2.7 s.e. below the 16-seed mean
    // (10-seed windows of seeds 0–15 measured 0.074–0.106; seeds 0–9: 0.106); and on a majority of
    // seeds (measured 8 of 10). Without the noise (δ = 0 in relu2.ts) the two runs are the same: gap 0.
    const diffs: number[] = [];
    for (let seed = 0; seed < 10; seed++) {
      const data = teacher(50, 5, 1, { activation: 'relu', neurons: 2, seed, test: 0 });
      const model = { kind: 'relu2' as const, width: 10, init: { kind: 'gaussian' as const, scale: 0.5 }, seed };
      const a = await runTraining(spec(data, model, gd(0.05), 10000, 5, { seed }));
      const b = await runTraining(spec(data, model, ln(0.05, 1), 10000, 5, { seed }));
      expect(a.status).toBe('done');
      expect(b.status).toBe('done');
      const al = (o: typeof a) => mean((o.trajectory.metrics.alignment as number[][]).at(-1)!);
      // same init (shared model stream): same alignment at step 0
      expect((a.trajectory.metrics.alignment as number[][])[0]).toEqual((b.trajectory.metrics.alignment as number[][])[0]);
      diffs.push(al(b) - al(a));
      // GD fits the data (the ReLU teacher is realisable; measured final loss ≤ 2.7e-3 on seeds 0–15)
      expect((a.trajectory.metrics.loss as number[]).at(-1)!).toBeLessThan(1e-2);
    }
    expect(mean(diffs)).toBeGreaterThan(0.02);
    expect(diffs.filter((d) => d > 0).length).toBeGreaterThan(diffs.length / 2);
  });
});
