// From a RunSpec to a ready stepper: data, optimiser conventions, streams, model.

import type { RunSpec } from './spec';
import { makeData, type Dataset } from './data';
import { resolveOptimizer, SpecError, type OptConfig, type Stepper } from './model';
import { Rng } from './rng';
import { Linear2, type Linear2Options } from './linear2';
import { Diagonal } from './diagonal';
import { DeepLinear } from './deep_linear';
import { Relu2 } from './relu2';
import { HeavyBall } from './momentum';

export interface Built {
  data: Dataset;
  opt: OptConfig;
  stepper: Stepper;
}

/** Depth of the offshoot chain (0 for a run started from its model's init). */
export function generation(spec: RunSpec): number {
  let g = 0;
  for (let s = spec.from; s; s = s.from) g++;
  return g;
}

export function buildRun(spec: RunSpec, linear2Options: Linear2Options = {}): Built {
  const data = makeData(spec.data, spec.rootSeed);
  const nSamples = data.kind === 'regression' ? data.n : data.observed.length;
  const opt = resolveOptimizer(spec.optimizer, nSamples);
  const model = spec.model;
  const init = Rng.stream(spec.rootSeed, model.seed, 'init');
  // the noise stream: keyed by the run's own seed; an offshoot draws from the next generation of
  // that key, so it does not replay its parent's noise
  const noise = Rng.stream(spec.rootSeed, spec.seed, 'noise', generation(spec));
  let stepper: Stepper;
  if (model.kind === 'deep_linear') {
    if (data.kind !== 'completion') throw new SpecError('deep_linear trains on completion data (a matrix with missing entries)');
    stepper = new DeepLinear(data, model, opt, init, noise);
  } else {
    if (data.kind !== 'regression') throw new SpecError(`${model.kind} trains on regression data (teacher or sparse), not completion`);
    if (model.kind === 'linear2') stepper = new Linear2(data, model, opt, init, noise, linear2Options);
    else if (model.kind === 'diagonal') stepper = new Diagonal(data, model, opt, noise);
    else stepper = new Relu2(data, model, opt, init, noise);
  }
  if (opt.momentum > 0) {
    const hadTheory = Object.keys(stepper.theory()).length > 0;
    stepper = new HeavyBall(stepper, opt.momentum);
    if (hadTheory) stepper.notes.push(`theory lines omitted: Theorem 4.2 is stated for momentum 0 (this run has μ = ${opt.momentum})`);
  }
  return { data, opt, stepper };
}
