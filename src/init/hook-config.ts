import { spawn } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';

import { gitText } from '../git/run.ts';

/** Where git runs this repository's hooks from, read under the user's config. */
export interface HookConfig {
  /** core.hooksPath as configured in any scope, or undefined. */
  hooksPath: string | undefined;
  /** The folder git runs hooks from (absolute). */
  hooksDir: string;
  /** The git folder all worktrees share (absolute). */
  commonDir: string;
}

/**
 * Reads where hooks live. Unlike the checks, this asks git under the
 * user's own configuration (`userGitEnv`): the hooks run under it, so a
 * global core.hooksPath decides where they must be.
 */
export async function readHookConfig(
  root: string,
  userGitEnv: Record<string, string | undefined>,
): Promise<HookConfig> {
  const options = { cwd: root, env: userGitEnv };
  const [commonDir = '.git', hooksDir = '.git/hooks'] = (
    await gitText(
      ['rev-parse', '--git-common-dir', '--git-path', 'hooks'],
      options,
    )
  ).split('\n');
  const hooksPath = await gitText(['config', '--get', 'core.hooksPath'], {
    ...options,
    okCodes: [1],
  });
  return {
    hooksPath: hooksPath || undefined,
    hooksDir: resolve(root, hooksDir),
    commonDir: resolve(root, commonDir),
  };
}

/** Whether core.hooksPath is husky's: `.husky/_` (v9) or `.husky` (v4–8). */
export function huskyHooksPath(
  root: string,
  config: HookConfig,
): 'v9' | 'legacy' | undefined {
  if (!config.hooksPath) return undefined;
  const path = relative(root, resolve(root, config.hooksPath))
    .split(sep)
    .join('/');
  if (path === '.husky/_') return 'v9';
  if (path === '.husky') return 'legacy';
  return undefined;
}

/** Whether `path` is inside `folder` (or is it). */
export function isInside(path: string, folder: string): boolean {
  const rel = relative(folder, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/** husky's command as installed in the project, if it is installed. */
export function findInstalledHusky(root: string): string | undefined {
  try {
    const entry = createRequire(join(root, 'package.json')).resolve('husky');
    return join(dirname(entry), 'bin.js');
  } catch {
    return undefined;
  }
}

/**
 * Runs the project's husky (what its `prepare` script does on install):
 * it points core.hooksPath at .husky/_ and writes its runner there.
 * husky reports problems on its output and still exits 0, so the output
 * is returned for the caller to judge.
 */
export function runHusky(root: string, huskyBin: string): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [huskyBin], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk));
    child.on('error', reject);
    child.on('close', () => resolvePromise(output.trim()));
  });
}

/** Hooks in the git folder that stop running once core.hooksPath moves. */
export async function activeHooksIn(folder: string): Promise<string[]> {
  const names = await readdir(folder).catch(() => [] as string[]);
  return names.filter((name) => !name.endsWith('.sample')).sort();
}
