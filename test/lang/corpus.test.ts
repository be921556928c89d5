// Corpus of valid and invalid files: every diagnostic asserted by severity, code, range (marked
// «…» in the source) and message.
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkDocument as checkWithout, type CheckOptions } from '../../src/core/lang';
import { numericHooks } from '../../src/core/checkHooks';
import { fmtBytes, fmtSeconds } from '../../src/core/lang/domain';
import { marked } from './helpers';

/** The checker as the server and the CLI run it: with the numeric core's hooks. */
const checkDocument = (text: string, opts: CheckOptions = {}) => checkWithout(text, { ...numericHooks(), ...opts });

const base = 'data = teacher(n = 40, p = 10)\nnet = linear2(width = 20, init = gaussian(scale = 0.1))\n';

interface Case {
  name: string;
  src: string;
  /** in the order of the «» ranges */
  expect: { severity: string; code: string; message: RegExp | string }[];
}

const cases: Case[] = [
  {
    name: 'unknown name with did-you-mean',
    src: base + 'r = train(«nt», data, gd(lr = 0.01), steps = 100)',
    expect: [{ severity: 'error', code: 'unknown-name', message: "unknown name 'nt': did you mean 'net'?" }],
  },
  {
    name: 'unknown function with did-you-mean',
    src: 'net = «linaer2»(width = 3)',
    expect: [{ severity: 'error', code: 'unknown-function', message: "unknown function 'linaer2': did you mean 'linear2'?" }],
  },
  {
    name: 'unknown parameter with did-you-mean',
    src: base + 'r = train(net, data, sgd(lr = 0.1, «bach» = 2), steps = 100)',
    expect: [{ severity: 'error', code: 'unknown-parameter', message: "sgd(…) has no parameter 'bach': did you mean 'batch'?" }],
  },
  {
    name: 'a parameter of a sibling built-in says where it belongs',
    src: 'o = gd(lr = 0.1, «delta» = 2)',
    expect: [{ severity: 'error', code: 'unknown-parameter', message: "gd(…) has no parameter 'delta'; its parameters: lr, momentum, weight_decay ('delta' belongs to label_noise(…), sgf(…))" }],
  },
  {
    name: 'duplicate definitions: one error, on the redefinition',
    src: 'data = teacher(n = 4, p = 2)\n«data» = teacher(n = 5, p = 2)',
    expect: [
      { severity: 'error', code: 'duplicate', message: "'data' is defined 2 times (on lines 1, 2): only the first definition is used" },
    ],
  },
  {
    name: 'shadowing a metric',
    src: base + '«loss» = train(net, data, gd(lr = 0.01), steps = 10)',
    expect: [{ severity: 'error', code: 'shadows-builtin', message: /shadows the built-in metric loss/ }],
  },
  {
    name: 'reserved word',
    src: '«true» = 3',
    expect: [{ severity: 'error', code: 'reserved', message: "'true' is a reserved word and cannot be defined" }],
  },
  {
    name: 'cycle names the cycle',
    src: '«a» = train(b, data, gd(lr = 0.1), steps = 10)\n«b» = train(a, data, gd(lr = 0.1), steps = 10)\ndata = teacher(n = 4, p = 2)',
    expect: [
      { severity: 'error', code: 'cycle', message: 'cycle: a → b → a' },
      { severity: 'error', code: 'cycle', message: 'cycle: a → b → a' },
    ],
  },
  {
    name: 'out of range and non-integer',
    src: 'd = teacher(n = «-4», p = «2.5»)',
    expect: [
      { severity: 'error', code: 'range', message: "'n' of teacher(…) must be ≥ 1 (got -4)" },
      { severity: 'error', code: 'range', message: "'p' of teacher(…) must be a whole number (got 2.5)" },
    ],
  },
  {
    name: 'wrong type: a model where data is expected',
    src: base + 'r = train(net, «net», gd(lr = 0.1), steps = 10)',
    expect: [{ severity: 'error', code: 'type', message: "'data' of train(…) takes a data set; 'net' is a model" }],
  },
  {
    name: 'missing required argument',
    src: base + 'r = «train»(net, data, gd(lr = 0.1))',
    expect: [{ severity: 'error', code: 'missing-argument', message: "train(…) needs 'steps'" }],
  },
  {
    name: 'word from a fixed set',
    src: base + 'r = train(net, data, gd(lr = 0.01), steps = 10)\nplot singular_values(r, of = «W3»)',
    expect: [{ severity: 'error', code: 'unknown-word', message: "'of' is one of W1 | W2 | product, not 'W3': did you mean 'W1'?" }],
  },
  {
    name: 'gain only for diagonal networks',
    src: base + 'r = train(net, data, gd(lr = 0.01), steps = 10)\nplot gain(«r»)',
    expect: [{ severity: 'error', code: 'incompatible-metric', message: "Gain_γ is defined for diagonal networks; 'r' trains a linear2 model" }],
  },
  {
    name: 'logdet only for linear2',
    src: 'data = sparse(n = 20, d = 30, s = 3)\nnet = diagonal(alpha = 0.1)\nr = train(net, data, gd(lr = 0.01), steps = 10)\nplot logdet(«r»)',
    expect: [{ severity: 'error', code: 'incompatible-metric', message: "logdet is defined for linear2; 'r' trains a diagonal model" }],
  },
  {
    name: 'completion data only with deep_linear',
    src: 'data = completion(observed = [[1, ?], [0.3, 1]])\nnet = linear2(width = 4)\nr = train(net, «data», gd(lr = 0.01), steps = 10)',
    expect: [{ severity: 'error', code: 'incompatible', message: 'completion data is for deep_linear models; this run trains a linear2 model' }],
  },
  {
    name: 'alignment only for relu2',
    src: base + 'r = train(net, data, gd(lr = 0.01), steps = 10)\nplot alignment(«r»)',
    expect: [{ severity: 'error', code: 'incompatible-metric', message: "alignment is defined for relu2; 'r' trains a linear2 model" }],
  },
  {
    name: 'rank deficiency warning: width < p + k',
    src: 'data = teacher(n = 40, p = 10, k = 1)\nnet = linear2(width = 5)\nr = train(«net», data, gd(lr = 0.01), steps = 10)\ns = train(net, data, sgd(lr = 0.01), steps = 10)',
    expect: [{ severity: 'warning', code: 'rank-deficient', message: /det\(θᵀθ\) is 0 for all time because width = 5 < p \+ k = 11/ }],
  },
  {
    name: 'GD stability warning',
    src: base + 'r = train(net, data, gd(«lr = 3»), steps = 10)',
    expect: [{ severity: 'warning', code: 'unstable-lr', message: /lr = 3 above GD's stability limit 2\/λ_max\(XᵀX\) ≈ [\d.]+ .*GD diverges at this stepsize/ }],
  },
  {
    name: 'GD stability on a diagonal network is only a note',
    src: 'data = sparse(n = 20, d = 30, s = 3)\nnet = diagonal(alpha = 0.1)\nr = train(net, data, gd(«lr = [0.1, 0.9]»), steps = 10)',
    expect: [{ severity: 'info', code: 'unstable-lr', message: /^1 of 2 members \(lr = 0\.9\) above 2\/λ_max\(XᵀX\) ≈ [\d.]+ .*a diagonal network's own limit scales with 1\/\(2\|β\|\)/ }],
  },
  {
    name: 'oversized experiment is refused with its estimate',
    src: 'data = teacher(n = 1e9, p = 10)\nnet = linear2(width = 20, init = gaussian(scale = 0.1))\nr = «train»(net, data, gd(lr = 0.01), steps = 100)',
    expect: [{ severity: 'error', code: 'too-expensive', message: /too large to run: memory ≈ \d+(\.\d+)? GB \(limit .*\), time ≈ .* \(limit 30 min\)/ }],
  },
  {
    name: 'a family beyond the member limit is refused',
    src: base + 'r = «train»(net, data, sgd(lr = linspace(0.01, 0.1, 200), batch = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]), steps = 10, seed = [1, 2, 3, 4, 5, 6])',
    expect: [{ severity: 'error', code: 'too-expensive', message: 'this family has 12000 members (a grid of 200 lr × 10 batch × 6 seed); the limit is 10000' }],
  },
  {
    name: 'selection of a missing member',
    src: base + 'r = train(net, data, gd(lr = [0.1, 0.2]), steps = 10)\nplot loss(r[lr = «0.3»])',
    expect: [{ severity: 'error', code: 'no-member', message: "'r' has no member with lr = 0.3; its values: 0.1, 0.2" }],
  },
  {
    name: 'selection of a non-family',
    src: base + 'r = train(net, data, gd(lr = 0.1), steps = 10)\nplot loss(«r»[lr = 0.1])',
    expect: [{ severity: 'error', code: 'not-a-family', message: /'r' is not a family/ }],
  },
  {
    name: 'selection over an unswept parameter',
    src: base + 'r = train(net, data, gd(lr = [0.1, 0.2]), steps = 10)\nplot loss(r[«batch» = 1])',
    expect: [{ severity: 'error', code: 'unknown-axis', message: "'r' is not swept over 'batch'; its swept parameters: lr" }],
  },
  {
    name: 'final over a parameter the families do not share',
    src: base + 'r = train(net, data, gd(lr = [0.1, 0.2]), steps = 10)\nplot final(loss, r, x = «delta»)',
    expect: [{ severity: 'error', code: 'unknown-axis', message: /not all swept over 'delta'; they share: lr/ }],
  },
  {
    name: 'a list where one number is expected',
    src: base + 'r = train(net, data, gd(lr = 0.1), steps = 10, record = «[10, 20]»)',
    expect: [{ severity: 'error', code: 'no-sweep', message: "'record' of train(…) takes one number, not a list" }],
  },
  {
    name: 'metric outside a plot',
    src: base + 'x = «loss»(r)',
    expect: [{ severity: 'error', code: 'metric-outside-plot', message: /loss\(…\) is a metric: draw it with `plot loss\(…\)`/ }],
  },
  {
    name: 'unclosed parenthesis recovers at the next statement',
    src: 'data = teacher«(»n = 40, p = 10\nnet = linear2(width = 20, init = gaussian(scale = 0.1))\nr = train(net, data, gd(lr = 0.1), steps = 10)',
    expect: [{ severity: 'error', code: 'unclosed', message: "'(' of teacher(…) is never closed: expected ')'" }],
  },
  {
    name: 'unterminated string',
    src: base + 'r = train(net, data, gd(lr = 0.1), steps = 10)\nplot loss«(»r, title = «"abc»',
    expect: [
      { severity: 'error', code: 'unclosed', message: "'(' of loss(…) is never closed: expected ')'" },
      { severity: 'error', code: 'unterminated-string', message: 'unterminated string' },
    ],
  },
  {
    name: 'stray token after a statement',
    src: 'x = 3 «)»',
    expect: [{ severity: 'error', code: 'syntax', message: "unexpected ')': a statement ends at the end of its line" }],
  },
  {
    name: 'sparse: s must fit in d',
    src: 'data = sparse(n = 10, d = 3, s = «5»)',
    expect: [{ severity: 'error', code: 'range', message: 's = 5 non-zeros do not fit in d = 3 coordinates: s ≤ d' }],
  },
  {
    name: 'ragged observed matrix',
    src: 'data = completion(observed = [[1, ?], «[0.3]»])',
    expect: [{ severity: 'error', code: 'matrix-shape', message: 'row 2 has 1 entries, row 1 has 2: a matrix is rectangular' }],
  },
  {
    name: 'batch larger than n',
    src: base + 'r = train(net, data, sgd(lr = 0.01, «batch = 50»), steps = 10)',
    expect: [{ severity: 'error', code: 'range', message: 'batch = 50 is larger than the number of samples (40)' }],
  },
  {
    name: 'sgf only for linear2',
    src: 'data = sparse(n = 20, d = 30, s = 3)\nnet = diagonal(alpha = 0.1)\nr = train(net, data, «sgf(dt = 0.01, lr = 0.01, delta = 1)», steps = 10)',
    expect: [{ severity: 'error', code: 'incompatible', message: /sgf integrates the stochastic gradient flow of the two-layer linear network/ }],
  },
  {
    name: 'positional after named',
    src: 'data = «teacher»(n = 4, «2»)',
    expect: [
      { severity: 'error', code: 'missing-argument', message: "teacher(…) needs 'p' (input dimension)" },
      { severity: 'error', code: 'positional-after-named', message: 'a positional argument cannot follow a named one: write `name = value`' },
    ],
  },
  {
    name: 'quoted word offers the fix',
    src: base + 'r = train(net, data, gd(lr = 0.01), steps = 10)\nplot loss(r, y = «"log"»)',
    expect: [{ severity: 'error', code: 'quoted-word', message: "write log without quotes: 'y' takes a word" }],
  },
  {
    name: 'offshoot needs data of the same shape',
    src: base + 'other = teacher(n = 40, p = 3)\nr = train(net, data, gd(lr = 0.01), steps = 10)\ns = train(«r», other, gd(lr = 0.01), steps = 10)',
    expect: [{ severity: 'error', code: 'offshoot-shape', message: /an offshoot continues the parameters of its parent run/ }],
  },
  {
    name: 'deep_linear needs completion data',
    src: base + 'deep = deep_linear(depth = 3, width = 2)\nr = train(«deep», data, gd(lr = 0.01), steps = 10)',
    expect: [{ severity: 'error', code: 'incompatible', message: 'deep_linear is trained on matrix completion data, completion(…); this run has teacher data' }],
  },
  {
    name: 'relu2 has one output',
    src: 'data = teacher(n = 40, p = 5, k = 2)\nnet = relu2(width = 4)\nr = train(net, «data», gd(lr = 0.01), steps = 10)',
    expect: [{ severity: 'error', code: 'incompatible', message: 'a relu2 network has one output, but the teacher has k = 2 outputs: use k = 1' }],
  },
  {
    name: 'a ReLU teacher has one output',
    src: 'data = teacher(n = 40, p = 5, k = «2», activation = relu)',
    expect: [{ severity: 'error', code: 'incompatible', message: 'a ReLU teacher has one output: k must be 1' }],
  },
  {
    name: 'alignment needs a ReLU teacher',
    src: 'data = teacher(n = 40, p = 5)\nnet = relu2(width = 4)\nr = train(net, data, gd(lr = 0.01), steps = 10)\nplot alignment(«r»)',
    expect: [{ severity: 'error', code: 'incompatible-metric', message: /alignment measures neurons against the directions of a ReLU teacher/ }],
  },
  {
    name: 'completion: observed and a size are exclusive; neither is an error',
    src: 'a = completion(observed = [[1, ?]], rows = «2», cols = 2)\nb = «completion»(rank = 1)',
    expect: [
      { severity: 'error', code: 'conflict', message: 'give either observed = [[…]] or rows and cols, not both' },
      { severity: 'error', code: 'missing-argument', message: /completion\(…\) needs observed = \[\[…\]\]/ },
    ],
  },
  {
    name: 'a number where an initialisation is expected offers gaussian(scale = …)',
    src: 'net = linear2(width = 4, init = «0.5»)',
    expect: [{ severity: 'error', code: 'type', message: "'init' takes an initialisation: write gaussian(scale = 0.5)" }],
  },
  {
    name: 'unknown metric in final(…)',
    src: base + 'r = train(net, data, gd(lr = [0.1, 0.2]), steps = 10)\nplot final(«tset_loss», r, x = lr)',
    expect: [{ severity: 'error', code: 'unknown-metric', message: "'tset_loss' is not a metric: did you mean 'test_loss'?" }],
  },
  {
    name: 'the root seed is one whole number',
    src: 'seed = «[1, 2]»',
    expect: [{ severity: 'error', code: 'type', message: /the root seed is one whole number/ }],
  },
  {
    name: 'aliases of nodes are refused',
    src: base + 'm = «net»',
    expect: [{ severity: 'error', code: 'alias', message: "'m = net' only renames net: use 'net' directly" }],
  },
  {
    name: 'warnings: theory without a theory line, repeated member, empty test set',
    src: 'data = teacher(n = 40, p = 10, test = 0)\nnet = linear2(width = 20, init = gaussian(scale = 0.1))\nr = train(net, data, gd(lr = [0.1, «0.1»]), steps = 10)\nplot loss(r, «theory = true»)\nplot test_loss(«r»)',
    expect: [
      { severity: 'warning', code: 'duplicate-member', message: '0.1 appears twice in the list: the family has a repeated member' },
      { severity: 'warning', code: 'no-theory', message: 'loss has no theory line; theory = true draws nothing' },
      { severity: 'warning', code: 'empty-test-set', message: "'r' has test = 0: there is no test set to measure" },
    ],
  },
  {
    name: 'relu2 records the singular values of W1 only; rank at any tol, of the product only for deep_linear',
    src: 'data = teacher(n = 40, p = 5, activation = relu)\nnet = relu2(width = 4)\nr = train(net, data, gd(lr = 0.01), steps = 10)\nplot singular_values(«r», of = W2)\nd2 = completion(observed = [[1, ?], [0.3, 1]])\nm = deep_linear(depth = 3, width = 2)\nq = train(m, d2, sgd(lr = 0.1), steps = 10)\nplot rank(q, tol = 0.01)\nplot rank(«q», of = W1)',
    expect: [
      { severity: 'error', code: 'incompatible-metric', message: 'for a relu2 model the singular values are recorded for its first layer: use of = W1 (not W2)' },
      { severity: 'error', code: 'incompatible-metric', message: 'a deep_linear model has only the end-to-end matrix: use of = product (not W1)' },
    ],
  },
  {
    name: 'deep_linear of depth 2 gets a note',
    src: 'data = completion(observed = [[1, ?], [0.3, 1]])\nnet = deep_linear(depth = «2», width = 2)',
    expect: [{ severity: 'info', code: 'shallow', message: /rank jumps need depth ≥ 3/ }],
  },
  {
    name: 'a family member out of range is reported at the list',
    src: base + 'r = train(net, data, sgd(lr = [0.1, «-0.1»]), steps = 10)',
    expect: [{ severity: 'error', code: 'range', message: "'lr' of sgd(…) must be > 0 (got -0.1)" }],
  },
  {
    name: 'a selection by two parameters: each pair checked at its own place, the rest of the call still parsed',
    src: base + 'r = train(net, data, gd(lr = [0.1, 0.2]), steps = 10, seed = [1, 2])\nplot loss(r[lr = 0.1, seed = 1], y = «lg»)\ns = train(r[lr = 0.2, seed = «[f(1), 2]»], data, gd(lr = 0.01), steps = 10)\nplot loss(r[lr = 0.1, «sed» = 1, «lr» = 0.2, seed = «3»])\nplot loss«(»r«[»lr = 0.1, seed = 1',
    expect: [
      { severity: 'error', code: 'unknown-word', message: "'y' is one of linear | log, not 'lg': did you mean 'log'?" },
      { severity: 'error', code: 'type', message: 'a selection picks a member by a number: r[seed = 0.1]' },
      { severity: 'error', code: 'unknown-axis', message: "'r' is not swept over 'sed'; its swept parameters: lr, seed. Did you mean 'seed'?" },
      { severity: 'error', code: 'duplicate-selection', message: "'lr' is selected twice in r[…]" },
      { severity: 'error', code: 'no-member', message: "'r' has no member with seed = 3; its values: 1, 2" },
      { severity: 'error', code: 'unclosed', message: "'(' of loss(…) is never closed: expected ')'" },
      { severity: 'error', code: 'unclosed', message: "'[' of r[…] is never closed: expected ']'" },
    ],
  },
  {
    name: "kind labels take the right article ('an optimiser', 'an initialisation')",
    src: base + 'o = gd(lr = 0.1)\ng = gaussian(scale = 1)\nq = train(net, data, «g», steps = 10)\nm = linear2(width = 3, init = «o»)\nm2 = linear2(width = 3, init = «gd»(lr = 1))\nq2 = train(net, data, «\"x\"», steps = 10)\nq3 = train(net, «o», o, steps = 10)\nplot loss(«o»)\nplot «gaussian»(o)',
    expect: [
      { severity: 'error', code: 'type', message: "'optimizer' of train(…) takes an optimiser; 'g' is an initialisation" },
      { severity: 'error', code: 'type', message: "'init' of linear2(…) takes an initialisation; 'o' is an optimiser" },
      { severity: 'error', code: 'type', message: "'init' of linear2(…) takes an initialisation; gd(…) is an optimiser" },
      { severity: 'error', code: 'type', message: "'optimizer' of train(…) takes an optimiser, not a string" },
      { severity: 'error', code: 'type', message: "'data' of train(…) takes a data set; 'o' is an optimiser" },
      { severity: 'error', code: 'type', message: "a plot draws runs; 'o' is an optimiser" },
      { severity: 'error', code: 'plot-expects-metric', message: 'plot draws a metric (loss, logdet, …) or final(…); gaussian(…) is an initialisation' },
    ],
  },
  // ---- one mistake, one diagnostic ----
  {
    name: 'a stray character between arguments is one lexical error (not also a missing comma or a misplaced argument)',
    src: 'x = teacher(n = 4 «@», p = 2)\ny = «teacher»(n = 4, «@»)\nz = teacher(n = 4 «@» p = 2)',
    expect: [
      { severity: 'error', code: 'lexical', message: "unexpected character '@'" },
      { severity: 'error', code: 'missing-argument', message: "teacher(…) needs 'p' (input dimension)" },
      { severity: 'error', code: 'lexical', message: "unexpected character '@'" },
      { severity: 'error', code: 'lexical', message: "unexpected character '@'" },
    ],
  },
  {
    name: 'a stray character in a list or after a statement is one lexical error; what follows still gets its own',
    src: 'x = [1 «@» 2]\ny = 3 «@»\nz = 3 «@» «foo»\n«@»',
    expect: [
      { severity: 'error', code: 'lexical', message: "unexpected character '@'" },
      { severity: 'error', code: 'lexical', message: "unexpected character '@'" },
      { severity: 'error', code: 'lexical', message: "unexpected character '@'" },
      { severity: 'error', code: 'syntax', message: "unexpected 'foo': a statement ends at the end of its line" },
      { severity: 'error', code: 'lexical', message: "unexpected character '@'" },
    ],
  },
  {
    name: 'a half-typed selection: the missing value only, not also a type error',
    src: base + 'r = train(net, data, gd(lr = [0.1, 0.2]), steps = 10)\nplot loss«(»r«[»lr =«» ',
    expect: [
      { severity: 'error', code: 'unclosed', message: "'(' of loss(…) is never closed: expected ')'" },
      { severity: 'error', code: 'unclosed', message: "'[' of r[…] is never closed: expected ']'" },
      { severity: 'error', code: 'missing-expression', message: "expected a value after 'lr ='" },
    ],
  },
  {
    name: 'a malformed selection value is one lexical error',
    src: base + 'r = train(net, data, gd(lr = [0.1, 0.2]), steps = 10)\nplot loss(r[lr = «@»])',
    expect: [{ severity: 'error', code: 'lexical', message: "unexpected character '@'" }],
  },
  {
    name: '`x == 3` reports the second = once',
    src: 'x =«=» 3',
    expect: [{ severity: 'error', code: 'missing-expression', message: "expected an expression after 'x ='" }],
  },
  {
    name: 'a number out of range is one lexical error, at the literal and at its uses',
    src: 'x = teacher(n = «1e999», p = 2)\ny = «1e999»\nd = teacher(n = y, p = 2)\nm = linear2(width = «2e»)',
    expect: [
      { severity: 'error', code: 'lexical', message: 'number out of range' },
      { severity: 'error', code: 'lexical', message: 'number out of range' },
      { severity: 'error', code: 'lexical', message: 'malformed number: the exponent has no digits' },
    ],
  },
  {
    name: 'an unclosed call is still being typed: no missing-argument errors beside the unclosed bracket',
    src: base + 's = train«(»net, data, gd«(»lr =«» \nt = train«(»net, data, gd(lr = 0.1)\nplot final«(»\nplot loss«(»\nc = completion«(»',
    expect: [
      { severity: 'error', code: 'unclosed', message: "'(' of train(…) is never closed: expected ')'" },
      { severity: 'error', code: 'unclosed', message: "'(' of gd(…) is never closed: expected ')'" },
      { severity: 'error', code: 'missing-expression', message: "expected a value after 'lr ='" },
      { severity: 'error', code: 'unclosed', message: "'(' of train(…) is never closed: expected ')'" },
      { severity: 'error', code: 'unclosed', message: "'(' of final(…) is never closed: expected ')'" },
      { severity: 'error', code: 'unclosed', message: "'(' of loss(…) is never closed: expected ')'" },
      { severity: 'error', code: 'unclosed', message: "'(' of completion(…) is never closed: expected ')'" },
    ],
  },
  {
    name: 'a closed call still reports what it misses',
    src: base + 's = «train»(net, data, gd(lr = 0.1))\nplot «final»()\nplot «final»(loss)\nplot «loss»()\nc = «completion»()',
    expect: [
      { severity: 'error', code: 'missing-argument', message: "train(…) needs 'steps'" },
      { severity: 'error', code: 'missing-argument', message: 'final(…) needs a metric and the families to draw: final(test_loss, family, x = lr)' },
      { severity: 'error', code: 'missing-argument', message: /^final\(…\) needs at least one run/ },
      { severity: 'error', code: 'missing-argument', message: 'loss(…) needs at least one run: plot loss(run)' },
      { severity: 'error', code: 'missing-argument', message: /^completion\(…\) needs observed/ },
    ],
  },
];

describe('corpus: invalid files', () => {
  for (const c of cases) {
    it(c.name, () => {
      const { text, ranges } = marked(c.src);
      const { program } = checkDocument(text);
      const got = program.diagnostics;
      expect(got.map((d) => [d.severity, d.code])).toEqual(c.expect.map((e) => [e.severity, e.code]));
      got.forEach((d, i) => {
        expect(d.range).toEqual(ranges[i]);
        const m = c.expect[i].message;
        if (typeof m === 'string') expect(d.message).toBe(m);
        else expect(d.message).toMatch(m);
      });
      expect(program.ok).toBe(!got.some((d) => d.severity === 'error'));
    });
  }
});

it('a duplicate carries related information pointing at the other site', () => {
  const { program } = checkDocument('a = 1\na = 2');
  expect(program.diagnostics[0].range.start.line).toBe(1);
  expect(program.diagnostics[0].related).toEqual([{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } }, message: "'a' is first defined here (the definition used)" }]);
});

const examples = join(__dirname, '../../examples');
describe('corpus: valid files', () => {
  const valid: Record<string, string> = {
    'spec example 1': `# SGD vs GD: rank deficiency in a two-layer linear network
seed = 1

data = teacher(n = 40, p = 10, k = 1)
net  = linear2(width = 20, init = gaussian(scale = 0.5))

gd   = train(net, data, gd(lr = 0.01), steps = 20000)
ln   = train(net, data, label_noise(lr = 0.01, delta = 2), steps = 20000)

plot logdet(gd, ln, theory = true)
plot singular_values(gd, ln, of = W1, top = 5)
plot loss(gd, ln, y = log)
`,
    'offshoot and seeds family': `data = completion(observed = [[1, ?], [0.3, 1]])
net = deep_linear(depth = 3, width = 2)
big = train(net, data, sgd(lr = 0.7, weight_decay = 0.015), steps = 1000, seed = [1, 2, 3])
small = train(big, data, sgd(lr = 0.1), steps = 1000)
plot sv_ratio(big, small)
plot singular_values(big, of = product)
plot distance(big)
plot missing_error(big)
plot imbalance(small)
`,
    'relu teacher': `data = teacher(n = 200, p = 5, activation = relu, neurons = 2)
net = relu2(width = 20, init = gaussian(scale = 0.5))
ln = train(net, data, label_noise(lr = 0.05, delta = 1), steps = 2000)
plot alignment(ln)
`,
  };
  for (const f of readdirSync(examples).filter((x) => x.endsWith('.sgdexp'))) valid[f] = readFileSync(join(examples, f), 'utf8');
  for (const [name, text] of Object.entries(valid)) {
    it(`${name} has no errors`, () => {
      // an example's data files are read next to it (examples/data), as the CLI reads them
      const file = join(examples, name);
      const { program } = checkDocument(text, numericHooks({ file, roots: [examples] }));
      expect(program.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      expect(program.ok).toBe(true);
    });
  }
});

// Two swept parameters of one run with the same name (`lr` of the parent run r and `lr` of the
// run's own optimiser) are two axes, labelled r.lr and gd.lr as src/core/lower.ts labels them.
describe('swept parameters sharing a name are distinct axes', () => {
  const parent = base + 'r = train(net, data, gd(lr = «[0.1, 0.2]»), steps = 10)\n';
  const diag = (src: string) => {
    const { text, ranges } = marked(src);
    return { ranges, program: checkDocument(text).program };
  };
  it('a selection by the shared name is ambiguous, naming both sites', () => {
    const { ranges, program } = diag(parent + 's = train(r, data, gd(lr = «[0.01, 0.02]»), steps = 10)\nplot loss(s[«lr» = 0.01])');
    expect(program.diagnostics).toEqual([{
      range: ranges[2], severity: 'error', code: 'ambiguous-axis',
      message: "'s' sweeps 2 parameters named lr (r.lr, gd.lr), so a selection cannot tell them apart by the name 'lr': sweep lr in one place only",
      related: [{ range: ranges[0], message: 'r.lr is swept here' }, { range: ranges[1], message: 'gd.lr is swept here' }],
    }]);
  });
  it('so is final(…, x = lr)', () => {
    const { ranges, program } = diag(parent + 's = train(r, data, gd(lr = «[0.01, 0.02]»), steps = 10)\nplot final(loss, s, x = «lr»)');
    expect(program.diagnostics).toEqual([{
      range: ranges[2], severity: 'error', code: 'ambiguous-axis',
      message: "'s' sweeps 2 parameters named lr (r.lr, gd.lr), so x cannot tell them apart by the name 'lr': sweep lr in one place only",
      related: [{ range: ranges[0], message: 'r.lr is swept here' }, { range: ranges[1], message: 'gd.lr is swept here' }],
    }]);
  });
  it('final(…) without x says the qualified axes cannot be named', () => {
    const { ranges, program } = diag(base.replace('p = 10', 'p = 10, seed = [1, 2]') + 'r = train(net, data, gd(lr = 0.01), steps = 10, seed = [3, 4])\nplot «final»(loss, r)');
    expect(program.diagnostics.map((d) => [d.range, d.severity, d.code, d.message])).toEqual([
      [ranges[0], 'error', 'missing-argument', 'final(…) needs x: the families are swept over data.seed, seed; x can be seed (a qualified parameter such as data.seed cannot be named)'],
    ]);
  });
  it('member counts multiply the two axes instead of merging their values', () => {
    const { ranges, program } = diag(base + 'r = train(net, data, gd(lr = linspace(0.01, 0.1, 100)), steps = 10)\ns = «train»(r, data, gd(lr = linspace(0.01, 0.02, 101)), steps = 10)');
    expect(program.diagnostics.map((d) => [d.range, d.severity, d.code, d.message])).toEqual([
      [ranges[0], 'error', 'too-expensive', 'this family has 10100 members (a grid of 100 r.lr × 101 gd.lr); the limit is 10000'],
    ]);
  });
  it('the families are reported with their qualified labels', () => {
    const { program } = checkDocument(marked(parent + 's = train(r, data, gd(lr = [0.01, 0.02]), steps = 10)').text);
    expect(program.definitions.find((d) => d.name === 's')!.family).toEqual([
      { param: 'r.lr', values: [0.1, 0.2], from: 'r' }, { param: 'gd.lr', values: [0.01, 0.02] },
    ]);
  });
});

/** Every diagnostic of `src` as [range, severity, code, message], ranges marked «…» in `src`. */
function diagnose(src: string, opts: CheckOptions = {}) {
  const { text, ranges } = marked(src);
  const { program } = checkDocument(text, opts);
  return { ranges, got: program.diagnostics.map((d) => [d.range, d.severity, d.code, d.message]), program };
}

// Boundaries of the domain checks, each on both sides, so an off-by-one (`<` for `≤`, a dropped
// factor) fails a test.
describe('domain check boundaries', () => {
  const teacher = 'data = teacher(n = 40, p = 10, k = 2)\n';
  it('rank deficiency: width = p + k − 1 warns, width = p + k does not', () => {
    const warn = diagnose(teacher + 'net = linear2(width = 11)\nr = train(«net», data, gd(lr = 0.01), steps = 10)');
    expect(warn.got).toEqual([[warn.ranges[0], 'warning', 'rank-deficient', 'det(θᵀθ) is 0 for all time because width = 11 < p + k = 12 (θ = [W1ᵀ | W2] is width × (p + k)): the determinant plot carries no signal']]);
    expect(diagnose(teacher + 'net = linear2(width = 12)\nr = train(net, data, gd(lr = 0.01), steps = 10)').got).toEqual([]);
  });
  it('rank deficiency of a model written inline in the run', () => {
    // each inline model is its own θ: both warn (only a (model, data) pair of names warns once)
    const { ranges, got } = diagnose(teacher + 'r = train(«linear2(width = 3)», data, gd(lr = 0.01), steps = 10)\ns = train(linear2(width = 12), data, gd(lr = 0.01), steps = 10)\nt = train(«linear2(width = 4)», data, sgd(lr = 0.01), steps = 10)');
    expect(got).toEqual([
      [ranges[0], 'warning', 'rank-deficient', 'det(θᵀθ) is 0 for all time because width = 3 < p + k = 12 (θ = [W1ᵀ | W2] is width × (p + k)): the determinant plot carries no signal'],
      [ranges[1], 'warning', 'rank-deficient', 'det(θᵀθ) is 0 for all time because width = 4 < p + k = 12 (θ = [W1ᵀ | W2] is width × (p + k)): the determinant plot carries no signal'],
    ]);
  });
  // λ_max given by the hook: the limit 2/λ_max = 0.5 is exact in floating point
  const known = { lambdaMax: () => 4 };
  const net = 'data = teacher(n = 40, p = 10)\nnet = linear2(width = 20, init = gaussian(scale = 0.1))\n';
  it('stability: lr = 2/λ_max exactly is stable, just above it warns', () => {
    expect(diagnose(net + 'r = train(net, data, gd(lr = 0.5), steps = 10)', known).got).toEqual([]);
    const { ranges, got } = diagnose(net + 'r = train(net, data, gd(«lr = 0.50001»), steps = 10)', known);
    expect(got).toEqual([[ranges[0], 'warning', 'unstable-lr', "lr = 0.50001 above GD's stability limit 2/λ_max(XᵀX) ≈ 0.5 (λ_max ≈ 4, of this data set): GD diverges at this stepsize"]]);
  });
  it('stability without the data set: the Marchenko–Pastur edge (1 + √(p/n))² = 4 for n = p', () => {
    const square = 'data = teacher(n = 10, p = 10)\nnet = linear2(width = 20, init = gaussian(scale = 0.1))\n';
    const edge = { lambdaMax: () => null };
    expect(diagnose(square + 'r = train(net, data, gd(lr = 0.5), steps = 10)', edge).got).toEqual([]);
    const { ranges, got } = diagnose(square + 'r = train(net, data, gd(«lr = [0.4, 0.50001, 0.6]»), steps = 10)', edge);
    expect(got).toEqual([[ranges[0], 'warning', 'unstable-lr', "2 of 3 members (lr = 0.50001, 0.6) above GD's stability limit 2/λ_max(XᵀX) ≈ 0.5 (λ_max ≈ 4, Marchenko–Pastur edge (1 + √(p/n))²): GD diverges at this stepsize"]]);
  });
  it('sgd with batch ≥ n takes full-batch GD steps and gets GD\'s stability check; a genuine minibatch does not', () => {
    const full = diagnose(net + 'r = train(net, data, sgd(«lr = 3», batch = 40), steps = 10)', known);
    expect(full.got).toEqual([[full.ranges[0], 'warning', 'unstable-lr', "lr = 3 above GD's stability limit 2/λ_max(XᵀX) ≈ 0.5 (λ_max ≈ 4, of this data set): GD diverges at this stepsize (batch = 40 ≥ n = 40: every step is a full-batch GD step)"]]);
    expect(diagnose(net + 'r = train(net, data, sgd(lr = 3, batch = 39), steps = 10)', known).got).toEqual([]);
    expect(diagnose(net + 'r = train(net, data, sgd(lr = 0.5, batch = 40), steps = 10)', known).got).toEqual([]);
    const mixed = diagnose(net + 'r = train(net, data, sgd(«lr = 3», batch = [10, 40]), steps = 10)', known);
    expect(mixed.got).toEqual([[mixed.ranges[0], 'warning', 'unstable-lr', "lr = 3 above GD's stability limit 2/λ_max(XᵀX) ≈ 0.5 (λ_max ≈ 4, of this data set): GD diverges at this stepsize (for the members with batch ≥ n = 40, which take full-batch GD steps; smaller batches are not checked)"]]);
    const ln = diagnose(net + 'r = train(net, data, label_noise(«lr = 3», delta = 1, batch = 40), steps = 10)', known);
    expect(ln.got).toEqual([[ln.ranges[0], 'warning', 'unstable-lr', "lr = 3 above GD's stability limit 2/λ_max(XᵀX) ≈ 0.5 (λ_max ≈ 4, of this data set): GD diverges at this stepsize (batch = 40 ≥ n = 40: every step is a full-batch GD step)"]]);
  });
  it('sgd with batch = n, λ_max of the actual data set', () => {
    const { ranges, got } = diagnose(net + 'r = train(net, data, sgd(«lr = 3», batch = 40), steps = 10)');
    expect(got.map((d) => d.slice(0, 3))).toEqual([[ranges[0], 'warning', 'unstable-lr']]);
    expect(got[0][3]).toMatch(/^lr = 3 above GD's stability limit 2\/λ_max\(XᵀX\) ≈ [\d.]+ \(λ_max ≈ [\d.]+, of this data set\): GD diverges at this stepsize \(batch = 40 ≥ n = 40/);
  });
  // the time limit alone (memory far below its limit); the time of a family is per member × members
  const cost = (seconds: number) => ({ estimate: () => ({ bytes: 1000, flops: 2e12, seconds }), limits: { bytes: 1e9, seconds: 1800 } });
  it('an experiment over the time limit only is refused, with its time estimate', () => {
    expect(diagnose(net + 'r = train(net, data, gd(lr = 0.01), steps = 10)', cost(1800)).got).toEqual([]);
    const { ranges, got } = diagnose(net + 'r = «train»(net, data, gd(lr = 0.01), steps = 10)', cost(1801));
    expect(got).toEqual([[ranges[0], 'error', 'too-expensive', 'this experiment is too large to run: memory ≈ 1 KB (limit 1 GB), time ≈ 30 min (limit 30 min), ≈ 2.0e+12 flops per run']]);
  });
  it('a family over the time limit counts every member', () => {
    expect(diagnose(net + 'r = train(net, data, gd(lr = 0.01), steps = 10)', cost(1000)).got).toEqual([]);
    const { ranges, got } = diagnose(net + 'r = «train»(net, data, gd(lr = [0.01, 0.02]), steps = 10)', cost(1000));
    expect(got).toEqual([[ranges[0], 'error', 'too-expensive', 'this experiment is too large to run: memory ≈ 1 KB (limit 1 GB), time ≈ 33 min for 2 members (limit 30 min), ≈ 2.0e+12 flops per run']]);
  });
  it('estimates print without exponent notation', () => {
    expect([fmtBytes(1000), fmtBytes(999), fmtBytes(1023 * 1024), fmtBytes(1.5e9)]).toEqual(['1 KB', '999 B', '1.05 MB', '1.5 GB']);
    expect([fmtSeconds(100), fmtSeconds(119), fmtSeconds(6000), fmtSeconds(7100), fmtSeconds(200 * 86400)]).toEqual(['100 s', '119 s', '100 min', '118 min', '200 days']);
  });
  it('with the real estimator: a long run of a small model exceeds the time limit only', () => {
    const { ranges, got } = diagnose(net + 'r = «train»(net, data, gd(lr = 0.01), steps = 1e9)');
    expect(got).toHaveLength(1);
    expect(got[0].slice(0, 3)).toEqual([ranges[0], 'error', 'too-expensive']);
    expect(got[0][3]).toMatch(/^this experiment is too large to run: memory ≈ [\d.]+ KB \(limit 1 GB\), time ≈ [\d.]+ (min|h) \(limit 30 min\)/);
  });
});

describe('lexical recovery', () => {
  it('an unterminated string on an early line does not swallow the lines after it', () => {
    const { ranges, got, program } = diagnose('x = «"abc»\ny = «linaer2»(width = 3)\nplot loss«(»r, title = «"t»\nnet2 = linear2(width = «-1»)\nz = 3\n' + base + 'r = train(net, data, gd(lr = 0.01), steps = 10)');
    expect(got).toEqual([
      [ranges[0], 'error', 'unterminated-string', 'unterminated string'],
      [ranges[1], 'error', 'unknown-function', "unknown function 'linaer2': did you mean 'linear2'?"],
      [ranges[2], 'error', 'unclosed', "'(' of loss(…) is never closed: expected ')'"],
      [ranges[3], 'error', 'unterminated-string', 'unterminated string'],
      [ranges[4], 'error', 'range', "'width' of linear2(…) must be ≥ 1 (got -1)"],
    ]);
    expect(program.definitions.map((d) => d.name)).toEqual(['x', 'y', 'net2', 'z', 'data', 'net', 'r']);
  });
});

// The refusal sits on the run's name; related information points at what to change.
describe('too-expensive errors point at their cause', () => {
  const related = (src: string) => {
    const { ranges, program } = diagnose(src);
    const d = program.diagnostics.filter((x) => x.code === 'too-expensive');
    expect(d).toHaveLength(1);
    return { ranges, d: d[0], related: (d[0].related ?? []).map((r) => [r.range, r.message]) };
  };
  it('a huge data set: its n in the data definition', () => {
    const { ranges, d, related: r } = related('data = teacher(«n = 1e9», p = 10)\nnet = linear2(width = 20, init = gaussian(scale = 0.1))\nr = «train»(net, data, gd(lr = 0.01), steps = 100)');
    expect(d.range).toEqual(ranges[1]);
    expect(r).toHaveLength(1);
    expect(r[0][0]).toEqual(ranges[0]);
    expect(r[0][1]).toMatch(/^n = 1000000000 dominates the memory estimate: with n = 40 it would be ≈ [\d.]+ KB$/);
  });
  it('a long run: its steps', () => {
    const { ranges, related: r } = related('data = teacher(n = 40, p = 10)\nnet = linear2(width = 20, init = gaussian(scale = 0.1))\nr = «train»(net, data, gd(lr = 0.01), «steps = 1e9»)');
    expect(r).toHaveLength(1);
    expect(r[0][0]).toEqual(ranges[1]);
    expect(r[0][1]).toMatch(/^steps = 1000000000 dominates the time estimate: with steps = 20000 it would be ≈ [\d.]+ s$/);
  });
  it('a family beyond the member limit: each list of the grid', () => {
    const { ranges, related: r } = related(base + 'r = «train»(net, data, sgd(lr = «linspace(0.01, 0.1, 200)», batch = «[1, 2, 3, 4, 5, 6, 7, 8, 9, 10]»), steps = 10, seed = «[1, 2, 3, 4, 5, 6]»)');
    expect(r).toEqual([[ranges[1], '200 values of lr'], [ranges[2], '10 values of batch'], [ranges[3], '6 values of seed']]);
  });
});
