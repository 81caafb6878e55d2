import { setTimeout as sleep } from 'node:timers/promises';

import { GitwardenError } from '../errors.ts';
import type { Signer } from '../keys/signer.ts';
import type { LedgerConfig } from './config.ts';
import { compareAndSwapRef, resolveRef } from './git-objects.ts';
import { leafHash } from './merkle.ts';
import { decodeRecord, readLines, splitLines } from './reader.ts';
import {
  newRecord,
  sealRecord,
  type LedgerRecord,
  type RecordFields,
} from './record.ts';
import { advanceLocal, fetchTip, pushTip, trackingRef } from './remote.ts';
import { buildAppendCommit, readTip, type LedgerTip } from './store.ts';

export interface AppendOptions {
  cwd: string;
  config: LedgerConfig;
  signer: Signer;
  /**
   * Further keys that sign every record (not the checkpoint): a rotation
   * is signed by the old key and the new one.
   */
  cosigners?: readonly Signer[];
  records: readonly RecordFields[];
  /** Appends to the remote's branch (the shared ledger) when set. */
  remote?: string | undefined;
  now?: () => Date;
  /** Gives up after this long; default ten minutes (a busy CI fleet). */
  deadlineMs?: number;
  /**
   * The log size before an earlier attempt to send these same records
   * (a batch re-sent after a crash): records whose ids appear from there
   * on are already in and are not appended again.
   */
  landedSince?: number;
  /** Called before each retry, e.g. to count them. */
  onRetry?: (attempt: number, reason: string) => void;
}

export interface AppendResult {
  records: LedgerRecord[];
  /** Log position of the first record appended. */
  firstIndex: number;
  size: number;
  root: Buffer;
  commit: string;
  /** Rejected attempts before the one that landed. */
  retries: number;
}

/**
 * Appends records in one commit, compare-and-swap on the branch tip: if
 * another writer moves the tip first, the records are signed for their
 * new positions, the commit is rebuilt on the new tip and published
 * again, with exponential backoff and jitter, until the deadline. Before
 * each retry the writer looks for its own records in what landed since,
 * so a push whose success was not reported is never appended twice.
 */
export async function appendRecords(
  options: AppendOptions,
): Promise<AppendResult> {
  const { cwd, config, signer } = options;
  const now = options.now ?? (() => new Date());
  const deadline = Date.now() + (options.deadlineMs ?? 600_000);
  let records: LedgerRecord[] | undefined;
  let seenSize = 0;
  let unclear = 0;
  let busy = 0;

  for (let attempt = 0; ; attempt++) {
    const started = Date.now();
    const tip = await currentTip(options);
    if (tip === 'busy') {
      busy += 1;
      if (busy > MAX_BUSY_FETCHES) {
        throw new GitwardenError(
          'GIT_FAILED',
          `cannot fetch the ledger from ${options.remote}: it kept changing or stayed locked (${busy} tries)`,
        );
      }
      await backoff(
        attempt,
        started,
        deadline,
        'the tracking ref was locked',
        options,
      );
      continue;
    }
    busy = 0;
    if (!records) {
      checkClock(tip, now(), config.maxClockSkewMs, options.records);
      const time = now();
      records = options.records.map((fields) =>
        newRecord(fields, { origin: tip.header.origin, now: time }),
      );
      if (options.landedSince !== undefined) {
        const landed = await idsSince(cwd, tip, options.landedSince);
        records = records.filter((record) => !landed.has(record.id));
        if (records.length === 0) return result([], tip.size, tip, attempt);
      }
    } else {
      const landed = await idsSince(cwd, tip, seenSize);
      if (records.every((record) => landed.has(record.id))) {
        if (options.remote) await advanceLocal(cwd, config.ref, tip.commit);
        return result(records, landed.get(records[0]!.id)!, tip, attempt);
      }
    }
    seenSize = tip.size;
    const sealed = await sealChained(records, tip, options);
    const built = await buildAppendCommit(cwd, tip, sealed.lines, signer);
    const published = options.remote
      ? await push(options, built.commit, () => (unclear += 1))
      : await compareAndSwapRef(cwd, config.ref, built.commit, tip.commit);
    if (published) {
      if (options.remote) {
        await advanceLocal(cwd, config.ref, built.commit, tip.commit);
      }
      return {
        records: sealed.records,
        firstIndex: tip.size,
        size: built.checkpoint.size,
        root: built.checkpoint.root,
        commit: built.commit,
        retries: attempt,
      };
    }
    await backoff(
      attempt,
      started,
      deadline,
      'another writer moved the tip',
      options,
    );
  }
}

/** Most fetches in a row that lose a race before giving up. */
const MAX_BUSY_FETCHES = 20;

/** Most push failures that leave the outcome unclear before giving up. */
const MAX_UNCLEAR_PUSHES = 3;

/**
 * Pushes; false when another writer won. A push that failed without
 * saying why (a dropped connection, a remote that died after updating)
 * may have landed: it is retried, and the retry first looks for the
 * records in the log, so they are never appended twice.
 */
