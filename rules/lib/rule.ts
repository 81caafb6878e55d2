import type {
  SecretLintRuleContext,
  SecretLintRuleCreator,
  SecretLintSourceCode,
} from '@secretlint/types';

/**
 * One of gitwarden's own secretlint rules, with what the engine needs to
 * know about it beyond secretlint's interface.
 */
/**
 * Rules run in groups, each on the lines holding its own rules' keywords:
 * rules that match on common words (key, token, password) never run over
 * the lines of rare token prefixes, and the many token rules never over
 * every line that says "key".
 */
export type RuleGroup = 'names' | 'urls' | 'tokens';

export const RULE_GROUPS: readonly RuleGroup[] = ['names', 'urls', 'tokens'];

export interface OwnRule {
  creator: SecretLintRuleCreator;
  group: RuleGroup;
  /**
   * Lower-case strings at least one of which appears in any text this rule
   * can report: the engine only shows the rule lines around them.
   */
  keywords: readonly string[];
  /** What each message id means, for output and SARIF. */
  titles: Record<string, string>;
  /**
   * When set, the rule reports on the file itself (its name), and the
   * engine runs it on every file this accepts, keywords or not.
   */
  pathRule?: (path: string) => boolean;
}

export interface Report {
  messageId: string;
  start: number;
  end: number;
}

/**
 * Builds a secretlint rule from a function that lists what it found. The
 * reported message is a fixed title: a message never carries the secret.
 */
export function defineRule(options: {
  id: string;
  group: RuleGroup;
  titles: Record<string, string>;
  keywords: readonly string[];
  find(content: string, path: string | undefined): Iterable<Report>;
  pathRule?: (path: string) => boolean;
}): OwnRule {
  const messages = Object.fromEntries(
    Object.entries(options.titles).map(([id, title]) => [
      id,
      { en: () => title },
    ]),
  );
  const creator: SecretLintRuleCreator = {
    messages,
    meta: {
      id: options.id,
      recommended: true,
      type: 'scanner',
      supportedContentTypes: ['text'],
    },
    create(context: SecretLintRuleContext) {
      const t = context.createTranslator(messages);
      return {
        file(source: SecretLintSourceCode) {
          for (const found of options.find(source.content, source.filePath)) {
            context.report({
              message: t(found.messageId),
              range: [found.start, found.end],
            });
          }
        },
      };
    },
  };
  return {
    creator,
    group: options.group,
    keywords: options.keywords,
    titles: options.titles,
    pathRule: options.pathRule,
  };
}

/** Whether a character can be part of an identifier-like name. */
export function isNameChar(code: number): boolean {
  return (
    (code >= 48 && code <= 57) ||
    (code >= 65 && code <= 90) ||
    (code >= 97 && code <= 122) ||
    code === 95 /* _ */ ||
    code === 45 /* - */ ||
    code === 46 /* . */
  );
}

/** Every index of `needle` in `text`, in order (no overlaps). */
export function* indexesOf(text: string, needle: string): Generator<number> {
  let at = text.indexOf(needle);
  while (at !== -1) {
    yield at;
    at = text.indexOf(needle, at + needle.length);
  }
}
