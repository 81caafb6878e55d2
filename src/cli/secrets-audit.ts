import { resolve } from 'node:path';

import { ExitCode } from '../errors.ts';
import type { AuditOptions } from './commands/secrets.ts';
import { workingPolicy } from './github-context.ts';
import { colors } from './output.ts';

/** `gitwarden secrets audit [dir]`: exit 1 with findings, 0 without. */
export async function runAudit(
  dir: string,
  options: AuditOptions,
): Promise<number> {
  const policy = await workingPolicy(options.policy, dir);
  const { auditRepository } = await import('../secrets-audit/audit.ts');
  const report = await auditRepository({
    dir: resolve(dir),
    document: policy.document,
  });

  if (options.json) {
    console.log(JSON.stringify(report, null, 2));
  } else {
    for (const finding of report.findings) {
      console.log(
        `${finding.file}:${finding.line}: ${colors.red(finding.rule)}: ${finding.message}`,
      );
      console.log(`  ${colors.dim('fix:')} ${finding.hint}`);
    }
    for (const note of report.notes) console.log(`note: ${note}`);
    console.log(
      `${report.findings.length} finding(s) in ${report.filesRead} file(s) read`,
    );
  }
  return report.findings.length ? ExitCode.Refused : ExitCode.Ok;
}
