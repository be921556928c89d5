// Worker-thread entry (bundled to dist/worker.js): runs training jobs sent by pool.ts and
// streams their progress back. One job at a time per worker. A cancel reaches the stepping core
// two ways: the job's shared flag (set by the pool the moment it cancels; polled by the core's
// loop, so it needs neither thread's event loop) and a 'cancel' message that aborts its signal.
// The core then returns within about a millisecond with status 'cancelled'.
import { parentPort } from 'node:worker_threads';
import type { FromWorker, JobProgress, ToWorker } from './pool';
import { trajectoryTail } from './trajectoryBuffer';
import { runJob } from './runJob';

const port = parentPort;
if (!port) throw new Error('worker.js must run in a worker thread');
const aborts = new Map<number, AbortController>();

port.on('message', (m: ToWorker) => {
  if (m.type === 'cancel') {
    aborts.get(m.job)?.abort();
    return;
  }
  if (m.type !== 'run') return;
  const ac = new AbortController();
  aborts.set(m.job, ac);
  const post = (x: FromWorker, transfer: ArrayBuffer[] = []) => port.postMessage(x, transfer);
  // each post carries only the records since the previous one (the pool appends them): the
  // main thread's cost per post is then O(new records), not O(the trajectory so far)
  let sent = 0;
  const onProgress = (p: JobProgress) => {
    const t = p.trajectory;
    // a trajectory that does not continue what was sent (the core started over) goes whole
    if (t.step.length < sent || (sent > 0 && t.step[sent - 1] !== last)) sent = 0;
    post({ type: 'progress', job: m.job, step: p.step, steps: p.steps, from: sent, trajectory: trajectoryTail(t, sent) });
    sent = t.step.length;
    last = t.step[sent - 1];
  };
  let last: number | undefined;
  runJob(m, ac.signal, onProgress, m.cancel ?? null)
    .then((r) => post({ type: 'done', job: m.job, ...r }, r.checkpoint ? [r.checkpoint.buffer as ArrayBuffer] : []))
    .catch((e) => post({ type: 'error', job: m.job, message: e instanceof Error ? e.message : String(e) }))
    .finally(() => aborts.delete(m.job));
});
