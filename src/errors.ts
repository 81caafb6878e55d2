// Exit codes are part of gitwarden's interface: hooks, CI steps and scripts
// branch on them. They are the same for every command (see README).
export const ExitCode = {
  /** Judged, and everything passed. */
  Ok: 0,
  /** Judged, and something was refused or found. */
  Refused: 1,
  /** Usage or configuration error: a bad flag, a broken policy. */
  Usage: 2,
  /** Could not judge everything: missing history, unreadable input. */
  Incomplete: 3,
  /** `gitwarden run`: the wrapped command was not allowed. */
  NotAllowed: 126,
} as const;

export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

export type ErrorCode =
  | 'USAGE'
  | 'POLICY_INVALID'
  | 'POLICY_UNREADABLE'
  | 'NOT_A_REPOSITORY'
  | 'UNKNOWN_REVISION'
  | 'GIT_FAILED'
  | 'HISTORY_INCOMPLETE'
  | 'INPUT_UNREADABLE'
  | 'INPUT_INVALID'
  | 'REMOTE_UNREACHABLE'
  | 'REMOTE_UNAUTHORIZED'
  | 'REMOTE_FORBIDDEN'
  | 'REMOTE_NOT_FOUND'
  | 'REMOTE_REJECTED'
  | 'COMMAND_FAILED'
  | 'KEY_SOURCE_REFUSED'
  | 'KEY_UNAVAILABLE'
  | 'LEDGER_CORRUPT'
  | 'LEDGER_CONFLICT'
  | 'CLOCK_SKEW';

const exitCodeOf: Record<ErrorCode, ExitCode> = {
  USAGE: ExitCode.Usage,
  POLICY_INVALID: ExitCode.Usage,
  POLICY_UNREADABLE: ExitCode.Usage,
  NOT_A_REPOSITORY: ExitCode.Usage,
  UNKNOWN_REVISION: ExitCode.Usage,
  GIT_FAILED: ExitCode.Incomplete,
  HISTORY_INCOMPLETE: ExitCode.Incomplete,
  INPUT_UNREADABLE: ExitCode.Incomplete,
  INPUT_INVALID: ExitCode.Usage,
  REMOTE_UNREACHABLE: ExitCode.Incomplete,
  REMOTE_UNAUTHORIZED: ExitCode.Usage,
  REMOTE_FORBIDDEN: ExitCode.Incomplete,
  REMOTE_NOT_FOUND: ExitCode.Usage,
  REMOTE_REJECTED: ExitCode.Usage,
  COMMAND_FAILED: ExitCode.Incomplete,
  KEY_SOURCE_REFUSED: ExitCode.Usage,
  KEY_UNAVAILABLE: ExitCode.Usage,
  LEDGER_CORRUPT: ExitCode.Refused,
  LEDGER_CONFLICT: ExitCode.Incomplete,
  CLOCK_SKEW: ExitCode.Usage,
};

/**
 * An expected failure: something the user can fix. The CLI prints its
 * message (and `hint`, when there is one) without a stack trace and exits
 * with the code its `code` maps to. Anything else that is thrown is an
 * internal error.
 */
export class GitwardenError extends Error {
  override name = 'GitwardenError';
  readonly code: ErrorCode;
  readonly hint: string | undefined;

  constructor(
    code: ErrorCode,
    message: string,
    options: { hint?: string; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.code = code;
    this.hint = options.hint;
  }

  get exitCode(): ExitCode {
    return exitCodeOf[this.code];
  }
}

export function isGitwardenError(error: unknown): error is GitwardenError {
  return error instanceof GitwardenError;
}
