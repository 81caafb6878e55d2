import { progress } from '@clack/prompts';

import { knownRuleIds, ruleTitle } from '../../../rules/catalog.ts';
import { fullRuleId } from '../../secrets/policy.ts';

/** `gitwarden scan --list-rules`: every rule id a policy can name. */
export function listRules(): string {
  const lines = knownRuleIds().map(
    (id) => `${id.padEnd(40)} ${ruleTitle(fullRuleId(id))}`,
  );
  return `${lines.join('\n')}\n`;
}

/**
 * A progress bar on standard error for long scans (only on a terminal:
 * the caller checks). Advances once per commit.
 */
export function startProgress(total: number) {
  const bar = progress({
    max: Math.max(total, 1),
    output: process.stderr,
    withGuide: false,
    style: 'heavy',
  });
  let done = 0;
  bar.start(`scanning ${total} commits`);
  return {
    advance: () => {
      done++;
      bar.advance(1, `scanning commit ${done} of ${total}`);
    },
    stop: () => bar.stop(`scanned ${done} commits`),
  };
}
