// The command that fixes a failing commit, printed beside each violation.

import type { Policy } from '../policy/types.ts';
import type { Violation } from './rule.ts';

/** Where the failing commit is, which decides how it can be fixed. */
export type FixTarget =
  /** A message the commit-msg hook refused: the commit does not exist. */
  | { kind: 'pending' }
  /** The newest commit of what is judged: amend it. */
  | { kind: 'tip' }
  /** An older commit: rebase to it, amend, continue. */
  | { kind: 'older'; sha: string; root: boolean };

export function fixCommand(
  violations: readonly Violation[],
  policy: Policy,
  target: FixTarget,
): string {
  if (violations.length === 0) return '';
  const keys = [...new Set(violations.map((violation) => violation.trailer))];
  const trailers = keys
    .map((key) => `--trailer "${key}: ${placeholder(key, policy)}"`)
    .join(' ');
  // A wrong value is replaced rather than joined by a second one, which
  // would still fail.
  const replace = violations.some((violation) => violation.found !== null)
    ? '-c trailer.ifexists=replace '
    : '';

  switch (target.kind) {
    case 'pending':
      return `git ${replace}commit ${trailers}`;
    case 'tip':
      return `git ${replace}commit --amend --no-edit ${trailers}`;
    case 'older': {
      const short = target.sha.slice(0, 7);
      const start = target.root ? '--root' : `${short}~1`;
      return (
        `git rebase -i ${start}, mark ${short} as "edit", then ` +
        `git ${replace}commit --amend --no-edit ${trailers} && git rebase --continue`
      );
    }
  }
}

function placeholder(key: string, policy: Policy): string {
  if (key.toLowerCase() === policy.trailers.agentKey.toLowerCase()) {
    return '<agent>';
  }
  return `<${key.toLowerCase()}>`;
}
