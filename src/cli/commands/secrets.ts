import type { Command } from 'commander';

import { GitwardenError } from '../../errors.ts';

export function registerSecrets(program: Command): void {
  const secrets = program
    .command('secrets')
    .description('secret age, rotation and plain-text secret audit');

  secrets
    .command('age')
    .description(
      'list repository, environment and organization Actions secrets and flag those older than the policy allows',
    )
    .option('--repo <owner/name>', 'repository (default: $GITHUB_REPOSITORY)')
    .option('--org <org>', "also read the organization's own secret list")
    .option('--environment <name...>', 'only these environments (default: all)')
    .option('--policy <file>', 'policy file (default: .gitwarden/policy.yml)')
    .option('--json', 'print the report as JSON')
    .action(async (options: AgeOptions) => {
      const { runAge } = await import('../secrets-age.ts');
      process.exitCode = await runAge(options);
    });

  secrets
    .command('rotate')
    .description(
      "rotate a secret as the policy's rotation section says: generate, check, store, record",
    )
    .argument('[name]', 'secret name, as in rotation.secrets')
    .option(
      '--due',
      'rotate every secret of rotation.secrets that is past its maximum age or missing',
    )
    .option('--repo <owner/name>', 'repository (default: $GITHUB_REPOSITORY)')
    .option('--policy <file>', 'policy file (default: .gitwarden/policy.yml)')
    .option('--json', 'print the rotation record as JSON')
    .action(async (name: string | undefined, options: RotateOptions) => {
      if ((name === undefined) === (options.due !== true)) {
        throw new GitwardenError(
          'USAGE',
          'secrets rotate needs a secret name or --due, not both',
        );
      }
      const { runRotate, runRotateDue } = await import('../secrets-rotate.ts');
      process.exitCode = name
        ? await runRotate(name, options)
        : await runRotateDue(options);
    });

  secrets
    .command('audit')
    .description(
      'find secrets in plain text that only a whole-repository view sees: workflows, Kubernetes manifests, compose files, Dockerfiles',
    )
    .argument('[dir]', 'repository folder', '.')
    .option('--policy <file>', 'policy file (default: .gitwarden/policy.yml)')
    .option('--json', 'print the findings as JSON')
    .action(async (dir: string, options: AuditOptions) => {
      const { runAudit } = await import('../secrets-audit.ts');
      process.exitCode = await runAudit(dir, options);
    });
}

export interface AgeOptions {
  repo?: string;
  org?: string;
  environment?: string[];
  policy?: string;
  json?: boolean;
}

export interface RotateOptions {
  due?: boolean;
  repo?: string;
  policy?: string;
  json?: boolean;
}

export interface AuditOptions {
  policy?: string;
  json?: boolean;
}

export function needToken(command: string): GitwardenError {
  return new GitwardenError(
    'USAGE',
    `${command} needs a GitHub token and repository: set GITHUB_TOKEN (or GH_TOKEN) and GITHUB_REPOSITORY, or pass --repo`,
    {
      hint: 'The workflow GITHUB_TOKEN cannot read secret metadata: use a GitHub App or fine-grained token with the "Secrets" repository permission (read; write to rotate). See README, "Secret age and rotation".',
    },
  );
}
