import { parentPort, workerData } from 'node:worker_threads';

import { scanInputs, type ScanInput } from './batch.ts';
import { SecretEngine, type EngineOptions } from './engine.ts';

// A scanning thread: one engine, batches in, outcomes out. Any failure is
// sent back as an error for that batch, never swallowed.

interface Setup {
  engine: EngineOptions;
  maxFileSize: number;
}

const setup = workerData as Setup;
const engine = new SecretEngine(setup.engine);

parentPort!.on(
  'message',
  async (message: { id: number; inputs: ScanInput[] }) => {
    try {
      const outcomes = await scanInputs(
        engine,
        message.inputs,
        setup.maxFileSize,
      );
      parentPort!.postMessage({ id: message.id, outcomes });
    } catch (error) {
      parentPort!.postMessage({
        id: message.id,
        error: `${(error as Error)?.name ?? 'Error'}: ${String(
          (error as Error)?.message ?? error,
        )
          .split('\n', 1)[0]!
          .slice(0, 200)}`,
      });
    }
  },
);
