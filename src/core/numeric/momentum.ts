// Heavy-ball momentum (Polyak) around any model's plain step:
//   θ_{t+1} = θ_t − η∇L(θ_t) + μ(θ_t − θ_{t−1}),   i.e.   v_{t+1} = μv_t − η∇L(θ_t),  θ_{t+1} = θ_t + v_{t+1},
// with v_0 = 0. The model's own step (weight decay and label noise included) gives the plain
// iterate θ_t − η∇L(θ_t); this wrapper adds μv_t to it and keeps v_{t+1} = θ_{t+1} − θ_t. The
// velocity is run state: it is in every checkpoint (arrays `velocity0`, `velocity1`, … in the order
// of the model's params()), so a resumed run is bit-identical to an uninterrupted one. An offshoot
// does not inherit it (checkpoint.ts offshootReads): a continued run starts at rest.
// With μ = 0 this wrapper is not built at all (build.ts), so the plain runs' bits do not change.
import type { MetricValue, Stepper, StepperState } from './model';
import { SpecError } from './model';

export const VELOCITY_PREFIX = 'velocity';

export class HeavyBall implements Stepper {
  private readonly vel: Float64Array[];
  private readonly prev: Float64Array[];
  readonly notes: string[];

  constructor(
    readonly inner: Stepper,
    readonly mu: number,
  ) {
    const ps = inner.params();
    this.vel = ps.map((p) => new Float64Array(p.length));
    this.prev = ps.map((p) => new Float64Array(p.length));
    this.notes = inner.notes;
  }

  step(): number {
    const { vel, prev, mu } = this;
    const before = this.inner.params();
    for (let i = 0; i < before.length; i++) prev[i].set(before[i]);
    const probe = this.inner.step();
    // the model's buffers may have been swapped by its step (linear2): read them afresh
    const after = this.inner.params();
    for (let i = 0; i < after.length; i++) {
      const th = after[i], v = vel[i], p0 = prev[i];
      for (let j = 0; j < th.length; j++) {
        const x = th[j] + mu * v[j];
        th[j] = x;
        v[j] = x - p0[j];
      }
    }
    return probe;
  }

  loss(): number {
    return this.inner.loss();
  }

  metrics(): Record<string, MetricValue> {
    return this.inner.metrics();
  }

  params(): Float64Array[] {
    return this.inner.params();
  }

  getState(): StepperState {
    const s = this.inner.getState();
    this.vel.forEach((v, i) => (s.arrays[`${VELOCITY_PREFIX}${i}`] = Float64Array.from(v)));
    return s;
  }

  setState(s: StepperState): void {
    this.inner.setState(s);
    this.vel.forEach((v, i) => {
      const x = s.arrays[`${VELOCITY_PREFIX}${i}`];
      if (x === undefined) v.fill(0);
      else if (x.length !== v.length) throw new SpecError('momentum: checkpoint velocity does not match the model shape');
      else v.set(x);
    });
  }

  /** the theory lines (Theorem 4.2) are for the plain methods */
  theory(): Record<string, number> {
    return {};
  }
}
