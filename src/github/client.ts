import { Octokit } from '@octokit/core';
import { paginateRest } from '@octokit/plugin-paginate-rest';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';

/** The one REST client class every GitHub call in gitwarden goes through. */
const GitwardenOctokit = Octokit.plugin(paginateRest, retry, throttling);

export type GitHubClient = InstanceType<typeof GitwardenOctokit>;

export const DEFAULT_GITHUB_API_URL = 'https://api.github.com';

export interface GitHubLog {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export interface GitHubClientOptions {
  /** Token from the adapter (GITHUB_TOKEN, an App token); never read here. */
  token: string;
  /** REST base URL; GitHub Enterprise Server's ends in /api/v3. */
  baseUrl?: string;
  /** Per-request timeout in milliseconds (default 30 s). */
  timeoutMs?: number;
  /** Retries after a 5xx, a timeout or a network error (default 3). */
  retries?: number;
  /** Retries after a rate limit (default 2). */
  rateLimitRetries?: number;
  /** Never wait longer than this for a rate limit to reset (default 60 s). */
  maxRateLimitWaitSeconds?: number;
  /**
   * Milliseconds per "second" of back-off and of Retry-After. 1000 in real
   * use; tests shrink it so a scripted rate limit does not cost a minute.
   */
  secondMs?: number;
  log?: GitHubLog;
  userAgent?: string;
}

const quiet: GitHubLog = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
};

/**
 * Builds the client: pagination, throttling that honours GitHub's primary
 * and secondary rate limits (x-ratelimit-*, retry-after) with a bounded
 * number of waits, retries with back-off on 5xx and network errors, and a
 * timeout on every single request.
 */
export function createGitHubClient(options: GitHubClientOptions): GitHubClient {
  const secondMs = options.secondMs ?? 1000;
  const rateLimitRetries = options.rateLimitRetries ?? 2;
  const maxWait = options.maxRateLimitWaitSeconds ?? 60;
  const log = options.log ?? quiet;

  // Both limits get the same rule: wait as GitHub asks, a bounded number
  // of times, and never longer than maxWait; after that the 403/429
  // reaches the caller as a clear error.
  const onLimit =
    (kind: string) =>
    (
      retryAfter: number,
      request: { method: string; url: string },
      _o: unknown,
      count: number,
    ) => {
      const retrying = count < rateLimitRetries && retryAfter <= maxWait;
      log.warn(
        `GitHub ${kind} rate limit on ${request.method} ${request.url}; ` +
          (retrying ? `retrying in ${retryAfter}s` : 'giving up'),
      );
      return retrying;
    };

  return new GitwardenOctokit({
    auth: options.token,
    baseUrl: trimSlash(options.baseUrl ?? DEFAULT_GITHUB_API_URL),
    userAgent: options.userAgent ?? 'gitwarden',
    log,
    request: { fetch: fetchWithTimeout(options.timeoutMs ?? 30_000) },
    retry: { retries: options.retries ?? 3, retryAfterBaseValue: secondMs },
    throttle: {
      onRateLimit: onLimit('primary'),
      onSecondaryRateLimit: onLimit('secondary'),
      retryAfterBaseValue: secondMs,
      // Each client gets its own limiter key, so tests and parallel jobs
      // in one process do not queue behind each other's writes.
      id: `gitwarden-${++clients}`,
    },
  });
}

let clients = 0;

/**
 * A timeout per attempt: the retry plugin calls fetch again for each
 * retry, and each call must get a fresh clock.
 */
function fetchWithTimeout(timeoutMs: number): typeof fetch {
  return (input, init) => {
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = init?.signal
      ? AbortSignal.any([init.signal, timeout])
      : timeout;
    return fetch(input, { ...init, signal });
  };
}

function trimSlash(url: string): string {
  return url.replace(/\/+$/, '');
}
