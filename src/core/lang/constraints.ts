// The constraints between the parts of a run (model, data, optimiser, initialisation) that the
// built-ins table declares on its rows (builtins.ts: `models`, `data`, `outputs`), enforced here
// by one check that names no built-in: a new row's constraints need no change to the checker.
import type { Span } from './ast';
import type { CallValue, Checker } from './checker';
import { fmt } from './checker';
import { BUILTIN_BY_NAME, type Builtin, type ModelKind } from './builtins';

const max = (xs: number[]) => (xs.length ? Math.max(...xs) : NaN);

/** The `incompatible` errors of one run; false when a constraint on the model and its data
 *  failed (the later checks assume a valid pair). `k`: the data's output dimensions. */
export function checkCompatibility(
  c: Checker,
  run: { model: CallValue; data: CallValue; opt: CallValue | null; k: number[] },
  at: { model: Span; data: Span; optimizer: Span },
): boolean {
  const m = run.model.builtin;
  const d = run.data.builtin;
  const mRow = BUILTIN_BY_NAME.get(m);
  const dRow = BUILTIN_BY_NAME.get(d);
  const forModel = (row: Builtin | undefined) => !row?.models || row.models.includes(m as ModelKind);
  if (!forModel(dRow)) {
    c.error(at.data, 'incompatible', `${d} data is for ${dRow!.models!.join(', ')} models${dRow!.modelsWhy ? ` (${dRow!.modelsWhy})` : ''}; this run trains a ${m} model`);
    return false;
  }
  if (mRow?.data && !mRow.data.includes(d)) {
    c.error(at.model, 'incompatible', `${m} is trained on ${mRow.dataWhy ?? 'data'}, ${mRow.data.map((x) => `${x}(…)`).join(' or ')}; this run has ${d} data`);
    return false;
  }
  const outputs = mRow?.outputs;
  if (outputs !== undefined && max(run.k) > outputs) {
    c.error(at.data, 'incompatible', `a ${m} network has ${outputs === 1 ? 'one output' : `${outputs} outputs`}, but the teacher has k = ${fmt(max(run.k))} outputs: use k = ${outputs}`);
    return false;
  }
  const init = c.callOf(run.model.args.init);
  const iRow = init ? BUILTIN_BY_NAME.get(init.builtin) : undefined;
  if (init && !forModel(iRow)) {
    c.error(c.siteOf(init)?.node.callee ?? at.model, 'incompatible', `${init.builtin}(…) is for ${iRow!.models!.join(', ')}, not ${m}${iRow!.modelsWhy ? `: ${iRow!.modelsWhy}` : ''}`);
  }
  const oRow = run.opt ? BUILTIN_BY_NAME.get(run.opt.builtin) : undefined;
  if (run.opt && !forModel(oRow)) {
    c.error(at.optimizer, 'incompatible', `${run.opt.builtin} ${oRow!.modelsWhy ?? `is for ${oRow!.models!.join(', ')}`}; this run trains a ${m} model${oRow!.instead ? ` — use ${oRow!.instead}` : ''}`);
  }
  return true;
}
