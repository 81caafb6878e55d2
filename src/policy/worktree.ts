import { lstat } from 'node:fs/promises';
import { join } from 'node:path';

import { workTreeRoot } from '../git/worktree.ts';
import { DEFAULT_POLICY_PATH } from './load.ts';

/**
 * Where the policy of the work tree `repo` is on disk (what a user edits;
 * checks judge a change by the committed policy on its base instead).
 * `exists` is false when there is nothing at that path: the built-in
 * default applies. Anything else there, even a folder, is for the loader
 * to accept or refuse.
 */
export async function workTreePolicyPath(
  repo: string,
): Promise<{ root: string; path: string; exists: boolean }> {
  const root = await workTreeRoot(repo);
  const path = join(root, DEFAULT_POLICY_PATH);
  const exists = await lstat(path).then(
    () => true,
    () => false,
  );
  return { root, path, exists };
}
