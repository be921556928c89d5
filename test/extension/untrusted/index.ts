// The entry of the untrusted pass (test/extension/run.sh starts a second server without
// --disable-workspace-trust): the same runner as the trusted pass, over the suites next to this
// file only (the runner reads the folder of the bundle it is in).
export { run } from '../index';
