import { git } from '../git/run.ts';
import {
  parseCheckpointText,
  parseNote,
  type Checkpoint,
  type SignedNote,
} from './checkpoint.ts';
import { readObjects } from './git-objects.ts';
import { noteOfMessage } from './layout.ts';

export interface HistoryCheckpoint {
  commit: string;
  note: SignedNote;
  raw: string;
  checkpoint: Checkpoint;
}

export interface HistoryProblem {
  commit: string;
  message: string;
}

/**
 * The ledger branch's commits, oldest first, each with the checkpoint its
 * message carries. A ledger is a single line of commits that starts with
 * an init commit; merges and checkpoints that do not parse are problems.
 * Commits are read a thousand at a time.
 */
export async function readHistory(
  cwd: string,
  tip: string,
): Promise<{ checkpoints: HistoryCheckpoint[]; problems: HistoryProblem[] }> {
  const { stdout } = await git(
    ['rev-list', '--first-parent', '--reverse', tip],
    {
      cwd,
    },
  );
  const rows = stdout.toString('utf8').trim().split('\n').filter(Boolean);
  const checkpoints: HistoryCheckpoint[] = [];
  const problems: HistoryProblem[] = [];
  for (let at = 0; at < rows.length; at += 1000) {
    const slice = rows.slice(at, at + 1000);
    const objects = await readObjects(cwd, slice);
    slice.forEach((commit, i) => {
      const { parents, message } = parseCommit(objects[i]?.data);
      if (at + i === 0 && parents.length > 0) {
        problems.push({
          commit: commit,
          message:
            'history goes past the ledger: its first commit has a parent',
        });
      }
      if (parents.length > 1) {
        problems.push({
          commit: commit,
          message: 'is a merge: a ledger is a single line of appends',
        });
      }
      const raw = message === undefined ? undefined : noteOfMessage(message);
      try {
        if (raw === undefined) throw new Error('carries no checkpoint');
        const note = parseNote(raw);
        checkpoints.push({
          commit: commit,
          note,
          raw,
          checkpoint: parseCheckpointText(note.text),
        });
      } catch (error) {
        problems.push({
          commit: commit,
          message: `checkpoint: ${(error as Error).message}`,
        });
      }
    });
  }
  return { checkpoints, problems };
}

/** The parents and message of a raw commit object. */
function parseCommit(data: Buffer | undefined): {
  parents: string[];
  message: string | undefined;
} {
  if (!data) return { parents: [], message: undefined };
  const text = data.toString('utf8');
  const split = text.indexOf('\n\n');
  const headers = split < 0 ? text : text.slice(0, split);
  const parents = headers
    .split('\n')
    .filter((line) => line.startsWith('parent '))
    .map((line) => line.slice('parent '.length));
  return { parents, message: split < 0 ? '' : text.slice(split + 2) };
}
