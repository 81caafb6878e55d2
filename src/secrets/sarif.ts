import type { Log, ReportingDescriptor, Result } from 'sarif';

import type { SecretScanReport } from './scan.ts';
import type { Finding } from './types.ts';

// SARIF 2.1.0 for code scanning (GitHub uploads it as-is). Findings carry
// their masked form in the message and the baseline fingerprint as a
// partial fingerprint, so alerts stay matched when lines move.

const SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';

export function toSarif(report: SecretScanReport, version: string): Log {
  const rules: ReportingDescriptor[] = [];
  const ruleIndex = new Map<string, number>();
  for (const finding of report.findings) {
    if (ruleIndex.has(finding.rule)) continue;
    ruleIndex.set(finding.rule, rules.length);
    rules.push({
      id: finding.rule,
      name: ruleName(finding.rule),
      shortDescription: { text: finding.title },
      fullDescription: {
        text: `${finding.title}. A credential in a repository or an output is readable by everyone who can read them; revoke it, then remove it.`,
      },
      defaultConfiguration: { level: 'error' },
      properties: { tags: ['security', 'secret'] },
    });
  }
  const results: Result[] = report.findings.map((finding) => ({
    ruleId: finding.rule,
    ruleIndex: ruleIndex.get(finding.rule)!,
    level:
      finding.severity === 'error'
        ? 'error'
        : finding.severity === 'warning'
          ? 'warning'
          : 'note',
    message: { text: messageOf(finding) },
    locations: [
      {
        physicalLocation: {
          artifactLocation: {
            uri: uriOf(finding.path),
            uriBaseId: '%SRCROOT%',
          },
          region: {
            startLine: finding.line,
            startColumn: finding.column,
            endLine: finding.endLine,
            endColumn: Math.max(finding.endColumn, 1),
          },
        },
      },
    ],
    partialFingerprints: { 'gitwarden/secret/v1': finding.fingerprint },
    ...(finding.commit ? { properties: { commit: finding.commit } } : {}),
  }));
  return {
    $schema: SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'gitwarden',
            semanticVersion: version,
            rules,
          },
        },
        columnKind: 'utf16CodeUnits',
        invocations: [
          {
            executionSuccessful: report.errors.length === 0,
            toolExecutionNotifications: [
              ...report.errors.map((error) => ({
                level: 'error' as const,
                message: { text: `${error.path}: ${error.message}` },
              })),
              ...report.notices.map((notice) => ({
                level: 'note' as const,
                message: { text: `${notice.path}: ${notice.message}` },
              })),
            ],
          },
        ],
        results,
      },
    ],
  };
}

function messageOf(finding: Finding): string {
  const where = finding.commit
    ? ` (added in ${finding.commit.slice(0, 12)})`
    : '';
  return `${finding.title}: ${finding.masked}${where}`;
}

function ruleName(rule: string): string {
  return rule
    .split(/[/-]/)
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join('');
}

/** A relative URI reference: each path segment percent-encoded. */
export function uriOf(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/');
}
