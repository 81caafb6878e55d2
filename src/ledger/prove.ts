import { GitwardenError } from '../errors.ts';
import {
  parseCheckpointText,
  parseNote,
  type Checkpoint,
} from './checkpoint.ts';
import { readObjects } from './git-objects.ts';
import { CHECKPOINT_FILE } from './layout.ts';
import {
  consistencyProof,
  inclusionProof,
  leafHash,
  subtreeRoot,
  verifyConsistency,
  verifyInclusion,
} from './merkle.ts';
import { decodeRecord, readLines } from './reader.ts';

export interface InclusionProof {
  index: number;
  id: string | undefined;
  treeSize: number;
  rootHash: string;
  leafHash: string;
  hashes: string[];
  /** The signed checkpoint the proof is against. */
  checkpoint: string;
}

export interface ConsistencyProof {
  oldSize: number;
  oldRoot: string;
  newSize: number;
  newRoot: string;
  hashes: string[];
  checkpoint: string;
}

/**
 * The leaf hashes of the log up to its newest checkpoint, which they must
 * match: a proof is only ever given against a root someone signed. Holds
 * 32 bytes per record; a proof is asked for one at a time.
 */
async function loadLog(cwd: string, commit: string) {
  const [object] = await readObjects(cwd, [`${commit}:${CHECKPOINT_FILE}`]);
  let checkpoint: Checkpoint;
  const note = object?.data.toString('utf8') ?? '';
  try {
    checkpoint = parseCheckpointText(parseNote(note).text);
  } catch (error) {
    throw new GitwardenError(
      'LEDGER_CORRUPT',
      `the ledger's checkpoint is unreadable: ${(error as Error).message}`,
    );
  }
  const leaves: Buffer[] = [];
  const ids: (string | undefined)[] = [];
  for await (const { line } of readLines(cwd, commit, 0, checkpoint.size)) {
    leaves.push(leafHash(line));
    ids.push(decodeRecord(line)?.id);
  }
  if (
    leaves.length !== checkpoint.size ||
    !subtreeRoot(leaves).equals(checkpoint.root)
  ) {
    throw new GitwardenError(
      'LEDGER_CORRUPT',
      'the records do not match the ledger checkpoint',
      {
        hint: 'Run `gitwarden ledger verify` to see what is wrong.',
      },
    );
  }
  return { checkpoint, note, leaves, ids };
}

/** Proves that a record (by id, or by position) is in the log. */
export async function proveInclusion(
  cwd: string,
  commit: string,
  target: string,
): Promise<InclusionProof> {
  const { checkpoint, note, leaves, ids } = await loadLog(cwd, commit);
  const index = /^\d+$/.test(target) ? Number(target) : ids.indexOf(target);
  if (index < 0 || index >= leaves.length) {
    throw new GitwardenError(
      'USAGE',
      `no record ${target} in the ledger (size ${leaves.length})`,
    );
  }
  const hashes = inclusionProof(leaves, index);
  if (
    !verifyInclusion(
      leaves[index]!,
      index,
      leaves.length,
      hashes,
      checkpoint.root,
    )
  ) {
    throw new Error('an inclusion proof failed to verify against its own root');
  }
  return {
    index,
    id: ids[index],
    treeSize: leaves.length,
    rootHash: checkpoint.root.toString('base64'),
    leafHash: leaves[index]!.toString('base64'),
    hashes: hashes.map((h) => h.toString('base64')),
    checkpoint: note,
  };
}

/**
 * Proves that the log at its newest checkpoint extends an older tree
 * (size and, when given, the root the caller holds, e.g. from an old
 * checkpoint). A root that does not match means the history was rewritten.
 */
export async function proveConsistency(
  cwd: string,
  commit: string,
  oldSize: number,
  oldRoot?: Buffer,
): Promise<ConsistencyProof & { consistent: boolean }> {
  const { checkpoint, note, leaves } = await loadLog(cwd, commit);
  if (oldSize > leaves.length) {
    return {
      oldSize,
      oldRoot: oldRoot?.toString('base64') ?? '',
      newSize: leaves.length,
      newRoot: checkpoint.root.toString('base64'),
      hashes: [],
      checkpoint: note,
      consistent: false,
    };
  }
  const root = oldRoot ?? subtreeRoot(leaves, 0, oldSize);
  const hashes = consistencyProof(leaves, oldSize);
  return {
    oldSize,
    oldRoot: root.toString('base64'),
    newSize: leaves.length,
    newRoot: checkpoint.root.toString('base64'),
    hashes: hashes.map((h) => h.toString('base64')),
    checkpoint: note,
    consistent: verifyConsistency(
      oldSize,
      leaves.length,
      hashes,
      root,
      checkpoint.root,
    ),
  };
}
