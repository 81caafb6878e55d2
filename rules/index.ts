import { creator as patternRule } from '@secretlint/secretlint-rule-pattern';
import { creator as presetRecommend } from '@secretlint/secretlint-rule-preset-recommend';
import type {
  SecretLintCoreConfig,
  SecretLintCoreConfigRule,
  SecretLintUnionRuleCreator,
} from '@secretlint/types';

import {
  FILTER_COMMENTS_ID,
  ownRules,
  PATTERN_PREFIX,
  PROVIDER_RULE_ID,
} from './catalog.ts';
import type { RuleGroup } from './lib/rule.ts';
import { PRESET_ID, presetRules } from './preset.ts';
import { providerPatterns } from './providers.ts';

// The secretlint configuration every scan runs, built from the catalogue
// (rules/catalog.ts). Loading this module loads secretlint's rules.

export * from './catalog.ts';

/** Rule settings a policy can change. */
export interface RuleSettings {
  /** Full rule ids to leave out (secretlint's own, or gitwarden/...). */
  disabled?: readonly string[];
  /** Honour secretlint-disable comments (the preset's comment filter). */
  secretlintComments?: boolean;
}

/**
 * The secretlint configuration for one group of rules (rules/lib/rule.ts),
 * or for all of them.
 */
export function secretlintConfig(
  settings: RuleSettings = {},
  group?: RuleGroup,
): SecretLintCoreConfig {
  const inGroup = (ruleGroup: RuleGroup) => !group || ruleGroup === group;
  const disabled = new Set(settings.disabled ?? []);
  const presetOverrides = Object.keys(presetRules).map((id) => ({
    id,
    // Access key ids are found (the preset leaves them off by default);
    // account ids, which come with them, are not secrets.
    options: id.endsWith('-aws') ? { enableIDScanRule: true } : {},
    allowMessageIds: id.endsWith('-aws') ? ['AWSAccountID'] : undefined,
    disabled:
      disabled.has(id) ||
      (id === FILTER_COMMENTS_ID
        ? settings.secretlintComments === false
        : !inGroup(presetRules[id]!.group)),
  }));
  // One instance of the pattern rule for every provider pattern: each
  // instance costs a registration and a pass of its own per run.
  const patterns: SecretLintCoreConfigRule[] = !inGroup('tokens')
    ? []
    : [
        {
          id: PROVIDER_RULE_ID,
          rule: patternRule as SecretLintUnionRuleCreator as SecretLintCoreConfigRule['rule'],
          options: {
            patterns: providerPatterns
              .filter((entry) => !disabled.has(PATTERN_PREFIX + entry.id))
              .map((entry) => ({ name: entry.id, patterns: [entry.pattern] })),
          },
        },
      ];
  const own = ownRules
    .filter((rule) => inGroup(rule.group))
    .filter((rule) => !disabled.has(rule.creator.meta.id))
    .map((rule) => ({ id: rule.creator.meta.id, rule: rule.creator }));
  return {
    rules: [
      {
        id: PRESET_ID,
        rule: presetRecommend as never,
        rules: presetOverrides,
      },
      ...patterns,
      ...own,
    ],
  };
}
