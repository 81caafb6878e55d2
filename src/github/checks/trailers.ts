import { factsOf, fixTarget } from '../../trailers/check.ts';
import { judgeCommit } from '../../trailers/rule.ts';
import type { Check, CheckOutcome, CommitState, Finding } from './types.ts';

/**
 * The trailer rule (src/trailers) over the commits the event brings: the
 * same judgement `gitwarden check` and the commit-msg hook make, reported
 * as one finding per violation, on the commit.
 */
export const trailersCheck: Check = {
  name: 'trailers',
  async run({ commits, policy, range }): Promise<CheckOutcome> {
    const notes = policy.warnings.map((warning) => `policy: ${warning}`);
    if (!policy.trailers.enabled) {
      return {
        check: 'trailers',
        status: 'off',
        findings: [],
        notes: [...notes, 'off in this policy (trailers.enabled: false)'],
      };
    }

    const tip = range.revisions[0];
    const states = new Map<string, CommitState>();
    const findings: Finding[] = [];
    for (const commit of commits) {
      const verdict = judgeCommit(
        factsOf(commit),
        policy,
        fixTarget(commit, tip),
      );
      states.set(commit.sha, verdict.status);
      for (const violation of verdict.violations) {
        findings.push({
          check: 'trailers',
          rule: `trailer-${violation.problem}`,
          severity: 'error',
          message: `"${commit.subject}": ${violation.message}`,
          commit: commit.sha,
          fix: violation.fix,
        });
      }
      for (const note of verdict.notes) {
        findings.push({
          check: 'trailers',
          rule: 'commit-note',
          severity: 'warning',
          message: `"${commit.subject}": ${note}`,
          commit: commit.sha,
        });
      }
    }
    if (Object.keys(policy.identities).length === 0 && commits.length > 0) {
      notes.push(
        'agent-identity binding not configured (the policy names no identities)',
      );
    }
    return {
      check: 'trailers',
      status: 'ran',
      findings,
      notes,
      commits: states,
    };
  },
};
