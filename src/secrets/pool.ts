import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';

import type { InputOutcome, ScanInput } from './batch.ts';
import type { EngineOptions } from './engine.ts';

/**
 * Scanning threads for large scans (a history, a folder), one per core.
 * Batches go to the least busy thread; a thread that dies fails its
 * batches, which makes the scan incomplete rather than quietly shorter.
 */
export class WorkerPool {
  private readonly workers: { worker: Worker; inFlight: number }[] = [];
  private readonly pending = new Map<
    number,
    {
      resolve(outcomes: InputOutcome[]): void;
      reject(error: Error): void;
      worker: Worker;
    }
  >();
  private nextId = 0;

  constructor(
    setup: { engine: EngineOptions; maxFileSize: number },
    size = defaultPoolSize(),
  ) {
    for (let i = 0; i < size; i++) {
      const worker = new Worker(workerUrl(), { workerData: setup });
      worker.unref();
      worker.on('message', (message) => this.settle(message));
      worker.on('error', (error) => this.fail(worker, error));
      worker.on('exit', (code) =>
        this.fail(worker, new Error(`scanning thread exited (${code})`)),
      );
      this.workers.push({ worker, inFlight: 0 });
    }
  }

  get size(): number {
    return this.workers.length;
  }

  run(inputs: ScanInput[]): Promise<InputOutcome[]> {
    const slot = this.workers.reduce((a, b) =>
      b.inFlight < a.inFlight ? b : a,
    );
    const id = this.nextId++;
    slot.inFlight++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, {
        resolve: (outcomes) => {
          slot.inFlight--;
          resolve(outcomes);
        },
        reject: (error) => {
          slot.inFlight--;
          reject(error);
        },
        worker: slot.worker,
      });
      slot.worker.postMessage({ id, inputs });
    });
  }

  async close(): Promise<void> {
    const workers = this.workers.splice(0);
    await Promise.all(workers.map(({ worker }) => worker.terminate()));
  }

  private settle(message: {
    id: number;
    outcomes?: InputOutcome[];
    error?: string;
  }) {
    const entry = this.pending.get(message.id);
    if (!entry) return;
    this.pending.delete(message.id);
    if (message.outcomes) entry.resolve(message.outcomes);
    else entry.reject(new Error(message.error ?? 'scanning thread failed'));
  }

  private fail(worker: Worker, error: Error) {
    for (const [id, entry] of this.pending) {
      if (entry.worker !== worker) continue;
      this.pending.delete(id);
      entry.reject(error);
    }
  }
}

export function defaultPoolSize(): number {
  return Math.max(1, Math.min(availableParallelism(), 8));
}

/**
 * The worker's script: beside this module when running from source (the
 * tests), the bundled `secrets-worker.js` beside the chunk in dist/.
 */
function workerUrl(): URL {
  return import.meta.url.endsWith('.ts')
    ? new URL('./worker.ts', import.meta.url)
    : new URL('./secrets-worker.js', import.meta.url);
}
