import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';

import { GitwardenError } from '../errors.ts';
import { gitText } from './run.ts';

/**
 * The top folder of the work tree that `path` is in. A bare repository has
 * none, and commands that write into a work tree (init, validating the
 * checked-out policy) say so instead of failing inside git.
 */
export async function workTreeRoot(path: string): Promise<string> {
  const folder = resolve(path);
  const info = await stat(folder).catch(() => undefined);
  if (!info?.isDirectory()) {
    throw new GitwardenError('NOT_A_REPOSITORY', `${folder} is not a folder`, {
      hint: 'Pass --repo PATH with the path of a git repository.',
    });
  }
  const [bare, inside] = (
    await gitText(
      ['rev-parse', '--is-bare-repository', '--is-inside-work-tree'],
      { cwd: folder },
    ).catch((error: unknown) => {
      if (
        error instanceof GitwardenError &&
        error.code === 'NOT_A_REPOSITORY'
      ) {
        throw new GitwardenError(
          'NOT_A_REPOSITORY',
          `${folder} is not in a git repository`,
          { hint: error.hint },
        );
      }
      throw error;
    })
  ).split('\n');
  if (bare === 'true' || inside !== 'true') {
    throw new GitwardenError(
      'NOT_A_REPOSITORY',
      `${folder} is a bare repository (or a .git folder), which has no work tree`,
      {
        hint: 'Run this in a clone with a work tree; a server judges pushes with a pre-receive hook instead.',
      },
    );
  }
  return gitText(['rev-parse', '--show-toplevel'], { cwd: folder });
}
