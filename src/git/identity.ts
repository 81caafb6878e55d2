import { gitText } from './run.ts';

/**
 * The local git identity's email (`user.email`, or git's own fallback),
 * read WITH the user's global config: it says who is at the keyboard. A
 * claim only, never proof: it is what local, advisory checks go by.
 */
export async function localGitEmail(
  repo: string,
  userConfig: { globalConfig?: string | undefined } = {},
): Promise<string> {
  const ident = await gitText(['var', 'GIT_COMMITTER_IDENT'], {
    cwd: repo,
    env: {
      GIT_CONFIG_GLOBAL: userConfig.globalConfig,
      GIT_CONFIG_NOSYSTEM: undefined,
    },
    okCodes: [128],
  });
  const match = /<([^>]*)>/.exec(ident);
  return match?.[1] ?? '';
}
