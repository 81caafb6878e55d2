import { GitwardenError } from '../errors.ts';
import type { PublicKeyInfo } from '../keys/signer.ts';
import type { AnchorInput } from './anchor.ts';
import {
  NoteFormatError,
  parseCheckpointText,
  parseNote,
  verifyNote,
} from './checkpoint.ts';
import type { LedgerConfig } from './config.ts';
import { readObjects, resolveRef } from './git-objects.ts';
import { readHistory, type HistoryCheckpoint } from './history.ts';
import {
  CHECKPOINT_FILE,
  CHUNK_SIZE,
  FRONTIER_FILE,
  HEADER_FILE,
} from './layout.ts';
import { listChunks, readChunks, type ChunkRef } from './reader.ts';
import { parseFrontier, parseHeader } from './store.ts';
import { KeyRing, type Distrusted } from './trust.ts';
import {
  inlineChecker,
  workerChecker,
  type ChunkChecker,
} from './verify-pool.ts';
import type { ChunkResult, LineSettings } from './verify-lines.ts';
import {
  LogJudge,
  type AnchorCheckpoint,
  type AnchorResult,
  type Fault,
} from './verify-log.ts';

export interface VerifyOptions {
  cwd: string;
  config: LedgerConfig;
  /** The ref or commit holding the ledger; default: the policy's branch. */
  ref?: string;
  /** Checkpoints accepted earlier, that the log must extend. */
  anchors?: readonly AnchorInput[];
  nowMs?: number;
  /** Worker threads; 0 checks in this thread. Default: one per core. */
  threads?: number;
}

export type Verdict = 'verified' | 'unanchored' | 'tampered';

export interface VerifyReport {
  verdict: Verdict;
  ref: string;
  commit: string;
  origin: string;
  size: number;
  root: string;
  checkpoints: number;
  anchors: AnchorResult[];
  faults: Fault[];
  distrusted: Distrusted[];
  /** The tip's checkpoint note, to keep as the next anchor. */
  checkpoint: string;
}

/** Logs this small are checked in this thread: workers cost a start-up. */
const INLINE_LIMIT = 4 * CHUNK_SIZE;

/**
 * Verifies a ledger end to end, streaming: schema, canonical bytes and
 * signatures of every record against the keys valid at its position, what
 * each writer saw, every commit's checkpoint, the branch files, and
 * consistency with each anchor. Never throws for tampering: it reports.
 */
export async function verifyLedger(
  options: VerifyOptions,
): Promise<VerifyReport> {
  const { cwd, config } = options;
  const ref = options.ref ?? config.ref;
  const commit = await resolveRef(cwd, ref);
  if (!commit) {
    throw new GitwardenError('USAGE', `there is no ledger at ${ref}`, {
      hint: 'Create one with `gitwarden ledger init`, or name the ref with --ref.',
    });
  }
  const [headerObject, tipNote, tipFrontier] = await readObjects(cwd, [
    `${commit}:${HEADER_FILE}`,
    `${commit}:${CHECKPOINT_FILE}`,
    `${commit}:${FRONTIER_FILE}`,
  ]);
  const header =
    headerObject && parseHeader(headerObject.data.toString('utf8'));
  if (!header) {
    throw new GitwardenError(
      'LEDGER_CORRUPT',
      `${ref} is not a gitwarden ledger: its tip ${commit.slice(0, 12)} has no valid ${HEADER_FILE}`,
      { hint: 'A ledger is an orphan branch made by `gitwarden ledger init`.' },
    );
  }
  const origin = header.origin;
  const anchors = (options.anchors ?? []).map((anchor) => parseAnchor(anchor));
  const { checkpoints, problems } = await readHistory(cwd, commit);
  const { chunks, strays } = await listChunks(cwd, commit);

  const ring = new KeyRing(config);
  const settings: LineSettings = {
    origin,
    nowMs: options.nowMs ?? Date.now(),
    maxSkewMs: config.maxClockSkewMs,
    keys: ring
      .all()
      .map((key) => [key.info.fingerprint, key.info.spki.toString('base64')]),
  };
  const threads = options.threads;
  const inline =
    threads === 0 ||
    (threads === undefined &&
      (checkpoints.at(-1)?.checkpoint.size ?? 0) <= INLINE_LIMIT);
  const checker = inline
    ? inlineChecker(settings)
    : workerChecker(settings, threads);
  const judge = new LogJudge({
    ring,
    origin,
    checkpoints,
    anchors,
    onKey: (key) =>
      checker.addKey(key.fingerprint, key.spki.toString('base64')),
  });
  if (config.origin && config.origin !== origin) {
    judge.fault(
      0,
      `the branch holds the log ${origin}, but the policy names ${config.origin}`,
    );
  }
  for (const problem of problems)
    judge.fault(0, problem.message, { commit: problem.commit });
  historyFaults(checkpoints, judge);
  for (const path of strays)
    judge.fault(0, `unexpected file ${path} among the records`);

  const tip = checkpoints.at(-1);
  const tipText = tipNote?.data.toString('utf8');
  if (tip && tipText !== tip.raw) {
    judge.fault(
      tip.checkpoint.size,
      `${CHECKPOINT_FILE} differs from the checkpoint of its commit`,
      {
        commit,
      },
    );
  }

  try {
    await streamRecords(cwd, chunks, checker, judge);
  } finally {
    await checker.close();
  }

  finishChecks(
    judge,
    ring,
    origin,
    anchors,
    tip,
    tipFrontier?.data.toString('utf8'),
  );
  const faults = judge.faults.sort((a, b) => a.index - b.index);
  return {
    verdict: faults.length
      ? 'tampered'
      : judge.anchorResults.length
        ? 'verified'
        : 'unanchored',
    ref,
    commit,
    origin,
    size: judge.size,
    root: judge.root().toString('base64'),
    checkpoints: checkpoints.length,
    anchors: judge.anchorResults,
    faults,
    distrusted: ring.distrusted,
    checkpoint: tipText ?? '',
  };
}

