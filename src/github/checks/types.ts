import type { CommitInfo } from '../../git/commits.ts';
import type { ResolvedRange } from '../../git/range.ts';
import type { Policy } from '../../policy/types.ts';
import type { JudgedSubject } from '../event.ts';

/**
 * The verify action runs a list of checks over the same commits. Each is a
 * function of what was resolved once (range, commits, the base's policy)
 * and reports findings; none prints, none decides the step's outcome.
 */
export interface CheckContext {
  repo: string;
  subject: JudgedSubject;
  range: ResolvedRange;
  /** Newest first, as git log lists them. */
  commits: CommitInfo[];
  /** The policy of the base: never read from the change itself. */
  policy: Policy;
  /** The revision that policy was read from (undefined: built-in). */
  policyRevision: string | undefined;
  /**
   * The protected branch as it was before the change: commits it already
   * holds are not charged to whoever brings them along again.
   */
  baseRevision: string | undefined;
}

export type Severity = 'error' | 'warning' | 'notice';

export interface Finding {
  /** The check that found it, e.g. `trailers`. */
  check: string;
  /** A stable id for SARIF and for filtering, e.g. `trailer-missing`. */
  rule: string;
  severity: Severity;
  message: string;
  /** The commit the finding is about, when it is about one. */
  commit?: string;
  /** A file and line in the repository, when the finding has a place. */
  file?: string;
  line?: number;
  endLine?: number;
  column?: number;
  /** How to fix it, one line. */
  fix?: string;
  /** A stable one-way id (a secret's baseline fingerprint), for SARIF. */
  fingerprint?: string;
}

export type CommitState = 'pass' | 'fail' | 'exempt';

export interface CheckOutcome {
  check: string;
  /**
   * `ran`: judged every commit. `off`: the policy turns it off.
   * `not-configured`: it needs policy sections that are not there yet.
   */
  status: 'ran' | 'off' | 'not-configured';
  findings: Finding[];
  /** What the reader must know: policy warnings, what was skipped. */
  notes: string[];
  /** Per commit, where the check has a verdict of its own. */
  commits?: Map<string, CommitState>;
  /** Structured decisions for the audit ledger (e.g. access decisions). */
  decisions?: unknown[];
  /** Part of the input could not be judged: the run is incomplete. */
  incomplete?: boolean;
}

export interface Check {
  name: string;
  run(context: CheckContext): Promise<CheckOutcome>;
}

/** Each commit's state from the findings about it: fail if any error. */
export function statesFrom(
  commits: readonly { sha: string }[],
  findings: readonly Finding[],
): Map<string, CommitState> {
  const failed = new Set(
    findings.filter((f) => f.severity === 'error').map((f) => f.commit),
  );
  return new Map(
    commits.map((commit) => [
      commit.sha,
      failed.has(commit.sha) ? 'fail' : 'pass',
    ]),
  );
}
