import { ExitCode } from '../errors.ts';
import { maxAgeDays } from '../policy/providers.ts';
import { secretAges, type AgeReport } from '../rotation/age.ts';
import type { AgeOptions } from './commands/secrets.ts';
import { needToken } from './commands/secrets.ts';
import {
  githubForRepository,
  githubSettings,
  workingPolicy,
} from './github-context.ts';
import { colors } from './output.ts';

/**
 * `gitwarden secrets age`. Exit 1 when an old secret was found, else 3
 * when some list could not be read (the answer would be incomplete, never
 * "no old secrets"), else 0.
 */
export async function runAge(options: AgeOptions): Promise<number> {
  const policy = await workingPolicy(options.policy);
  const github = await githubForRepository(githubSettings(options.repo));
  if (!github) throw needToken('secrets age');

  const report = await secretAges({
    client: github.client,
    owner: github.owner,
    repo: github.repo,
    org: options.org,
    environments: options.environment,
    maxAgeDays: (name) => maxAgeDays(policy.document, name),
    now: new Date(),
  });

  if (options.json) console.log(JSON.stringify(report, null, 2));
  else printReport(report, maxAgeDays(policy.document));

  if (report.oldCount > 0) return ExitCode.Refused;
  return report.complete ? ExitCode.Ok : ExitCode.Incomplete;
}

function printReport(report: AgeReport, defaultMax: number): void {
  for (const scope of report.scopes) {
    console.log(colors.bold(scope.label));
    if (scope.status === 'unreadable') {
      const permission = scope.missingPermission
        ? `; missing permission: ${scope.missingPermission}`
        : '';
      console.log(
        `  ${colors.yellow('NOT READ')}: ${scope.reason}${permission}`,
      );
      continue;
    }
    if (!scope.secrets.length) console.log('  (no secrets)');
    const width = Math.max(0, ...scope.secrets.map((s) => s.name.length));
    for (const secret of scope.secrets) {
      const flag = secret.old
        ? colors.red(`OLD (limit ${secret.maxAgeDays} days)`)
        : 'ok';
      console.log(
        `  ${secret.name.padEnd(width)}  updated ${secret.updatedAt.slice(0, 10)}  ${String(secret.ageDays).padStart(4)} days  ${flag}`,
      );
    }
  }

  const unread = report.scopes.filter((s) => s.status === 'unreadable');
  const summary = [
    `${report.oldCount} secret(s) older than their limit (default ${defaultMax} days)`,
  ];
  if (unread.length) {
    summary.push(
      `${unread.length} list(s) could not be read, so the check is incomplete: grant the token the permissions named above`,
    );
  }
  console.log(summary.join('; '));
}
