// `sgdexp run` and `sgdexp merge`: the entry of dist/run.js, loaded by lazy.ts.
export { runCommand } from './runCommand';
export { mergeCommand } from './mergeCommand';
