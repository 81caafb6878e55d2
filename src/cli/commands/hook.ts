import type { Command } from 'commander';

interface HookOptions {
  repo: string;
  json?: boolean;
  record?: string;
  pusherVar?: string;
  as?: string;
  override?: string;
  ci?: boolean;
}

/**
 * `gitwarden hook pre-receive` (server, enforcing) and `gitwarden hook
 * pre-push REMOTE [URL]` (local, advisory): read git's hook input on
 * stdin, judge every ref update, print one message per refused ref, exit
 * 0 only when every ref may go through.
 */
export function registerHook(program: Command): void {
  const hook = program
    .command('hook')
    .description('run as a git hook: pre-receive (server) or pre-push');

  const common = (command: Command) =>
    command
      .option('--repo <path>', 'repository (default: the current folder)', '.')
      .option('--json', 'print each decision as a JSON line on stdout')
      .option('--record <file>', 'append each decision as a JSON line to FILE');

  common(
    hook
      .command('pre-receive')
      .description('judge a push on the server; stdin: OLD NEW REF lines')
      .option(
        '--pusher-var <name>',
        'environment variable naming the pusher (default: GITWARDEN_PUSHER_VAR, else the known server variables)',
      )
      .option('--override <reason>', 'break-glass reason (CI; owners only)')
      .option('--ci', 'record the decision as made in CI, not by a server'),
  ).action(async (options: HookOptions) => {
    const { runPreReceive } = await import('../hooks.ts');
    process.exitCode = await runPreReceive(options);
  });

  common(
    hook
      .command('pre-push')
      .description(
        'judge a push before it leaves (advisory); stdin: git pre-push lines',
      )
      .argument('[remote]', 'remote name, as git passes it')
      .argument('[url]', 'remote URL, as git passes it')
      .option(
        '--as <identity>',
        'judge as this identity (default: git user.email)',
      ),
  ).action(
    async (remote: string | undefined, _url: string, options: HookOptions) => {
      const { runPrePush } = await import('../hooks.ts');
      process.exitCode = await runPrePush(remote, options);
    },
  );
}
