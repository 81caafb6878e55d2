import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';

import {
  checkChunk,
  keyMap,
  spkiKey,
  type ChunkJob,
  unpack,
  type ChunkResult,
  type LineSettings,
  type WorkerReply,
} from './verify-lines.ts';

/** Checks chunks, in this thread or in worker threads. */
export interface ChunkChecker {
  check(job: ChunkJob): Promise<ChunkResult>;
  /** A key learned from the log; checks submitted later can use it. */
  addKey(fingerprint: string, spki: string): void;
  close(): Promise<void>;
}

export function inlineChecker(settings: LineSettings): ChunkChecker {
  const keys = keyMap(settings.keys);
  const context = { ...settings, keys };
  return {
    check: async (job) => checkChunk(job, context),
    addKey: (fingerprint, spki) => keys.set(fingerprint, spkiKey(spki)),
    close: async () => {},
  };
}

/**
 * Spreads chunks over worker threads, one per core by default. The
 * main thread only reads git, keeps order and hashes the tree's right
 * edge, so verifying uses every core instead of one.
 */
export function workerChecker(
  settings: LineSettings,
  threads = availableParallelism(),
): ChunkChecker {
  const workers = Array.from(
    { length: Math.max(1, threads) },
    () =>
      new Worker(workerUrl(), {
        workerData: settings,
        // A worker holds one chunk at a time: a small heap keeps memory
        // flat however long the log is (V8 would otherwise grow it).
        resourceLimits: {
          maxOldGenerationSizeMb: 32,
          maxYoungGenerationSizeMb: 8,
        },
      }),
  );
  const pending = new Map<
    number,
    { resolve: (r: ChunkResult) => void; reject: (e: Error) => void }
  >();
  let nextJob = 0;
  for (const worker of workers) {
    worker.on('message', (message: WorkerReply) => {
      pending.get(message.job)?.resolve(unpack(message));
      pending.delete(message.job);
    });
    worker.on('error', (error) => {
      for (const { reject } of pending.values()) reject(error);
      pending.clear();
    });
  }
  return {
    check(job) {
      const id = nextJob++;
      const worker = workers[id % workers.length]!;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        // The chunk is a view into a larger buffer read from git: posting
        // the view would copy all of that buffer. Copy just the chunk and
        // hand its memory over (transfer, no second copy).
        const data = new Uint8Array(job.data);
        worker.postMessage({ type: 'chunk', job: id, start: job.start, data }, [
          data.buffer,
        ]);
      });
    },
    addKey(fingerprint, spki) {
      for (const worker of workers)
        worker.postMessage({ type: 'key', fingerprint, spki });
    },
    async close() {
      await Promise.all(workers.map((worker) => worker.terminate()));
    },
  };
}

/**
 * The worker's file: beside this module when running from source (Node
 * strips the types), and `ledger-worker.js` beside the bundle in dist/.
 */
function workerUrl(): URL {
  return import.meta.url.endsWith('.ts')
    ? new URL('./verify-worker.ts', import.meta.url)
    : new URL('./ledger-worker.js', import.meta.url);
}
