import { GitwardenError } from '../errors.ts';

/**
 * The variables git servers set to name the authenticated pusher, in the
 * order they are looked at when no `--pusher-var` is given:
 * - GITHUB_USER_LOGIN: GitHub Enterprise Server pre-receive hooks
 * - GL_USERNAME: GitLab server hooks (GL_ID holds the numeric user id)
 * - GITEA_PUSHER_NAME: Gitea and Forgejo
 * - GL_USER: gitolite
 * - REMOTE_USER: git-http-backend behind a web server that authenticates
 */
export const KNOWN_PUSHER_VARIABLES = [
  'GITHUB_USER_LOGIN',
  'GL_USERNAME',
  'GITEA_PUSHER_NAME',
  'GL_USER',
  'REMOTE_USER',
];

/**
 * Reads the pusher. A missing or empty variable is a server set-up
 * mistake, never "anonymous": it refuses the push and says so.
 */
export function pusherFrom(
  env: NodeJS.ProcessEnv,
  variable: string | undefined,
): { value: string; via: string } {
  if (variable) {
    const value = env[variable]?.trim();
    if (!value) {
      throw misconfigured(`the pusher variable ${variable} is not set`);
    }
    return { value, via: variable };
  }
  for (const name of KNOWN_PUSHER_VARIABLES) {
    const value = env[name]?.trim();
    if (value) return { value, via: name };
  }
  throw misconfigured(
    `none of ${KNOWN_PUSHER_VARIABLES.join(', ')} names the pusher`,
  );
}

function misconfigured(detail: string) {
  return new GitwardenError(
    'INPUT_INVALID',
    `server misconfigured: ${detail}; refusing the push`,
    {
      hint: 'Name the variable with --pusher-var NAME (or GITWARDEN_PUSHER_VAR) in the pre-receive hook; see README "Server hooks".',
    },
  );
}

const OVERRIDE_OPTION = 'gitwarden-override=';

/**
 * A break-glass reason sent with `git push -o gitwarden-override="..."`.
 * git hands push options to pre-receive as GIT_PUSH_OPTION_COUNT and
 * GIT_PUSH_OPTION_0..N-1 (the repository needs
 * receive.advertisePushOptions=true).
 */
export function overrideFromPushOptions(
  env: NodeJS.ProcessEnv,
): string | undefined {
  const count = Number(env.GIT_PUSH_OPTION_COUNT ?? '0');
  if (!Number.isInteger(count) || count <= 0) return undefined;
  for (let i = 0; i < Math.min(count, 100); i++) {
    const option = env[`GIT_PUSH_OPTION_${i}`] ?? '';
    if (option.startsWith(OVERRIDE_OPTION)) {
      return option.slice(OVERRIDE_OPTION.length);
    }
  }
  return undefined;
}
