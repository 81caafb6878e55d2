import {
  dotenvFile,
  npmrcCredential,
  workflowLiteral,
} from './config-files.ts';
import { genericAssignment } from './generic-assignment.ts';
import { jwt } from './jwt.ts';
import { RULE_GROUPS, type OwnRule, type RuleGroup } from './lib/rule.ts';
import { presetRules } from './preset.ts';
import { privateKey } from './private-key.ts';
import { providerPatterns } from './providers.ts';
import { urlCredentials } from './url-credentials.ts';

// The catalogue of gitwarden's secret rules: secretlint's recommended
// preset, the provider token patterns run through secretlint-rule-pattern,
// and gitwarden's own rules for what the preset misses. It loads no
// secretlint code, so the policy loader can check rule names cheaply;
// rules/index.ts builds the secretlint configuration from it.

export const ownRules: OwnRule[] = [
  privateKey,
  jwt,
  urlCredentials,
  genericAssignment,
  npmrcCredential,
  workflowLiteral,
];

/** Rules judged on a file's name alone. */
export const pathRules: OwnRule[] = [dotenvFile];

export const PATTERN_PREFIX = 'gitwarden/';

/**
 * The config id of the one secretlint-rule-pattern instance that runs every
 * provider pattern. Its reports name the pattern in their message, as
 * "found matching NAME: ..."; the engine reads NAME from there (and drops
 * the rest, which quotes the secret) to report gitwarden/NAME.
 */
export const PROVIDER_RULE_ID = 'gitwarden/providers';

/** The provider pattern a report of the pattern rule is about. */
export function providerOf(message: string): string | undefined {
  const match = /^found matching ([a-z0-9-]+): /.exec(message);
  return match ? PATTERN_PREFIX + match[1] : undefined;
}

export const FILTER_COMMENTS_ID = '@secretlint/secretlint-rule-filter-comments';

/** A bit per rule group, for keyword masks. */
export function groupBit(group: RuleGroup): number {
  return 1 << RULE_GROUPS.indexOf(group);
}

/**
 * Each keyword with the groups whose rules need its lines. The comment
 * filter's keyword goes to every group: a secretlint-disable comment must
 * reach the run of the rule it silences.
 */
export function keywordGroups(): Map<string, number> {
  const masks = new Map<string, number>();
  const add = (word: string, mask: number) =>
    masks.set(word, (masks.get(word) ?? 0) | mask);
  const all = RULE_GROUPS.reduce((mask, group) => mask | groupBit(group), 0);
  for (const [id, info] of Object.entries(presetRules)) {
    const mask = id === FILTER_COMMENTS_ID ? all : groupBit(info.group);
    for (const word of info.keywords) add(word, mask);
  }
  for (const entry of providerPatterns) {
    for (const word of entry.keywords) add(word, groupBit('tokens'));
  }
  for (const rule of ownRules) {
    for (const word of rule.keywords) add(word, groupBit(rule.group));
  }
  return masks;
}

/** Every keyword of every rule, lower case: the pre-filter's input. */
export function allKeywords(): string[] {
  const words = new Set<string>();
  for (const info of Object.values(presetRules)) {
    for (const word of info.keywords) words.add(word);
  }
  for (const entry of providerPatterns) {
    for (const word of entry.keywords) words.add(word);
  }
  for (const rule of ownRules) {
    for (const word of rule.keywords) words.add(word);
  }
  return [...words];
}

/** A human title for a rule id (and message id), for output and SARIF. */
export function ruleTitle(ruleId: string, messageId?: string): string {
  const preset = presetRules[ruleId];
  if (preset) return preset.title;
  const pattern = providerPatterns.find(
    (entry) => PATTERN_PREFIX + entry.id === ruleId,
  );
  if (pattern) return pattern.title;
  for (const rule of [...ownRules, ...pathRules]) {
    if (rule.creator.meta.id !== ruleId) continue;
    return (
      (messageId && rule.titles[messageId]) ??
      Object.values(rule.titles)[0] ??
      ruleId
    );
  }
  return ruleId;
}

/** Every rule id a policy may name, in the short form findings use. */
export function knownRuleIds(): string[] {
  return [
    ...Object.keys(presetRules).map((id) =>
      id.replace('@secretlint/secretlint-rule-', 'secretlint/'),
    ),
    ...providerPatterns.map((entry) => PATTERN_PREFIX + entry.id),
    ...[...ownRules, ...pathRules].map((rule) => rule.creator.meta.id),
  ];
}
