import { randomUUID } from 'node:crypto';

import { GitwardenError } from '../errors.ts';
import { canonicalJson } from './canonical.ts';
import type { Actor, Outcome, RecordFields, Where } from './record.ts';
import { Spool, type SpooledBatch } from './spool.ts';

// The audit wrapper: code that acts records who, what, when, why, the
// outcome and the duration, including when it throws. Records are queued
// and written to a spool on disk (fsync) in groups before they count as
// acknowledged, then sent to the ledger in batches; whatever a crash left
// in the spool goes out with the next run's first flush.

/** Where records end up: usually the ledger, through appendRecords. */
export interface AuditSink {
  /** The log's current size, noted before a send so a resend skips duplicates. */
  position(): Promise<number>;
  write(
    records: RecordFields[],
    landedSince: number | undefined,
  ): Promise<void>;
}

export interface AuditorOptions {
  sink: AuditSink;
  spoolDir: string;
  actor: Actor;
  agent?: string;
  task?: string;
  where?: Where;
  /** Send once this many records wait (default 100). */
  batchSize?: number;
  /** Send at least this often while records wait (default 1 s). */
  flushIntervalMs?: number;
  /**
   * A CI runner is thrown away after the step: `close()` then sends
   * everything and throws if any record could not be written, so the step
   * fails instead of dropping it. The adapter decides, from its env.
   */
  strict?: boolean;
  /** Told about a send that failed outside strict mode (records stay spooled). */
  onError?: (error: unknown) => void;
  now?: () => Date;
}

export type AuditEvent = Omit<RecordFields, 'actor' | 'id' | 'time'> & {
  actor?: Actor;
};

export interface Auditor {
  /** Records an event; resolves once it is safely on disk. */
  record(event: AuditEvent): Promise<void>;
  /**
   * Runs an operation and records it with its outcome and duration,
   * whether it returns or throws (the error is rethrown).
   */
  wrap<T>(event: AuditEvent, operation: () => T | Promise<T>): Promise<T>;
  /** Sends everything spooled so far. */
  flush(): Promise<void>;
  /** Flushes and stops the timer; in strict mode, fails loudly. */
  close(): Promise<void>;
}

export function createAuditor(options: AuditorOptions): Auditor {
  const spool = new Spool(options.spoolDir);
  const now = options.now ?? (() => new Date());
  const batchSize = options.batchSize ?? 100;
  let queue: { line: string; done: (error?: unknown) => void }[] = [];
  let writing: Promise<void> = Promise.resolve();
  let flushing: Promise<void> | undefined;
  let waiting = 0;
  let timer: NodeJS.Timeout | undefined;

  // Group commit: records that arrive while a write is in flight share the
  // next write and fsync.
  const drainQueue = () => {
    writing = writing.then(async () => {
      const batch = queue;
      queue = [];
      if (batch.length === 0) return;
      try {
        await spool.append(batch.map((entry) => entry.line));
        waiting += batch.length;
        for (const entry of batch) entry.done();
      } catch (error) {
        const failure = new GitwardenError(
          'INPUT_UNREADABLE',
          `cannot spool audit records in ${options.spoolDir}: ${(error as NodeJS.ErrnoException).code ?? error}`,
          { cause: error },
        );
        for (const entry of batch) entry.done(failure);
      }
    });
    return writing;
  };

  const send = async (): Promise<void> => {
    await writing;
    await spool.seal();
    waiting = 0;
    const batches = await spool.claim(() => options.sink.position());
    const failures: unknown[] = [];
    for (const batch of batches) {
      try {
        await sendBatch(batch);
      } catch (error) {
        failures.push(error);
      }
    }
    if (failures.length) throw failures[0];
  };

  const sendBatch = async (batch: SpooledBatch) => {
    const records = batch.lines.map((line) => JSON.parse(line) as RecordFields);
    if (records.length) await options.sink.write(records, batch.landedSince);
    await spool.done(batch);
  };

  const flush = (): Promise<void> => {
    flushing ??= send().finally(() => {
      flushing = undefined;
    });
    return flushing;
  };

  const flushInBackground = () => {
    flush().catch((error) => options.onError?.(error));
  };

  const arm = () => {
    if (timer || options.flushIntervalMs === 0) return;
    timer = setTimeout(() => {
      timer = undefined;
      flushInBackground();
    }, options.flushIntervalMs ?? 1000);
    // The timer never keeps a process alive on its own.
    timer.unref();
  };

  const record = (event: AuditEvent): Promise<void> => {
    const fields: RecordFields = {
      agent: options.agent,
      task: options.task,
      where: options.where,
      ...event,
      actor: event.actor ?? options.actor,
      id: randomUUID(),
      time: now().toISOString(),
    };
    const line = canonicalJson(fields);
    const acknowledged = new Promise<void>((resolve, reject) => {
      queue.push({
        line,
        done: (error) => (error ? reject(error) : resolve()),
      });
    });
    void drainQueue().then(() => {
      if (waiting >= batchSize) flushInBackground();
      else arm();
    });
    return acknowledged;
  };

  return {
    record,
    async wrap(event, operation) {
      const started = performance.now();
      const durationMs = () => Math.round(performance.now() - started);
      try {
        const value = await operation();
        const outcome: Outcome = { status: 'ok', durationMs: durationMs() };
        await record({ ...event, outcome });
        return value;
      } catch (error) {
        const outcome: Outcome = {
          status: 'error',
          durationMs: durationMs(),
          error: String((error as Error)?.message ?? error).slice(0, 4096),
        };
        await record({
          ...event,
          decision: event.decision ?? 'error',
          outcome,
        });
        throw error;
      }
    },
    flush,
    async close() {
      if (timer) clearTimeout(timer);
      timer = undefined;
      try {
        await flush();
      } catch (error) {
        if (options.strict) {
          throw new GitwardenError(
            'LEDGER_CONFLICT',
            `audit records could not be written to the ledger: ${(error as Error).message}`,
            {
              hint: `They are kept in ${options.spoolDir}; this step fails so none is dropped silently.`,
              cause: error,
            },
          );
        }
        options.onError?.(error);
      }
    },
  };
}
