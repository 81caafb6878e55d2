import { PATTERN_PREFIX } from '../../rules/catalog.ts';
import { isTokenPlaceholder } from '../../rules/lib/values.ts';
import type { RawReport } from './lint.ts';
import type { Chunk } from './prefilter.ts';

/** A report placed in its unit, with the secret still in hand. */
export interface Candidate {
  /** Index of the unit in a batch. */
  unit: number;
  ruleId: string;
  messageId: string;
  severity: RawReport['severity'];
  /** 0-based unit line and column of the start and end. */
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  secret: string;
}

/**
 * Places a chunk's reports in the unit and cuts each down to the secret
 * itself: some rules report more than the value (secretlint's AWS rule
 * reports from the start of the key name, its URL rules the whole URL).
 */
export function placeReports(chunk: Chunk, reports: RawReport[]): Candidate[] {
  const placed: Candidate[] = [];
  for (const report of reports) {
    const start = chunk.origins[report.startLine - 1];
    const end = chunk.origins[report.endLine - 1];
    // A match that runs from one file into the next is not a finding.
    if (!start || !end || start.unit !== end.unit) continue;
    const [from, to] = secretRange(chunk.text, report);
    const shift = from - report.start;
    const sameLine = report.startLine === report.endLine;
    placed.push({
      unit: start.unit ?? 0,
      ruleId: report.ruleId,
      messageId: report.messageId,
      severity: report.severity,
      line: start.line,
      column: start.column + report.startColumn + shift,
      endLine: end.line,
      endColumn: sameLine
        ? start.column + report.startColumn + shift + (to - from)
        : end.column + report.endColumn,
      secret: chunk.text.slice(from, to),
    });
  }
  return placed;
}

// secretlint's AWS rule reports 40 characters from the start of its whole
// match (the name), not the value: find the value again from there.
const AWS_SECRET =
  /["'`]?(?:AWS|aws|Aws)?_?(?:SECRET|secret|Secret)_?(?:ACCESS|access|Access)_?(?:KEY|key|Key)["'`]?\s*(?::|=>|=)\s*["'`]?([A-Za-z0-9/+=]{40})/y;
const URL_PASSWORD =
  /[A-Za-z][A-Za-z0-9+.-]{0,31}:\/\/[^:@\s/]{0,256}:([^@\s/]{1,256})@/y;

function secretRange(text: string, report: RawReport): [number, number] {
  if (report.messageId === 'AWSSecretAccessKey') {
    AWS_SECRET.lastIndex = report.start;
    const match = AWS_SECRET.exec(text);
    if (match) {
      const end = AWS_SECRET.lastIndex;
      return [end - match[1]!.length, end];
    }
  }
  if (/basicauth|connection-string/.test(report.ruleId)) {
    const index = text.slice(report.start, report.end).indexOf('://');
    if (index !== -1) {
      URL_PASSWORD.lastIndex = report.start;
      const match = URL_PASSWORD.exec(text);
      if (match) {
        const end = URL_PASSWORD.lastIndex - 1;
        return [end - match[1]!.length, end];
      }
    }
  }
  return [report.start, report.end];
}

/**
 * Rules overlap: secretlint's AWS rule and the generic name rule both see
 * `AWS_SECRET_ACCESS_KEY=...`. One finding per secret, from the most
 * specific rule.
 */
export function rankOf(ruleId: string): number {
  if (ruleId.startsWith('@secretlint/')) return 0;
  if (ruleId.startsWith(PATTERN_PREFIX)) {
    const own = ruleId.slice(PATTERN_PREFIX.length);
    if (own === 'generic-secret') return 4;
    if (
      /^(?:url-credentials|npmrc-credential|workflow-secret-literal)$/.test(own)
    ) {
      return 3;
    }
    if (own === 'private-key' || own === 'jwt') return 2;
    return 1;
  }
  return 5;
}

/** Rules that match a token by its own format (its prefix is public). */
export function isFormatRule(ruleId: string): boolean {
  return (
    rankOf(ruleId) <= 2 &&
    !/aws|basicauth|connection-string|privatekey|private-key/.test(ruleId)
  );
}

export function resolveOverlaps(candidates: Candidate[]): Candidate[] {
  const ordered = [...candidates].sort(
    (a, b) =>
      rankOf(a.ruleId) - rankOf(b.ruleId) || b.secret.length - a.secret.length,
  );
  const kept: Candidate[] = [];
  for (const candidate of ordered) {
    // The name-based rules judge their values themselves; this catches
    // stand-ins that have a token's shape (xoxb-your-bot-token, 40 x's).
    if (candidate.secret.length > 0 && isTokenPlaceholder(candidate.secret)) {
      continue;
    }
    if (kept.some((other) => overlaps(other, candidate))) continue;
    kept.push(candidate);
  }
  return kept.sort((a, b) => a.line - b.line || a.column - b.column);
}

function overlaps(a: Candidate, b: Candidate): boolean {
  const before = (l1: number, c1: number, l2: number, c2: number) =>
    l1 < l2 || (l1 === l2 && c1 < c2);
  // Empty ranges (a file's name) overlap only an identical one.
  if (a.secret === '' || b.secret === '') {
    return a.ruleId === b.ruleId && a.line === b.line && a.column === b.column;
  }
  return (
    before(a.line, a.column, b.endLine, b.endColumn) &&
    before(b.line, b.column, a.endLine, a.endColumn)
  );
}
