import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { runPaced, type PacedRequest, type PacedRunOptions, type PacedRunResult } from './open-loop';

/**
 * A paced run that can cross to another thread: its settings, and its requests, made beforehand (request i is
 * `requests[i % length]`). The worker runs this module's compiled JavaScript (`dist/bench`), as `make bench` does.
 */
export interface IsolatedPacedRun extends Omit<PacedRunOptions, 'request' | 'onOutcome' | 'shouldStop'> {
  requests: PacedRequest[];
}

interface WorkerInput {
  pacedRun: IsolatedPacedRun;
}

/**
 * Runs a paced run on a worker thread of its own, started for the run: a fresh, small heap whose collections are
 * the pacer's alone. In the bench's own thread, whose heap by then has lived through every earlier run, the
 * generator's collections came to 174–314 ms per 10-s run in one `make bench`, and each of its pauses lands in the
 * latency of every request in flight, the baseline's as much as NAT's.
 */
export function runPacedInWorker(pacedRun: IsolatedPacedRun): Promise<PacedRunResult> {
  if (pacedRun.requests.length === 0) return Promise.reject(new Error('A paced run needs a request'));
  return new Promise((resolve, reject) => {
    let result: PacedRunResult | undefined;
    const input: WorkerInput = { pacedRun };
    const worker = new Worker(__filename, { workerData: input });
    worker.once('message', (message: PacedRunResult) => (result = message));
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (result) resolve(result);
      else reject(new Error(`The paced run's worker exited with code ${code} and no result`));
    });
  });
}

function isWorkerInput(data: unknown): data is WorkerInput {
  return typeof data === 'object' && data !== null && 'pacedRun' in data;
}

if (!isMainThread && parentPort && isWorkerInput(workerData)) {
  const { requests, ...options } = workerData.pacedRun;
  const port = parentPort;
  void runPaced({ ...options, request: (index) => requests[index % requests.length] }).then((result) =>
    port.postMessage(result),
  );
}
