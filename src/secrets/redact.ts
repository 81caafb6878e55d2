import type { Finding } from './types.ts';

/**
 * The text with every finding's span replaced by `[REDACTED:rule]`.
 * Findings are placed by line and column (UTF-16 code units, 1-based), as
 * the engine reports them for a whole-text unit.
 */
export function redact(text: string, findings: readonly Finding[]): string {
  const starts = [0];
  for (
    let at = text.indexOf('\n');
    at !== -1;
    at = text.indexOf('\n', at + 1)
  ) {
    starts.push(at + 1);
  }
  const offset = (line: number, column: number) =>
    (starts[line - 1] ?? text.length) + column - 1;
  const spans = findings
    .filter(
      (finding) =>
        finding.endLine > finding.line || finding.endColumn > finding.column,
    )
    .map((finding) => ({
      start: offset(finding.line, finding.column),
      end: offset(finding.endLine, finding.endColumn),
      rule: finding.rule,
    }))
    .sort((a, b) => a.start - b.start);
  let out = '';
  let at = 0;
  for (const span of spans) {
    if (span.start < at) continue;
    out += text.slice(at, span.start) + `[REDACTED:${span.rule}]`;
    at = span.end;
  }
  return out + text.slice(at);
}
