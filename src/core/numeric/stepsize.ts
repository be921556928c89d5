// Stepsize schedules: η_t for the step from θ_t to θ_{t+1}, t = 0, 1, …, and the sums the run
// loop and the theory need in closed form (a run may have 10⁹ steps; a checkpoint resumes at any t):
//   time(t) = Σ_{u<t} η_u   (the x axis `time`),   sq(t) = Σ_{u<t} η_u²   (Theorem 4.2's clock).
//
//   cosine(from, to), horizon T (the run's steps):  η_t = to + (from − to)·(1 + cos(πt/T))/2
//       η_0 = from, decreasing to η_T = to (the last step taken is t = T − 1).
//   step_decay(from, factor, every):                η_t = from · factor^⌊t/every⌋
//   warmup(to, steps = S):                          η_t = to·(t + 1)/S for t < S, then to
//       (linear warm-up: η_0 = to/S, η_{S−1} = to, constant after).
// A constant stepsize is a plain number and never goes through here (its runs keep their bits).
import type { ScheduleSpec } from './spec';

export function stepsizeAt(s: ScheduleSpec, t: number): number {
  switch (s.kind) {
    case 'cosine':
      return s.to + (s.from - s.to) * 0.5 * (1 + Math.cos((Math.PI * Math.min(t, s.horizon)) / s.horizon));
    case 'step_decay':
      return s.from * Math.pow(s.factor, Math.floor(t / s.every));
    case 'warmup':
      return t < s.steps ? (s.to * (t + 1)) / s.steps : s.to;
  }
}

/** The largest stepsize of the first `steps` steps (the stability check's). */
export function maxStepsize(s: ScheduleSpec, steps: number): number {
  switch (s.kind) {
    case 'cosine':
      return Math.max(s.from, s.to);
    case 'step_decay':
      return s.factor <= 1 ? s.from : stepsizeAt(s, Math.max(0, steps - 1));
    case 'warmup':
      return s.to;
  }
}

/** Σ_{u<t} cos(πu/T) = sin(πt/2T)·cos(π(t−1)/2T) / sin(π/2T) (Lagrange's identity). */
function cosSum(t: number, T: number): number {
  if (t <= 0) return 0;
  const h = Math.PI / (2 * T);
  return (Math.sin(t * h) * Math.cos((t - 1) * h)) / Math.sin(h);
}
/** Σ_{u<t} cos²(πu/T)... via cos² = (1 + cos 2x)/2: Σ_{u<t} cos(2πu/T) = sin(πt/T)·cos(π(t−1)/T)/sin(π/T). */
function cos2Sum(t: number, T: number): number {
  if (t <= 0) return 0;
  const h = Math.PI / T;
  const s = Math.sin(h);
  // T = 1 or 2: sin(π/T) = 0 only for T = 1, where every u < t with u < T is u = 0
  const c2 = Math.abs(s) < 1e-300 ? t : (Math.sin(t * h) * Math.cos((t - 1) * h)) / s;
  return 0.5 * (t + c2);
}

/** Σ_{u<t} η_u. */
export function timeAt(s: ScheduleSpec, t: number): number {
  switch (s.kind) {
    case 'cosine': {
      const T = s.horizon, tt = Math.min(t, T);
      const a = (s.from + s.to) / 2, b = (s.from - s.to) / 2;
      return a * tt + b * cosSum(tt, T) + (t - tt) * s.to;
    }
    case 'step_decay': {
      const k = Math.floor(t / s.every), r = t - k * s.every, fk = Math.pow(s.factor, k);
      const full = s.factor === 1 ? k : (1 - fk) / (1 - s.factor);
      return s.from * (s.every * full + r * fk);
    }
    case 'warmup': {
      const S = s.steps, tt = Math.min(t, S);
      return (s.to * tt * (tt + 1)) / (2 * S) + (t - tt) * s.to;
    }
  }
}

/** Σ_{u<t} η_u². */
export function sqSumAt(s: ScheduleSpec, t: number): number {
  switch (s.kind) {
    case 'cosine': {
      // η_u = a + b·c_u, c_u = cos(πu/T): Σ η² = a²t + 2ab Σc + b² Σc²
      const T = s.horizon, tt = Math.min(t, T);
      const a = (s.from + s.to) / 2, b = (s.from - s.to) / 2;
      return a * a * tt + 2 * a * b * cosSum(tt, T) + b * b * cos2Sum(tt, T) + (t - tt) * s.to * s.to;
    }
    case 'step_decay': {
      const f2 = s.factor * s.factor;
      const k = Math.floor(t / s.every), r = t - k * s.every, fk = Math.pow(f2, k);
      const full = f2 === 1 ? k : (1 - fk) / (1 - f2);
      return s.from * s.from * (s.every * full + r * fk);
    }
    case 'warmup': {
      // Σ_{u<tt} (u + 1)² = tt(tt + 1)(2tt + 1)/6
      const S = s.steps, tt = Math.min(t, S);
      return ((s.to * s.to) * tt * (tt + 1) * (2 * tt + 1)) / (6 * S * S) + (t - tt) * s.to * s.to;
    }
  }
}
