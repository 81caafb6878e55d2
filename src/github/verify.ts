import { readCommits, type CommitInfo } from '../git/commits.ts';
import { resolveRange, type ResolvedRange } from '../git/range.ts';
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
import { baseRevisions } from './revisions.ts';

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
  /** What the checks decided, as records for the ledger action. */
  decisions: unknown[];
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

  const revisions = await baseRevisions(repo, subject, range);
  const policy = await loadPolicyAt(repo, revisions.policyRevision);
  const context = { repo, subject, range, commits, policy, ...revisions };
  const outcomes: CheckOutcome[] = [];
  for (const check of options.checks) {
    outcomes.push(await runCheck(check, context));
  }
  return summarise(subject, range, commits, policy, outcomes);
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
  if (outcomes.some((o) => o.failed || o.incomplete)) verdict = 'incomplete';
  else if (errors > 0) verdict = 'refused';
  else if (commits.length === 0 || !ran) verdict = 'nothing';

  return {
    schema: 'gitwarden/verify-result@1',
    event: subject.event,
    description: subject.description,
    range: rangeLabel(subject),
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
    decisions: outcomes.flatMap((outcome) => outcome.decisions ?? []),
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

/** The commits judged, in git's words with short shas, for people. */
function rangeLabel({ spec }: JudgedSubject): string {
  const short = (sha: string) => sha.slice(0, 12);
  switch (spec.kind) {
    case 'push':
      return /^0+$/.test(spec.oldSha)
        ? `${short(spec.newSha)}, not on other branches`
        : `${short(spec.oldSha)}..${short(spec.newSha)}`;
    case 'pull-request':
      return `${/^[0-9a-f]{40}/.test(spec.base) ? short(spec.base) : spec.base}...${short(spec.head)}`;
    case 'range':
      return spec.range;
  }
}
