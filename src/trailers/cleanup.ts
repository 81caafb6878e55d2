// What `git commit` does to a message after the commit-msg hook has seen
// it, so the hook judges the message that will be stored. The hook gets
// the file before git's cleanup: with the comment lines git added (in the
// user's comment character) and, after `git commit -v`, a diff below a
// scissors line.

import { scissorsOffset } from './parse.ts';

/** Characters `core.commentChar=auto` chooses from, in git's order. */
const AUTO_CANDIDATES = '#;@!$%^&|:';

/**
 * git's default `strip` cleanup (used whenever the editor runs): cut at the
 * scissors line, drop comment lines, strip trailing whitespace (so CRLF
 * becomes LF), collapse runs of blank lines and drop leading and trailing
 * ones. A port of `strbuf_stripspace` and `wt_status_locate_end`.
 *
 * The scissors cut is what `git commit -v` (or `--cleanup=scissors`)
 * does; the line only appears in those cases.
 */
export function cleanupMessage(message: string, commentChar: string): string {
  const text = message.slice(
    0,
    scissorsOffset(message, message.length, commentChar),
  );
  const kept: string[] = [];
  let blanks = 0;
  let at = 0;
  while (at < text.length) {
    const newline = text.indexOf('\n', at);
    const end = newline === -1 ? text.length : newline + 1;
    const line = text.slice(at, end);
    at = end;
    if (commentChar && line.startsWith(commentChar)) continue;
    const content = line.replace(/[ \t\n\r]+$/, '');
    if (!content) {
      blanks++;
      continue;
    }
    if (blanks > 0 && kept.length > 0) kept.push('');
    blanks = 0;
    kept.push(content);
  }
  return kept.length ? kept.join('\n') + '\n' : '';
}

/**
 * The comment character `git commit` used, from the effective value of
 * `core.commentChar` / `core.commentString` (undefined when unset: `#`).
 *
 * `auto` makes git pick, per commit, the first of `#;@!$%^&|:` that starts
 * no line of the original message, and write its own comment lines with
 * it. The hook cannot see the original message, so gitwarden takes the
 * character of the scissors line when there is one, else the character
 * that starts the last non-blank line (where git's own comment block
 * ends) when it is one of those candidates, else `#`.
 */
export function resolveCommentChar(
  configured: string | undefined,
  message: string,
): string {
  if (configured === undefined || configured === '') return '#';
  if (configured !== 'auto') return configured;
  for (const candidate of AUTO_CANDIDATES) {
    if (scissorsOffset(message, message.length, candidate) < message.length) {
      return candidate;
    }
  }
  const lines = message.split('\n');
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = lines[i]!.replace(/[ \t\r]+$/, '');
    if (!line) continue;
    const first = line[0]!;
    return AUTO_CANDIDATES.includes(first) ? first : '#';
  }
  return '#';
}
