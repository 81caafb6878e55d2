import { git, gitText } from '../git/run.ts';

// The few git plumbing commands the ledger is written with. None of them
// reads or writes the work tree or the index: objects go straight into
// the object database and a ref moves only by compare-and-swap.

export interface GitObject {
  sha: string;
  type: string;
  data: Buffer;
}

/**
 * Reads objects by name (`<rev>:<path>`, or a sha) with one
 * `git cat-file --batch`; an object that does not exist is undefined.
 */
export async function readObjects(
  cwd: string,
  names: readonly string[],
): Promise<(GitObject | undefined)[]> {
  if (names.length === 0) return [];
  for (const name of names) {
    if (name.includes('\n')) throw new Error(`bad object name: ${name}`);
  }
  const { stdout } = await git(['cat-file', '--batch'], {
    cwd,
    input: names.map((name) => `${name}\n`).join(''),
  });
  const objects: (GitObject | undefined)[] = [];
  let offset = 0;
  for (let i = 0; i < names.length; i++) {
    const end = stdout.indexOf(0x0a, offset);
    const header = stdout.toString('utf8', offset, end);
    offset = end + 1;
    const match = /^([0-9a-f]+) (\w+) (\d+)$/.exec(header);
    if (!match) {
      objects.push(undefined); // "<name> missing" or "ambiguous"
      continue;
    }
    const size = Number(match[3]);
    objects.push({
      sha: match[1]!,
      type: match[2]!,
      data: stdout.subarray(offset, offset + size),
    });
    offset += size + 1;
  }
  return objects;
}

export interface TreeEntry {
  mode: string;
  name: string;
  sha: string;
}

/** Parses a raw tree object ("<mode> <name>\0<binary id>" entries). */
export function parseTree(data: Buffer, idLength: number): TreeEntry[] {
  const entries: TreeEntry[] = [];
  let offset = 0;
  while (offset < data.length) {
    const nul = data.indexOf(0, offset);
    const [mode, ...rest] = data.toString('utf8', offset, nul).split(' ');
    const sha = data.toString('hex', nul + 1, nul + 1 + idLength);
    entries.push({ mode: mode!, name: rest.join(' '), sha });
    offset = nul + 1 + idLength;
  }
  return entries;
}

export async function writeBlob(cwd: string, data: Buffer | string) {
  return gitText(['hash-object', '-w', '--stdin'], { cwd, input: data });
}

export async function writeTree(cwd: string, entries: readonly TreeEntry[]) {
  const input = entries
    .map((entry) => {
      const type =
        entry.mode === '040000' || entry.mode === '40000' ? 'tree' : 'blob';
      return `${entry.mode} ${type} ${entry.sha}\t${entry.name}\n`;
    })
    .join('');
  return gitText(['mktree'], { cwd, input });
}

/** The identity ledger commits carry; who signed is in the records. */
const LEDGER_IDENTITY = {
  GIT_AUTHOR_NAME: 'gitwarden ledger',
  GIT_AUTHOR_EMAIL: 'ledger@gitwarden.invalid',
  GIT_COMMITTER_NAME: 'gitwarden ledger',
  GIT_COMMITTER_EMAIL: 'ledger@gitwarden.invalid',
};

export async function writeCommit(
  cwd: string,
  tree: string,
  parent: string | undefined,
  message: string,
) {
  const args = [
    'commit-tree',
    tree,
    ...(parent ? ['-p', parent] : []),
    '-F',
    '-',
  ];
  return gitText(args, { cwd, input: message, env: LEDGER_IDENTITY });
}

/**
 * Moves a ref from `expected` (undefined: the ref must not exist) to
 * `next`, atomically. Returns false when the ref was somewhere else: a
 * concurrent writer won the race.
 */
export async function compareAndSwapRef(
  cwd: string,
  ref: string,
  next: string,
  expected: string | undefined,
): Promise<boolean> {
  const command = expected
    ? `update ${ref} ${next} ${expected}\n`
    : `create ${ref} ${next}\n`;
  const result = await git(['update-ref', '--stdin'], {
    cwd,
    input: command,
    okCodes: [1, 128],
  });
  if (result.code === 0) return true;
  if (
    /cannot lock ref|reference already exists|is at .* but expected/i.test(
      result.stderr,
    )
  ) {
    return false;
  }
  throw new Error(`git update-ref failed: ${result.stderr.trim()}`);
}

/** The commit a ref points to, or undefined when it does not exist. */
export async function resolveRef(cwd: string, ref: string) {
  const result = await git(
    ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`],
    {
      cwd,
      okCodes: [1, 128],
    },
  );
  const sha = result.stdout.toString('utf8').trim();
  return result.code === 0 && sha ? sha : undefined;
}

/** Whether a ref exists at all (pointing at a commit or not). */
export async function refExists(cwd: string, ref: string) {
  const result = await git(['rev-parse', '--verify', '--quiet', ref], {
    cwd,
    okCodes: [1, 128],
  });
  return result.code === 0;
}
