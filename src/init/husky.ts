import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';

import {
  activeHooksIn,
  findInstalledHusky,
  huskyHooksPath,
  readHookConfig,
  runHusky,
  type HookConfig,
} from './hook-config.ts';
import type { InitStep } from './types.ts';

export interface Activation {
  step?: InitStep;
  warnings: string[];
  /** Set when husky is not installed yet: the install command to run. */
  install?: string;
}

/**
 * Makes the .husky hooks run now when husky is installed, the way its
 * `prepare` script would on the next install. When it is not installed,
 * init does not install packages itself (that is the package manager's
 * job, with the lockfile and registry the project chose): it says which
 * command to run.
 */
export async function activateHusky(
  root: string,
  config: HookConfig,
  userGitEnv: Record<string, string | undefined>,
): Promise<Activation> {
  const huskyBin = findInstalledHusky(root);
  if (!huskyBin) return { warnings: [], install: installCommand(root) };

  const gitHooks = join(config.commonDir, 'hooks');
  const before = await activeHooksIn(gitHooks);
  const output = await runHusky(root, huskyBin);
  const after = await readHookConfig(root, userGitEnv);
  if (huskyHooksPath(root, after) !== 'v9') {
    const why = output ? `: ${output}` : '';
    return { warnings: [`husky did not activate the hook${why}`] };
  }

  const warnings = before.length
    ? [
        `git now runs hooks from .husky/, so these in ${relative(root, gitHooks)} no longer run: ${before.join(', ')}; move them into .husky/ to keep them`,
      ]
    : [];
  return {
    step: {
      action: 'ran',
      target: 'husky',
      detail: 'core.hooksPath = .husky/_',
    },
    warnings,
  };
}

/** The install command of the package manager the project uses. */
export function installCommand(root: string): string {
  const lockfiles: [string, string][] = [
    ['pnpm-lock.yaml', 'pnpm install'],
    ['yarn.lock', 'yarn install'],
    ['bun.lock', 'bun install'],
    ['bun.lockb', 'bun install'],
  ];
  const found = lockfiles.find(([file]) => existsSync(join(root, file)));
  return found?.[1] ?? 'npm install';
}
