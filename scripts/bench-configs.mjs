// The stepping-core bench's configurations (scripts/bench.mjs; the record's share,
// scripts/bench-record.mjs): one list, so both measure the same rows. The RunSpec of each is
// bench/benchSpecs.ts's specFor.
// Init scale 1 as in Varre et al.'s Fig. 1 for the small sizes; 0.1 (≈ 1/√l) for the large ones,
// where N(0, 1) weights make lr = 0.01 unstable (and non-finite numbers would distort timings).
export const configs = [
  { name: 'label-noise GD linear2 (1000,5,10,2)', model: 'linear2', n: 1000, p: 5, l: 10, k: 2, lr: 0.01, delta: 1, scale: 1 },
  { name: 'label-noise GD linear2 (100,10,20,1)', model: 'linear2', n: 100, p: 10, l: 20, k: 1, lr: 0.01, delta: 1, scale: 1 },
  { name: 'label-noise GD linear2 (200,50,100,5)', model: 'linear2', n: 200, p: 50, l: 100, k: 5, lr: 0.01, delta: 1, scale: 0.1 },
  { name: 'label-noise GD linear2 (1000,100,200,10)', model: 'linear2', n: 1000, p: 100, l: 200, k: 10, lr: 0.01, delta: 1, scale: 0.1 },
  { name: 'SGD (b=1) diagonal (n,d) = (20,30)', model: 'diagonal', n: 20, d: 30, lr: 0.01 },
  // wide sizes of the other models (no numpy reference): the SIMD products of products.ts, x scalar side by side
  { name: 'GD deep_linear 100×100 (depth 4, width 100)', model: 'deep_linear', rows: 100, cols: 100, depth: 4, width: 100, lr: 0.01, scale: 0.1, batch: null },
  { name: 'SGD (b=1) deep_linear 100×100 (depth 4, width 100)', model: 'deep_linear', rows: 100, cols: 100, depth: 4, width: 100, lr: 0.01, scale: 0.1, batch: 1 },
  { name: 'label-noise GD relu2 (n,p,width) = (1000,50,200)', model: 'relu2', n: 1000, p: 50, width: 200, lr: 0.01, delta: 1, scale: 0.1, batch: null },
  // a minibatch step is ~25× cheaper than the full batch's while a record still sees all n samples
  { name: 'label-noise SGD (b=32) relu2 (n,p,width) = (1000,50,200)', model: 'relu2', n: 1000, p: 50, width: 200, lr: 0.01, delta: 1, scale: 0.1, batch: 32 },
];
