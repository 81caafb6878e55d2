import { scanInputs, type InputOutcome, type ScanInput } from './batch.ts';
import type { Baseline } from './baseline.ts';
import type { EngineOptions, SecretEngine } from './engine.ts';
import { WorkerPool } from './pool.ts';
import {
  emptyResult,
  mergeResults,
  type ScanError,
  type ScanNotice,
  type ScanResult,
} from './types.ts';

/** What a source yields: something to scan, or something to report. */
export type SourceItem =
  | ScanInput
  | { kind: 'notice'; notice: ScanNotice }
  | { kind: 'error'; error: ScanError };

export interface DriverOptions {
  engine: EngineOptions;
  maxFileSize: number;
  baseline?: Baseline;
  /**
   * Scanning threads: 'auto' starts them once a scan has shown it is
   * large, 'never' stays in this thread (hooks: no start-up cost).
   */
  parallel?: 'auto' | 'never' | 'always';
  /** Called as units finish, for a progress display. */
  onProgress?(done: { units: number; bytes: number }): void;
}

const BATCH_BYTES = 256 * 1024;
/** Files are read by whoever scans them; until then, count them as this. */
const FILE_ESTIMATE = 16 * 1024;
const BATCH_UNITS = 256;
/** Bytes scanned in this thread before threads are worth starting. */
const PARALLEL_AFTER = 8 * 1024 * 1024;

/**
 * Runs a scan over a source: batches its items, scans them here or on
 * scanning threads, and gathers findings (less the baseline), notices and
 * errors, in the source's order.
 */
export async function runScan(
  source: AsyncIterable<SourceItem>,
  options: DriverOptions,
): Promise<ScanResult> {
  const result = emptyResult();
  // secretlint and the rules load only where they run: a scan that hands
  // everything to scanning threads starts them without waiting for that.
  let local: Promise<SecretEngine> | undefined;
  const engine = () =>
    (local ??= import('./engine.ts').then(
      ({ SecretEngine }) => new SecretEngine(options.engine),
    ));
  const setup = { engine: options.engine, maxFileSize: options.maxFileSize };
  // Rules given as functions cannot be sent to another thread.
  const parallel = options.engine.extraRules?.length
    ? 'never'
    : (options.parallel ?? 'auto');
  let pool = parallel === 'always' ? new WorkerPool(setup) : undefined;
  const inFlight: Promise<void>[] = [];
  let batch: ScanInput[] = [];
  let batchBytes = 0;
  let dispatched = 0;

  // Batches finish in any order; their findings are put back in the
  // source's order at the end.
  const ordered: ScanResult[] = [];
  const absorb = (
    part: ScanResult,
    inputs: ScanInput[],
    outcomes: InputOutcome[],
  ) => {
    outcomes.forEach((outcome, index) => {
      const input = inputs[index]!;
      const place = placeOf(input);
      if (outcome.notice) part.notices.push({ ...place, ...outcome.notice });
      if (outcome.error) {
        part.errors.push({ ...place, message: outcome.error });
        return;
      }
      part.scanned.units++;
      part.scanned.bytes += outcome.bytes;
      part.accepted.inline += outcome.inlineAccepted;
      for (const finding of outcome.findings) {
        if (options.baseline?.fingerprints.has(finding.fingerprint)) {
          part.accepted.baseline++;
        } else {
          part.findings.push(finding);
        }
      }
    });
    done.units += part.scanned.units;
    done.bytes += part.scanned.bytes;
    options.onProgress?.({ ...done });
  };
  const done = { units: 0, bytes: 0 };

  const dispatch = async () => {
    if (batch.length === 0) return;
    const inputs = batch;
    batch = [];
    dispatched += batchBytes;
    batchBytes = 0;
    if (!pool && parallel !== 'never' && dispatched > PARALLEL_AFTER) {
      pool = new WorkerPool(setup);
    }
    const part = emptyResult();
    ordered.push(part);
    const run = pool
      ? pool.run(inputs)
      : engine().then((here) => scanInputs(here, inputs, options.maxFileSize));
    const settled = run.then(
      (outcomes) => absorb(part, inputs, outcomes),
      (error: Error) => {
        for (const input of inputs) {
          part.errors.push({ ...placeOf(input), message: error.message });
        }
      },
    );
    inFlight.push(settled);
    // Keep every thread busy, but no more than that in memory.
    while (inFlight.length > (pool ? pool.size * 2 : 0)) await inFlight.shift();
  };

  try {
    for await (const item of source) {
      if (item.kind === 'notice') result.notices.push(item.notice);
      else if (item.kind === 'error') result.errors.push(item.error);
      else {
        batch.push(item);
        batchBytes +=
          item.kind === 'unit'
            ? item.unit.text.length
            : item.kind === 'bytes'
              ? item.bytes.length
              : FILE_ESTIMATE;
        if (batchBytes >= BATCH_BYTES || batch.length >= BATCH_UNITS) {
          await dispatch();
        }
      }
    }
    await dispatch();
    await Promise.all(inFlight);
  } finally {
    await pool?.close();
  }
  for (const part of ordered) mergeResults(result, part);
  return result;
}

function placeOf(input: ScanInput) {
  if (input.kind === 'unit') {
    return { path: input.unit.path, commit: input.unit.commit };
  }
  return {
    path: input.path,
    commit: input.kind === 'bytes' ? input.commit : undefined,
  };
}
