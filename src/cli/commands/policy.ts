import type { Command } from 'commander';

import { ExitCode } from '../../errors.ts';

export function registerPolicy(program: Command): void {
  const policy = program
    .command('policy')
    .description('work with the policy file');

  policy
    .command('validate')
    .description('check a policy file against the schema and its own rules')
    .argument('[file]', 'policy file', '.gitwarden/policy.yml')
    .option('--json', 'print the result as JSON')
    .action(async (file: string, options: { json?: boolean }) => {
      const { loadPolicyFile } = await import('../../policy/load.ts');
      const policy = await loadPolicyFile(file);
      if (options.json) {
        console.log(
          JSON.stringify({ file, valid: true, warnings: policy.warnings }),
        );
      } else {
        for (const warning of policy.warnings) {
          console.error(`gitwarden: warning: ${file}: ${warning}`);
        }
        console.log(`${file}: valid`);
      }
      process.exitCode = ExitCode.Ok;
    });
}