async function streamRecords(
  cwd: string,
  chunks: readonly ChunkRef[],
  checker: ChunkChecker,
  judge: LogJudge,
): Promise<void> {
  // Results are consumed in log order while later chunks are checked;
  // the queue bound keeps memory flat.
  const queue: { chunk: ChunkRef; result: Promise<ChunkResult> }[] = [];
  const last = chunks.at(-1)?.index;
  const drain = async () => {
    const { chunk, result } = queue.shift()!;
    const { checks } = await result;
    for (const check of checks) judge.consume(check);
    if (chunk.index !== last && checks.length !== CHUNK_SIZE) {
      judge.fault(
        chunk.index * CHUNK_SIZE,
        `${chunk.path} holds ${checks.length} records instead of ${CHUNK_SIZE}: records were added or removed in the middle`,
      );
    }
  };
  for await (const { chunk, data } of readChunks(cwd, chunks, 24)) {
    queue.push({
      chunk,
      result: checker.check({ start: chunk.index * CHUNK_SIZE, data }),
    });
    if (queue.length >= 24) await drain();
  }
  while (queue.length) await drain();
}

/** The sizes of successive checkpoints only grow, from an init of 0. */
function historyFaults(
  checkpoints: readonly HistoryCheckpoint[],
  judge: LogJudge,
): void {
  const first = checkpoints[0];
  if (first && first.checkpoint.size !== 0) {
    judge.fault(0, 'history does not start with a ledger init (size 0)', {
      commit: first.commit,
    });
  }
  for (let i = 1; i < checkpoints.length; i++) {
    const before = checkpoints[i - 1]!.checkpoint.size;
    const after = checkpoints[i]!;
    if (after.checkpoint.size <= before) {
      judge.fault(
        after.checkpoint.size,
        `checkpoint size went from ${before} to ${after.checkpoint.size}: a ledger commit may only append`,
        {
          commit: after.commit,
        },
      );
    }
  }
}

function finishChecks(
  judge: LogJudge,
  ring: KeyRing,
  origin: string,
  anchors: readonly AnchorCheckpoint[],
  tip: HistoryCheckpoint | undefined,
  frontierText: string | undefined,
): void {
  const { unreached, unreachedAnchors } = judge.finish();
  for (const cp of unreached) {
    judge.fault(
      cp.checkpoint.size,
      `checkpoint for size ${cp.checkpoint.size} but the log holds ${judge.size} records: records were removed from the end`,
      {
        commit: cp.commit,
      },
    );
  }
  for (const anchor of unreachedAnchors) {
    judge.fault(
      anchor.size,
      `the anchored checkpoint (${anchor.source}) has ${anchor.size} records but the log only ${judge.size}: records were removed or history was rewritten`,
    );
  }
  if (tip && judge.size > tip.checkpoint.size) {
    judge.fault(
      tip.checkpoint.size,
      `${judge.size - tip.checkpoint.size} records lie beyond the newest checkpoint (size ${tip.checkpoint.size}): they were added without one`,
    );
  }
  const frontier = parseFrontier(frontierText);
  if (
    !frontier ||
    frontier.size !== judge.size ||
    !frontier.root().equals(judge.root())
  ) {
    judge.fault(judge.size, `${FRONTIER_FILE} does not match the log`);
  }
  const keys: PublicKeyInfo[] = ring.all().map((key) => key.info);
  for (const anchor of anchors) {
    const signed = verifyNote(anchor.note, origin, keys);
    if (anchor.origin !== origin) {
      judge.fault(
        anchor.size,
        `the anchored checkpoint (${anchor.source}) is for another log (${anchor.origin})`,
      );
    } else if (signed.failedBy.length || signed.verifiedBy.length === 0) {
      judge.fault(
        anchor.size,
        `the anchored checkpoint (${anchor.source}) is not signed by a trusted key`,
      );
    }
  }
  for (const result of judge.anchorResults) {
    if (!result.consistent) {
      judge.fault(
        result.size,
        `history was rewritten: the log does not extend the anchored checkpoint (${result.source}, size ${result.size})`,
      );
    }
  }
}

function parseAnchor(anchor: AnchorInput): AnchorCheckpoint {
  try {
    const note = parseNote(anchor.note);
    const checkpoint = parseCheckpointText(note.text);
    return { source: anchor.source, note, ...checkpoint };
  } catch (error) {
    if (!(error instanceof NoteFormatError)) throw error;
    throw new GitwardenError(
      'USAGE',
      `the anchor ${anchor.source} is not a checkpoint: ${error.message}`,
      {
        hint: 'An anchor is a checkpoint note as `gitwarden ledger export --checkpoint` prints it.',
      },
    );
  }
}
