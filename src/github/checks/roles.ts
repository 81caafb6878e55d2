import type { AccessDecision } from '../../access/decision.ts';
import { judgePush, type RefUpdate } from '../../access/push.ts';
import { REMOTE } from '../event.ts';
import {
  statesFrom,
  type Check,
  type CheckContext,
  type CheckOutcome,
  type Finding,
} from './types.ts';

const ZERO = '0'.repeat(40);

/**
 * The role engine (src/access), as the server hook runs it, for the
 * identity the event names:
 *
 * - a push is judged as the GitHub user who pushed it (`sender`), ref
 *   action and every changed path;
 * - a pull request as its author pushing its head branch: what the author
 *   could have pushed themselves (an agent only to agent/** branches;
 *   nobody but the listed roles to protected paths). The merge into the
 *   base is GitHub's, behind review and this check.
 *
 * A merge group and a manual run change nothing in anyone's name beyond
 * the pull requests already judged, so roles are not judged there.
 */
export const rolesCheck: Check = {
  name: 'roles',
  async run(context: CheckContext): Promise<CheckOutcome> {
    const update = refUpdate(context);
    if (!update) {
      return {
        check: 'roles',
        status: 'ran',
        findings: [],
        notes: [
          context.subject.event === 'merge_group'
            ? 'not judged for a merge group: each pull request in it was'
            : `not judged for ${context.subject.event}: it changes nothing in anyone's name`,
        ],
      };
    }
    const [decision] = await judgePush({
      repo: context.repo,
      updates: [update],
      claim: {
        value: context.subject.actor.login,
        via: `GitHub ${context.subject.event} event (${context.subject.actor.role})`,
      },
      point: 'ci',
      remote: REMOTE,
      before: {
        policyRevision: context.policyRevision,
        base: context.baseRevision,
      },
    });
    const result = outcome(decision!);
    // Judged commits: those the decision covered (the event's own).
    if (result.status === 'ran') {
      result.commits = statesFrom(context.commits, result.findings);
    }
    return result;
  },
};

function refUpdate({ subject }: CheckContext): RefUpdate | undefined {
  const { spec } = subject;
  if (spec.kind === 'push') {
    return { oldSha: spec.oldSha, newSha: spec.newSha, ref: spec.ref };
  }
  if (subject.event === 'pull_request' && subject.pullRequest) {
    return {
      oldSha: ZERO,
      newSha: subject.headSha,
      ref: `refs/heads/${subject.pullRequest.headRef}`,
    };
  }
  return undefined;
}

function outcome(decision: AccessDecision): CheckOutcome {
  const who = decision.identity.name ?? decision.identity.claimed;
  if (decision.verdict === 'not-configured') {
    return {
      check: 'roles',
      status: 'not-configured',
      findings: [],
      notes: ['not configured (the policy names no identities)'],
      decisions: [decision],
    };
  }
  const findings: Finding[] = decision.refusals.map((refusal) => ({
    check: 'roles',
    rule: `role-${refusal.action}`,
    severity: 'error',
    message: `${who} (${decision.identity.roles.join(', ') || 'no role'}): ${refusal.reason}`,
    ...(refusal.commit ? { commit: refusal.commit } : {}),
    ...(refusal.path ? { file: refusal.path } : {}),
    ...(decision.askRoles.length
      ? { fix: `ask someone with role ${decision.askRoles.join(' or ')}` }
      : {}),
  }));
  const hidden = decision.refusedCount - decision.refusals.length;
  const notes = [
    `${decision.action} of ${decision.ref} by ${who}: ${decision.verdict}`,
  ];
  if (hidden > 0) notes.push(`${hidden} more refusals not listed`);
  return {
    check: 'roles',
    status: 'ran',
    findings,
    notes,
    decisions: [decision],
  };
}
