import type { PushCheck } from '../access/push.ts';
import type { Refusal } from '../access/decision.ts';
import { judgeRange } from './check.ts';

/**
 * The trailer check as the push hooks run it: every commit a ref update
 * brings is judged by the policy on that ref's base, and each violation
 * becomes a refusal of the update.
 */
export const trailerPushCheck: PushCheck = async ({ repo, range, loaded }) => {
  const verdicts = await judgeRange(repo, range, loaded.policy);
  const refusals: Refusal[] = [];
  for (const verdict of verdicts) {
    for (const violation of verdict.violations) {
      refusals.push({
        action: 'trailers',
        ...(verdict.sha ? { commit: verdict.sha } : {}),
        reason: `${violation.message} (fix: ${violation.fix})`,
      });
    }
  }
  return refusals;
};
