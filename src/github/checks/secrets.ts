import {
  statesFrom,
  type Check,
  type CheckContext,
  type CheckOutcome,
  type Finding,
} from './types.ts';

const SEVERITY = {
  error: 'error',
  warning: 'warning',
  info: 'notice',
} as const;

/**
 * The secret scan (src/secrets) over every line the event's commits add,
 * as the push hooks run it: a secret added and removed again within the
 * push is still found. Findings carry the masked form and a fingerprint,
 * never the value. A scan that could not finish leaves the run
 * incomplete: what was not read was not judged.
 */
export const secretsCheck: Check = {
  name: 'secrets',
  async run(context: CheckContext): Promise<CheckOutcome> {
    if (context.range.revisions.length === 0) {
      return { check: 'secrets', status: 'ran', findings: [], notes: [] };
    }
    // secretlint and its rules load only when there are commits to scan.
    const { scanPush } = await import('../../secrets/scan.ts');
    const report = await scanPush(
      context.repo,
      // The baseline comes from the same base revision as the policy.
      { ...context.range, policyRevision: context.policyRevision },
      context.policy,
    );
    if (report.disabled) {
      return {
        check: 'secrets',
        status: 'off',
        findings: [],
        notes: ['off in this policy (secrets.enabled: false)'],
      };
    }

    const findings: Finding[] = report.findings.map((finding) => ({
      check: 'secrets',
      rule: finding.rule,
      severity: SEVERITY[finding.severity],
      message: `${finding.title}: ${finding.masked}`,
      ...(finding.commit ? { commit: finding.commit } : {}),
      file: finding.path,
      line: finding.line,
      endLine: finding.endLine,
      column: finding.column,
      fingerprint: finding.fingerprint,
      fix: 'revoke the credential, then remove it from the history',
    }));
    for (const error of report.errors) {
      findings.push({
        check: 'secrets',
        rule: 'scan-incomplete',
        severity: 'error',
        message: `the secret scan could not finish ${error.path}: ${error.message}`,
        ...(error.commit ? { commit: error.commit } : {}),
      });
    }
    const notes: string[] = [];
    const accepted = report.accepted.inline + report.accepted.baseline;
    if (accepted > 0) {
      notes.push(
        `${accepted} findings accepted by allow comments or the baseline`,
      );
    }
    if (report.notices.length > 0) {
      const kinds = [...new Set(report.notices.map((n) => n.kind))].join(', ');
      notes.push(
        `${report.notices.length} files read with care or skipped (${kinds})`,
      );
    }
    return {
      check: 'secrets',
      status: 'ran',
      findings,
      notes,
      commits: statesFrom(context.commits, findings),
      incomplete: report.errors.length > 0,
    };
  },
};
