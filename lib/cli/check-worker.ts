/**
 * The worker thread of `CheckWorker` (./check): loads and warms up the checks at once, then answers each
 * `{ dir, shownDir }` with `{ result: checkOutput(dir, shownDir) }`, or `{}` when the check threw (synth then checks
 * in its own thread, which reports the error as it always did).
 */
import { parentPort } from 'worker_threads';
import { checkOutput, warmUpChecks } from './check';

warmUpChecks();
parentPort?.on('message', (m: { dir: string; shownDir: string }) => {
  let reply: object;
  try {
    reply = { result: checkOutput(m.dir, m.shownDir) };
  } catch {
    reply = {};
  }
  parentPort?.postMessage(reply);
});
