import type { Command } from 'commander';

export interface AccessCliOptions {
  repo: string;
  as?: string;
  policy?: string;
  rev?: string;
  json?: boolean;
}

const withPolicy = (command: Command) =>
  command
    .option(
      '--as <identity>',
      'identity name, login or email (default: git user.email)',
    )
    .option(
      '--policy <file>',
      'judge by this policy file instead of the committed one',
    )
    .option('--rev <revision>', 'read the policy from this revision', 'HEAD')
    .option('--repo <path>', 'repository', '.')
    .option('--json', 'print the verdict as JSON');

export function registerAccess(program: Command): void {
  withPolicy(
    program
      .command('authorize')
      .description(
        'may this identity run a sensitive command? exit 0 yes, 1 no',
      )
      .argument('<command>', 'sensitive command, e.g. deploy or /git:cp'),
  ).action(async (command: string, options: AccessCliOptions) => {
    const { authorize } = await import('../access-commands.ts');
    process.exitCode = await authorize(command, options);
  });

  withPolicy(
    program
      .command('run')
      .description(
        "run a program only if the identity may run COMMAND; exit 126 if not, else the program's own exit code",
      )
      .argument('<command>', 'sensitive command name the policy lists')
      .argument('<argv...>', 'the program and its arguments, after --'),
  ).action(
    async (command: string, argv: string[], options: AccessCliOptions) => {
      const { runWrapped } = await import('../access-commands.ts');
      process.exitCode = await runWrapped(command, argv, options);
    },
  );

  withPolicy(
    program
      .command('explain')
      .description(
        'say which rule decides a request, for whom, and whom to ask',
      )
      .option(
        '--action <action>',
        'push, create, delete, force-push, tag, modify or run',
        'push',
      )
      .option('--ref <ref>', 'ref, e.g. refs/heads/main (or main)')
      .option('--path <path...>', 'changed paths (action modify)')
      .option('--command <command>', 'sensitive command (action run)'),
  ).action(async (options: AccessCliOptions & ExplainFlags) => {
    const { explain } = await import('../access-commands.ts');
    process.exitCode = await explain(options);
  });
}

export interface ExplainFlags {
  action: string;
  ref?: string;
  path?: string[];
  command?: string;
}
