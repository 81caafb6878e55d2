import { RequestError } from '@octokit/request-error';

import { RemoteError } from '../http/remote-error.ts';

/**
 * Runs one GitHub call and turns its failure into a RemoteError that says
 * what was being done, what GitHub answered and, for a token without the
 * right permission, which permission GitHub says is missing (it names it in
 * the X-Accepted-GitHub-Permissions header for Apps and fine-grained
 * tokens, and in X-Accepted-OAuth-Scopes for classic tokens).
 */
export async function githubCall<T>(
  action: string,
  call: () => Promise<T>,
): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw toRemoteError(action, error);
  }
}

export function toRemoteError(action: string, error: unknown): RemoteError {
  if (
    !(error instanceof RequestError) ||
    (error.status === 500 && !error.response)
  ) {
    // No answer at all: a refused connection, DNS, a timeout. octokit
    // reports those as status 500 without a response.
    return new RemoteError({
      service: 'GitHub',
      action,
      status: undefined,
      detail: (error as Error)?.message,
      cause: error,
    });
  }
  const headers = error.response?.headers ?? {};
  const rateLimited =
    error.status === 429 ||
    (error.status === 403 &&
      (headers['x-ratelimit-remaining'] === '0' ||
        /rate limit/i.test(error.message)));
  if (rateLimited) {
    return new RemoteError({
      service: 'GitHub',
      action,
      status: 429,
      detail: 'rate limited',
      hint: 'GitHub rate-limited this token and gitwarden stopped waiting; try again after the reset time, or use a token with a higher limit.',
      cause: error,
    });
  }
  return new RemoteError({
    service: 'GitHub',
    action,
    status: error.status,
    detail: firstLine(serverMessage(error) ?? error.message),
    missingPermission: missingPermission(headers),
    cause: error,
  });
}

function missingPermission(
  headers: Record<string, unknown>,
): string | undefined {
  const fineGrained = headers['x-accepted-github-permissions'];
  if (typeof fineGrained === 'string' && fineGrained.trim()) {
    // Sets are separated by ';' and any one set is enough.
    return fineGrained
      .split(';')
      .map((set) => set.trim())
      .filter(Boolean)
      .join(' or ');
  }
  const scopes = headers['x-accepted-oauth-scopes'];
  if (typeof scopes === 'string' && scopes.trim()) {
    return `scope ${scopes.trim()}`;
  }
  return undefined;
}

/** GitHub's own `message`, without octokit's appended documentation URL. */
function serverMessage(error: RequestError): string | undefined {
  const data = error.response?.data as { message?: unknown } | undefined;
  return typeof data?.message === 'string' ? data.message : undefined;
}

function firstLine(message: string): string {
  return message.split('\n')[0]!.slice(0, 300);
}
