import type { SecretScanReport } from './scan.ts';
import type { ScanNotice } from './types.ts';

// Human and JSON forms of a scan report. Neither can contain a secret: a
// report is built from findings, which only hold masked values.

export interface Paint {
  red(text: string): string;
  yellow(text: string): string;
  dim(text: string): string;
  bold(text: string): string;
}

const plain: Paint = {
  red: (t) => t,
  yellow: (t) => t,
  dim: (t) => t,
  bold: (t) => t,
};

/** The findings, one block each, and a closing summary line. */
export function formatHuman(report: SecretScanReport, paint = plain): string {
  const lines: string[] = [];
  if (report.disabled) {
    return 'gitwarden: secret scanning is disabled by the policy (secrets.enabled: false)\n';
  }
  for (const finding of report.findings) {
    const commit = finding.commit
      ? ` ${paint.dim(`(commit ${finding.commit.slice(0, 12)})`)}`
      : '';
    lines.push(
      `${paint.bold(`${finding.path}:${finding.line}:${finding.column}`)}${commit}`,
      `  ${paint.red(finding.title)} ${paint.dim(`[${finding.rule}]`)}  ${finding.masked}`,
    );
  }
  lines.push(summaryLine(report));
  return `${lines.join('\n')}\n`;
}

export function summaryLine(report: SecretScanReport): string {
  const count = report.findings.length;
  const files = new Set(report.findings.map((f) => `${f.commit}:${f.path}`))
    .size;
  const parts = [
    count === 0
      ? `no secrets found in ${report.description}`
      : `${count} secret${count === 1 ? '' : 's'} found in ${files} file${files === 1 ? '' : 's'} (${report.description})`,
    `${report.scanned.units} scanned`,
  ];
  if (report.accepted.baseline)
    parts.push(`${report.accepted.baseline} accepted by the baseline`);
  if (report.accepted.inline)
    parts.push(`${report.accepted.inline} accepted by allow comments`);
  if (report.errors.length)
    parts.push(`INCOMPLETE: ${report.errors.length} could not be scanned`);
  return `gitwarden: ${parts.join('; ')}`;
}

/** Notices grouped by kind: a few examples each, then a count. */
export function formatNotices(
  notices: readonly ScanNotice[],
  limit = 5,
): string[] {
  const byKind = new Map<string, ScanNotice[]>();
  for (const notice of notices) {
    const list = byKind.get(notice.kind) ?? [];
    list.push(notice);
    byKind.set(notice.kind, list);
  }
  const lines: string[] = [];
  for (const list of byKind.values()) {
    for (const notice of list.slice(0, limit)) {
      const commit = notice.commit
        ? ` (commit ${notice.commit.slice(0, 12)})`
        : '';
      lines.push(`${notice.path}${commit}: ${notice.message}`);
    }
    if (list.length > limit) {
      lines.push(
        `... and ${list.length - limit} more: ${list[0]!.message.split(':')[0]}`,
      );
    }
  }
  return lines;
}

/** The report as JSON: findings, notices, errors, counts. */
export function toJson(report: SecretScanReport) {
  return {
    description: report.description,
    complete: report.errors.length === 0,
    disabled: report.disabled,
    findings: report.findings,
    accepted: report.accepted,
    scanned: report.scanned,
    notices: report.notices,
    errors: report.errors,
  };
}