async function push(
  options: AppendOptions,
  commit: string,
  noteUnclear: () => number,
): Promise<boolean> {
  const outcome = await pushTip(
    options.cwd,
    options.remote!,
    options.config.branch,
    commit,
  );
  if (outcome.kind === 'unknown' && noteUnclear() > MAX_UNCLEAR_PUSHES) {
    throw new GitwardenError(
      'GIT_FAILED',
      `cannot push the ledger to ${options.remote}: ${outcome.detail}`,
    );
  }
  return outcome.kind === 'pushed';
}

async function currentTip(options: AppendOptions): Promise<LedgerTip | 'busy'> {
  const { cwd, config, remote } = options;
  const commit = remote
    ? await fetchTip(cwd, remote, config.branch)
    : await resolveRef(cwd, config.ref);
  if (commit === 'busy') return 'busy';
  const where = remote ? trackingRef(remote, config.branch) : config.ref;
  if (!commit) {
    throw new GitwardenError(
      'USAGE',
      `there is no ledger at ${remote ? `${remote}/${config.branch}` : config.ref}`,
      { hint: 'Create it with `gitwarden ledger init`.' },
    );
  }
  const tip = await readTip(cwd, where, commit);
  if (config.origin && tip.header.origin !== config.origin) {
    throw new GitwardenError(
      'POLICY_INVALID',
      `the ledger on ${where} is the log ${tip.header.origin}, but the policy names ${config.origin}`,
    );
  }
  return tip;
}

/**
 * Signs the records for the positions they will take on this tip. Each
 * record names the checkpoint its writer built on (`observed`: the writer
 * witnesses all history before it) and the leaf hash of the record just
 * before it (`previous`), so a verifier pinpoints the first record whose
 * past was changed. Ids and times stay as first made; a retry on a newer
 * tip signs again (Ed25519 signing is cheap).
 */
async function sealChained(
  records: readonly LedgerRecord[],
  tip: LedgerTip,
  options: AppendOptions,
) {
  const signers = [options.signer, ...(options.cosigners ?? [])];
  const observed = {
    size: tip.checkpoint.size,
    root: tip.checkpoint.root.toString('base64'),
  };
  const last = splitLines(tip.lastChunk).lines.at(-1);
  let previous = last ? leafHash(last).toString('base64') : undefined;
  const sealed: LedgerRecord[] = [];
  const lines: string[] = [];
  for (const record of records) {
    const chained = { ...record, observed, previous };
    const line = await sealRecord(chained, signers);
    previous = leafHash(Buffer.from(line, 'utf8')).toString('base64');
    sealed.push(chained);
    lines.push(line);
  }
  return { records: sealed, lines };
}

/**
 * Positions validity by the log, not the clock, but a writer whose clock
 * is far behind the log's newest record (or a record dated far ahead) is
 * a misconfigured machine: it is stopped with a clear message instead of
 * writing records every verifier would question.
 */
function checkClock(
  tip: LedgerTip,
  now: Date,
  maxSkewMs: number,
  records: readonly RecordFields[],
): void {
  const { lines } = splitLines(tip.lastChunk);
  const newest = lines.length ? decodeRecord(lines.at(-1)!)?.time : undefined;
  const behind = newest ? Date.parse(newest) - now.getTime() : 0;
  if (behind > maxSkewMs) {
    throw new GitwardenError(
      'CLOCK_SKEW',
      `this machine's clock (${now.toISOString()}) is ${Math.round(behind / 1000)} s behind the ledger's newest record (${newest})`,
      { hint: 'Fix the system clock (NTP) before writing to the ledger.' },
    );
  }
  for (const record of records) {
    const ahead = record.time ? Date.parse(record.time) - now.getTime() : 0;
    if (!(ahead <= maxSkewMs)) {
      throw new GitwardenError(
        'CLOCK_SKEW',
        `record time ${record.time} is more than ${maxSkewMs / 1000} s in the future`,
      );
    }
  }
}

/** The positions of the records from `from` to the tip, by id. */
async function idsSince(
  cwd: string,
  tip: LedgerTip,
  from: number,
): Promise<Map<string, number>> {
  const ids = new Map<string, number>();
  const lines = readLines(cwd, tip.commit, from, tip.size);
  for await (const { index, line } of lines) {
    const id = decodeRecord(line)?.id;
    if (id) ids.set(id, index);
  }
  return ids;
}

function result(
  records: LedgerRecord[],
  firstIndex: number,
  tip: LedgerTip,
  retries: number,
): AppendResult {
  return {
    records,
    firstIndex,
    size: tip.size,
    root: tip.checkpoint.root,
    commit: tip.commit,
    retries,
  };
}

async function backoff(
  attempt: number,
  started: number,
  deadline: number,
  reason: string,
  options: AppendOptions,
): Promise<void> {
  if (Date.now() >= deadline) {
    throw new GitwardenError(
      'LEDGER_CONFLICT',
      `could not append to the ledger before the deadline (${attempt + 1} attempts; ${reason})`,
      {
        hint: 'Too many writers at once, or a writer is stuck; the records were not written.',
      },
    );
  }
  options.onRetry?.(attempt + 1, reason);
  // Full jitter (AWS architecture blog, "Exponential Backoff and Jitter"),
  // scaled by how long an attempt takes here: writers that collided spread
  // out over a few attempts' time instead of colliding again at once.
  const attemptMs = Math.max(20, Date.now() - started);
  const cap = Math.min(5000, attemptMs * 2 ** Math.min(attempt, 5));
  await sleep(Math.random() * cap);
}
