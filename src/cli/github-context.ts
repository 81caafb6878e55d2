import { existsSync } from 'node:fs';
import { join } from 'node:path';

import { GitwardenError } from '../errors.ts';
import type { GitHubClient } from '../github/client.ts';
import {
  DEFAULT_POLICY_PATH,
  defaultPolicy,
  loadPolicyFile,
} from '../policy/load.ts';
import type { Policy } from '../policy/types.ts';

/**
 * What the CLI takes from its environment for GitHub: the token
 * (GITHUB_TOKEN, or GH_TOKEN as the gh CLI uses), the API URL
 * (GITHUB_API_URL, set by Actions on GitHub Enterprise Server too) and
 * the repository (GITHUB_REPOSITORY or --repo). The engine gets them as
 * arguments and never reads the environment itself.
 */
export interface GitHubSettings {
  token: string | undefined;
  apiUrl: string | undefined;
  repository: string | undefined;
}

export function githubSettings(repoFlag: string | undefined): GitHubSettings {
  return {
    token: process.env.GITHUB_TOKEN || process.env.GH_TOKEN || undefined,
    apiUrl: process.env.GITHUB_API_URL || undefined,
    repository: repoFlag ?? (process.env.GITHUB_REPOSITORY || undefined),
  };
}

export function splitRepository(repository: string): {
  owner: string;
  repo: string;
} {
  const match = /^([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+)$/.exec(repository);
  if (!match) {
    throw new GitwardenError(
      'USAGE',
      `expected a repository as owner/name, got "${repository}"`,
    );
  }
  return { owner: match[1]!, repo: match[2]! };
}

/** A client for the repository, or undefined when no token is set. */
export async function githubForRepository(
  settings: GitHubSettings,
): Promise<{ client: GitHubClient; owner: string; repo: string } | undefined> {
  if (!settings.token || !settings.repository) return undefined;
  const { createGitHubClient } = await import('../github/client.ts');
  return {
    client: createGitHubClient({
      token: settings.token,
      baseUrl: settings.apiUrl,
      log: {
        debug: () => {},
        info: () => {},
        warn: (message) => console.error(`gitwarden: ${message}`),
        error: () => {},
      },
    }),
    ...splitRepository(settings.repository),
  };
}

/**
 * The policy file given, else dir/.gitwarden/policy.yml if present, else
 * the built-in default.
 */
export async function workingPolicy(
  file: string | undefined,
  dir = '.',
): Promise<Policy> {
  if (file) return loadPolicyFile(file);
  const inDir = join(dir, DEFAULT_POLICY_PATH);
  if (existsSync(inDir)) return loadPolicyFile(inDir);
  return defaultPolicy();
}
