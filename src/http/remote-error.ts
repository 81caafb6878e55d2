import { GitwardenError, type ErrorCode } from '../errors.ts';

/** The services gitwarden talks to over HTTP. */
export type RemoteService = 'GitHub' | 'Vault' | 'Doppler';

export interface RemoteFailure {
  service: RemoteService;
  /** What gitwarden was doing, e.g. "list repository secrets". */
  action: string;
  /** HTTP status; undefined when no answer came (network, timeout). */
  status: number | undefined;
  /** The service's own words, already free of any secret value. */
  detail?: string;
  /** Permission the service said is needed, e.g. "secrets=read". */
  missingPermission?: string;
  hint?: string;
  cause?: unknown;
}

/**
 * A failed call to GitHub, Vault or Doppler. The message names the
 * service, what was being done and why it failed; it never carries a
 * request body, so no secret value can reach a log through it.
 */
export class RemoteError extends GitwardenError {
  override name = 'RemoteError';
  readonly service: RemoteService;
  readonly status: number | undefined;
  readonly missingPermission: string | undefined;

  constructor(failure: RemoteFailure) {
    super(codeFor(failure.status), messageFor(failure), {
      hint: failure.hint ?? defaultHint(failure),
      cause: failure.cause,
    });
    this.service = failure.service;
    this.status = failure.status;
    this.missingPermission = failure.missingPermission;
  }
}

export function isRemoteError(error: unknown): error is RemoteError {
  return error instanceof RemoteError;
}

function codeFor(status: number | undefined): ErrorCode {
  if (status === undefined || status === 429 || status >= 500) {
    return 'REMOTE_UNREACHABLE';
  }
  if (status === 401) return 'REMOTE_UNAUTHORIZED';
  if (status === 403) return 'REMOTE_FORBIDDEN';
  if (status === 404) return 'REMOTE_NOT_FOUND';
  return 'REMOTE_REJECTED';
}

function messageFor(failure: RemoteFailure): string {
  const { service, action, status, detail, missingPermission } = failure;
  const what = status === undefined ? 'no answer' : `HTTP ${status}`;
  let message = `${service}: cannot ${action}: ${what}`;
  if (detail) message += ` (${detail})`;
  if (missingPermission) {
    message += `; the token lacks the permission ${missingPermission}`;
  }
  return message;
}

function defaultHint(failure: RemoteFailure): string | undefined {
  const { service, status } = failure;
  if (status === undefined) {
    return `Check that ${service} is reachable from here (address, proxy, firewall) and try again.`;
  }
  if (status === 401) {
    return `The ${service} token was refused: check that it is set, current and meant for this server.`;
  }
  if (status === 403) {
    return `The ${service} token is valid but may not do this: grant the permission named above, or use a token that has it.`;
  }
  if (status === 429 || status >= 500) {
    return `${service} kept failing after retries; try again later.`;
  }
  return undefined;
}
