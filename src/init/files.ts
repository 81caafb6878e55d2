import {
  chmod,
  lstat,
  mkdir,
  readFile,
  rename,
  stat,
  writeFile,
} from 'node:fs/promises';
import { dirname } from 'node:path';

import { GitwardenError } from '../errors.ts';

/** What init does, or would do, to one file. */
export type FileAction =
  | 'create' // absent: write it
  | 'unchanged' // already exactly what init writes
  | 'keep' // the user's own version, which already does the job
  | 'update' // same content; only the executable bit was missing
  | 'replace' // --force: the old one is moved aside to `backup`
  | 'refuse'; // the user's own file, in the way; needs --force

export interface FilePlan {
  path: string;
  content: string;
  executable: boolean;
  action: FileAction;
  backup?: string;
}

export interface FileWish {
  path: string;
  content: string;
  executable?: boolean;
  /**
   * Whether a different existing file already does the job (a policy of
   * the team's own, a hook that already runs gitwarden): kept as it is.
   */
  acceptable: (existing: string) => boolean;
}

/**
 * Decides what to do with one file without touching it. A user's file is
 * never overwritten without `force`, and even then it is moved aside, not
 * lost.
 */
export async function planFile(
  wish: FileWish,
  force: boolean,
): Promise<FilePlan> {
  const executable = wish.executable ?? false;
  const plan = (action: FileAction, backup?: string): FilePlan => ({
    path: wish.path,
    content: wish.content,
    executable,
    action,
    ...(backup ? { backup } : {}),
  });

  // stat, not lstat: a policy or hook linked from elsewhere is judged by
  // what it points to.
  const info = await stat(wish.path).catch(notFound);
  if (!info) return plan('create');
  if (!info.isFile()) {
    throw new GitwardenError(
      'USAGE',
      `${wish.path} exists and is not a regular file; move it away and run init again`,
    );
  }
  const existing = await readFile(wish.path, 'utf8');
  const runnable = !executable || (info.mode & 0o111) !== 0;
  if (existing === wish.content) {
    return plan(runnable ? 'unchanged' : 'update');
  }
  if (force) return plan('replace', await freeBackupName(wish.path));
  if (wish.acceptable(existing)) return plan(runnable ? 'keep' : 'update');
  return plan('refuse');
}

function notFound(error: NodeJS.ErrnoException): undefined {
  if (error.code === 'ENOENT') return undefined;
  throw new GitwardenError(
    'USAGE',
    `cannot use ${error.path ?? 'a file'}: ${error.code === 'ENOTDIR' ? 'a parent of it is a file, not a folder' : error.message}`,
  );
}

/** Carries out a plan made by planFile(). */
export async function applyFile(plan: FilePlan): Promise<void> {
  try {
    await writePlan(plan);
  } catch (error) {
    const { code, message } = error as NodeJS.ErrnoException;
    throw new GitwardenError(
      'USAGE',
      `cannot write ${plan.path}: ${code ?? message}`,
      { cause: error },
    );
  }
}

async function writePlan(plan: FilePlan): Promise<void> {
  const mode = plan.executable ? 0o755 : 0o644;
  switch (plan.action) {
    case 'create':
      await mkdir(dirname(plan.path), { recursive: true });
      await writeFile(plan.path, plan.content, { mode, flag: 'wx' });
      return;
    case 'replace':
      await rename(plan.path, plan.backup!);
      await writeFile(plan.path, plan.content, { mode, flag: 'wx' });
      return;
    case 'update':
      await chmod(plan.path, mode);
      return;
    default:
      return;
  }
}

async function freeBackupName(path: string): Promise<string> {
  for (let n = 0; ; n++) {
    const candidate = n === 0 ? `${path}.bak` : `${path}.bak.${n}`;
    const taken = await lstat(candidate).then(
      () => true,
      () => false,
    );
    if (!taken) return candidate;
  }
}
