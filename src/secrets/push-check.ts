import type { Refusal } from '../access/decision.ts';
import type { PushCheck } from '../access/push.ts';

/**
 * The secret scan as the push hooks run it: the lines each pushed commit
 * adds, judged by the policy and baseline on the ref's base. A finding
 * refuses the ref update; so does a scan that could not finish, since an
 * enforcing hook never lets through what it did not judge.
 */
export const secretPushCheck: PushCheck = async ({ repo, range, loaded }) => {
  if (range.revisions.length === 0) return [];
  // secretlint and its rules load only when a push brings commits.
  const { scanPush } = await import('./scan.ts');
  const report = await scanPush(repo, range, loaded.policy);
  const refusals: Refusal[] = report.findings.map((finding) => ({
    action: 'secrets',
    ...(finding.commit ? { commit: finding.commit } : {}),
    path: finding.path,
    reason: `${finding.title} in ${finding.path}:${finding.line} (${finding.masked}, rule ${finding.rule})`,
  }));
  for (const error of report.errors) {
    refusals.push({
      action: 'secrets',
      ...(error.commit ? { commit: error.commit } : {}),
      reason: `the secret scan could not finish: ${error.message}`,
    });
  }
  return refusals;
};
