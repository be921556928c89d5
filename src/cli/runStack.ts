// `sgdexp run`, `merge` and `render`: the entry of dist/run.js, loaded by lazy.ts.
export { runCommand } from './runCommand';
export { mergeCommand } from './mergeCommand';
export { renderCommand } from './renderCommand';
