import { GitwardenError } from '../errors.ts';
import { readCommits, type CommitInfo } from '../git/commits.ts';
import { resolveRange, type ResolvedRange } from '../git/range.ts';
import { git } from '../git/run.ts';
import { loadPolicyAt } from '../policy/load.ts';
import type { Policy, PolicySource } from '../policy/types.ts';
import type {
  Check,
  CheckOutcome,
  CommitState,
  Finding,
} from './checks/types.ts';
import { REMOTE, type JudgedSubject } from './event.ts';
import { withHistory } from './history.ts';

export interface VerifyOptions {
  repo: string;
  subject: JudgedSubject;
  checks: readonly Check[];
  /** Whether missing history may be fetched from the remote. */
  fetch: boolean;
  log?: (line: string) => void;
}

/**
 * `pass`: judged, nothing refused. `refused`: judged, something refused.
 * `incomplete`: a check could not run, so not everything was judged.
 * `nothing`: there were no commits to judge (always said out loud).
 */
export type Verdict = 'pass' | 'refused' | 'incomplete' | 'nothing';

export interface CommitRow {
  sha: string;
  subject: string;
  author: string;
  verdict: 'pass' | 'refused' | 'exempt';
  /** Each check's own word on this commit, where it has one. */
  checks: Record<string, CommitState>;
}

export interface VerifyResult {
  schema: 'gitwarden/verify-result@1';
  event: string;
  description: string;
  /** The commits judged, as git describes them (short shas). */
  range: string;
  head: string;
  actor: JudgedSubject['actor'];
  policy: string;
  verdict: Verdict;
  commits: CommitRow[];
  checks: { name: string; status: CheckOutcome['status']; notes: string[] }[];
  findings: Finding[];
  notes: string[];
  counts: {
    commits: number;
    refused: number;
    exempt: number;
    errors: number;
    warnings: number;
  };
}

/**
 * Judges what an event brings: resolves the commits (fetching history the
 * clone lacks), reads the policy from the base, and runs every check.
 */
export async function verify(options: VerifyOptions): Promise<VerifyResult> {
  const { repo, subject } = options;
  const { range, commits } = await withHistory(
    {
      repo,
      remote: REMOTE,
      needs: subject.needs,
      fetch: options.fetch,
      log: options.log,
    },
    async () => {
      const range = await resolveRange(repo, subject.spec);
      const commits = await readCommits(repo, range.revisions, range.facts);
      return { range, commits };
    },
  );

  const policy = await loadPolicyAt(
    repo,
    await policyRevision(repo, subject, range),
  );
  const context = { repo, subject, range, commits, policy };
  const outcomes: CheckOutcome[] = [];
  for (const check of options.checks) {
    outcomes.push(await runCheck(check, context));
  }
  return summarise(subject, range, commits, policy, outcomes);
}

/**
 * The base's policy judges: the old tip of a branch updated in place, the
 * base of a pull request, and the default branch for a new ref (a branch,
 * a tag, or an old tip this clone no longer has).
 */
async function policyRevision(
  repo: string,
  subject: JudgedSubject,
  range: ResolvedRange,
): Promise<string | undefined> {
  const { spec, policyBranch } = subject;
  const updatedInPlace =
    spec.kind === 'push' && range.policyRevision === spec.oldSha;
  if (policyBranch === undefined || updatedInPlace) {
    return range.policyRevision;
  }
  const { stdout, code } = await git(
    ['rev-parse', '--verify', '--quiet', `refs/remotes/${policyBranch}`],
    { cwd: repo, okCodes: [1] },
  );
  if (code !== 0) {
    throw new GitwardenError(
      'HISTORY_INCOMPLETE',
      `the default branch ${policyBranch} is not in this clone, so its policy cannot judge ${subject.description}`,
      { hint: 'Give actions/checkout `fetch-depth: 0`.' },
    );
  }
  return stdout.toString('utf8').trim();
}

async function runCheck(
  check: Check,
  context: Parameters<Check['run']>[0],
): Promise<CheckOutcome & { failed?: boolean }> {
  try {
    return await check.run(context);
  } catch (error) {
    // A check that throws did not judge: say so, and never pass.
    return {
      check: check.name,
      status: 'ran',
      failed: true,
      notes: [],
      findings: [
        {
          check: check.name,
          rule: 'check-failed',
          severity: 'error',
          message: `the ${check.name} check could not run: ${(error as Error)?.message ?? String(error)}`,
        },
      ],
    };
  }
}

function summarise(
  subject: JudgedSubject,
  range: ResolvedRange,
  commits: CommitInfo[],
  policy: Policy,
  outcomes: (CheckOutcome & { failed?: boolean })[],
): VerifyResult {
  const findings = outcomes.flatMap((outcome) => outcome.findings);
  const rows = commits.map((commit) => commitRow(commit, outcomes, findings));
  const notes = outcomes.flatMap((o) => o.notes.map((n) => `${o.check}: ${n}`));
  if (commits.length === 0) {
    notes.unshift(`no new commits in ${range.description}: nothing judged`);
  }
  const errors = findings.filter((f) => f.severity === 'error').length;

  let verdict: Verdict = 'pass';
  const ran = outcomes.some((outcome) => outcome.status === 'ran');
  if (commits.length > 0 && !ran) {
    notes.unshift('every check is off or not configured: nothing judged');
  }
  if (outcomes.some((outcome) => outcome.failed)) verdict = 'incomplete';
  else if (errors > 0) verdict = 'refused';
  else if (commits.length === 0 || !ran) verdict = 'nothing';

  return {
    schema: 'gitwarden/verify-result@1',
    event: subject.event,
    description: subject.description,
    range: range.description.replace(
      /\b([0-9a-f]{12})[0-9a-f]{28,52}\b/g,
      '$1',
    ),
    head: subject.headSha,
    actor: subject.actor,
    policy: describeSource(policy.source),
    verdict,
    commits: rows,
    checks: outcomes.map(({ check, status, notes }) => ({
      name: check,
      status,
      notes,
    })),
    findings,
    notes,
    counts: {
      commits: rows.length,
      refused: rows.filter((row) => row.verdict === 'refused').length,
      exempt: rows.filter((row) => row.verdict === 'exempt').length,
      errors,
      warnings: findings.filter((f) => f.severity === 'warning').length,
    },
  };
}

function commitRow(
  commit: CommitInfo,
  outcomes: CheckOutcome[],
  findings: Finding[],
): CommitRow {
  const checks: Record<string, CommitState> = {};
  for (const outcome of outcomes) {
    const state = outcome.commits?.get(commit.sha);
    if (state) checks[outcome.check] = state;
  }
  const refused = findings.some(
    (f) => f.commit === commit.sha && f.severity === 'error',
  );
  const states = Object.values(checks);
  const exempt = states.length > 0 && states.every((s) => s === 'exempt');
  return {
    sha: commit.sha,
    subject: commit.subject,
    author: `${commit.authorName} <${commit.authorEmail}>`,
    verdict: refused ? 'refused' : exempt ? 'exempt' : 'pass',
    checks,
  };
}

export function describeSource(source: PolicySource): string {
  switch (source.kind) {
    case 'default':
      return 'built-in default';
    case 'file':
      return source.path;
    case 'revision':
      return `${source.path} at ${source.revision.slice(0, 12)}`;
  }
}
