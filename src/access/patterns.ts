import picomatch from 'picomatch';

/** Tests one value (a ref, a path, a command) against a pattern list. */
export type Matcher = (value: string) => boolean;

export const matchAll: Matcher = () => true;

export interface PatternOptions {
  /** Compare without regard to case (paths on macOS and Windows). */
  nocase?: boolean;
}

/**
 * Compiles a pattern list once. A list matches a value when some positive
 * pattern matches and no `!` pattern does; a list of only `!` patterns
 * starts from "everything". An absent list matches everything.
 *
 * `dot: true` because `**` must cover `.github/**`: a protection that a
 * leading dot could slip past would be no protection.
 */
export function compilePatterns(
  patterns: readonly string[] | undefined,
  options: PatternOptions = {},
): Matcher {
  if (patterns === undefined || patterns.length === 0) return matchAll;
  const positive = patterns.filter((pattern) => !pattern.startsWith('!'));
  const negative = patterns
    .filter((pattern) => pattern.startsWith('!'))
    .map((pattern) => pattern.slice(1));
  // The `s` flag lets `*` and `**` match a newline: git allows one in a
  // path, and a protected path must not escape its pattern by having one.
  // (picomatch's `flags` replaces the flags `nocase` would set.)
  const nocase = options.nocase === true;
  const settings = { dot: true, nocase, flags: nocase ? 'si' : 's' };
  const include =
    positive.length === 0 ? matchAll : picomatch(positive, settings);
  if (negative.length === 0) return include;
  const exclude = picomatch(negative, settings);
  return (value) => include(value) && !exclude(value);
}

/**
 * A ref pattern that does not start with `refs/` names a branch, as in
 * gitolite: `main` means `refs/heads/main`. `!` stays in front.
 */
export function normalizeRefPattern(pattern: string): string {
  const negated = pattern.startsWith('!');
  const body = negated ? pattern.slice(1) : pattern;
  const full =
    body.startsWith('refs/') || body === '**' ? body : `refs/heads/${body}`;
  return negated ? `!${full}` : full;
}
