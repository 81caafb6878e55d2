import { Option, type Command } from 'commander';

// `gitwarden ledger ...`: options only; the work is imported when a
// subcommand runs, so other commands never load the ledger.

const collect = (value: string, previous: string[] = []) => [
  ...previous,
  value,
];

function common(command: Command): Command {
  return command
    .option('--repo <path>', 'the repository', '.')
    .option(
      '--policy <file>',
      'policy file holding the ledger trust (default: .gitwarden/policy.yml at --policy-rev)',
    )
    .option(
      '--policy-rev <rev>',
      'revision to read the policy from (the protected branch)',
      undefined,
    )
    .option(
      '--branch <name>',
      "ledger branch (default: the policy's, else gitwarden/ledger)",
    )
    .option(
      '--remote <name>',
      "work on this remote's ledger (default: the policy's ledger.remote)",
    )
    .option(
      '--local',
      'work on the local ledger branch even if the policy names a remote',
    )
    .option('--json', 'print the result as JSON');
}

function keyOptions(command: Command): Command {
  return command
    .option(
      '--key-env <variable>',
      'read the private key from this environment variable',
    )
    .option(
      '--key-file <path>',
      'read the private key from this file (mode 0600, outside the repository)',
    )
    .option(
      '--key-command <command>',
      'run this command (no shell) and read the key from its output',
    );
}

type Action = (...args: unknown[]) => Promise<void>;

export function registerLedger(program: Command): void {
  const ledger = program
    .command('ledger')
    .description('the signed, tamper-evident audit ledger');
  const write = async (name: string, ...args: unknown[]) => {
    const actions = await import('../ledger/write.ts');
    await (actions[name as keyof typeof actions] as Action)(...args);
  };
  const read = async (name: string, ...args: unknown[]) => {
    const actions = await import('../ledger/read.ts');
    await (actions[name as keyof typeof actions] as Action)(...args);
  };

  keyOptions(common(ledger.command('init')))
    .description(
      'create the ledger branch (an orphan branch, made with git plumbing)',
    )
    .option(
      '--origin <name>',
      "the log's name in checkpoints, e.g. github.com/acme/app/ledger",
    )
    .action((options) => write('init', options));

  keyOptions(common(ledger.command('append')))
    .description('sign and append records')
    .option(
      '--action <action>',
      'what was done, e.g. push.check, command.run, override',
    )
    .option('--actor <id>', 'who acted (default: the CI actor or the user)')
    .option('--role <role>', "the actor's role")
    .addOption(
      new Option('--actor-kind <kind>', 'human, agent, bot or service').choices(
        ['human', 'agent', 'bot', 'service'],
      ),
    )
    .option('--agent <name>', 'the agent, when one acted')
    .option('--task <id>', 'the task it served')
    .addOption(
      new Option('--decision <decision>', 'the verdict').choices([
        'allow',
        'deny',
        'found',
        'accept',
        'error',
        'info',
      ]),
    )
    .option('--reason <text>', 'why the verdict')
    .option('--why <text>', 'the justification given by whoever acted')
    .option('--subject-ref <ref>', 'the ref concerned')
    .option('--commit <sha>', 'a commit concerned (repeatable)', collect)
    .option('--path <path>', 'a path concerned (repeatable)', collect)
    .option(
      '--cosign-key-env <variable>',
      'a second key that signs each record too (key.rotate: the new key), from this variable',
    )
    .option(
      '--cosign-key-file <path>',
      'a second key that signs each record too, from this 0600 file',
    )
    .option(
      '--input <file>',
      'JSON lines of records to append in one commit (- for stdin)',
    )
    .action((options) => write('append', options));

  common(ledger.command('verify'))
    .description('verify records, signatures, tree, checkpoints and anchors')
    .option(
      '--ref <ref>',
      'verify this ref or commit instead of the ledger branch',
    )
    .option(
      '--anchor <file>',
      'a checkpoint accepted before (file or REV:PATH; repeatable)',
      collect,
    )
    .option(
      '--no-cache',
      "neither read nor update this clone's cached checkpoint",
    )
    .option(
      '--no-fetch',
      "verify what is here, without fetching the remote's ledger",
    )
    .option('--threads <n>', 'worker threads (0: none; default: one per core)')
    .addHelpText(
      'after',
      '\nExit codes: 0 verified and anchored, 1 tampered, 2 usage or configuration, 3 verified but unanchored.',
    )
    .action((options) => read('verify', options));

  common(ledger.command('show'))
    .description('list records, or show one by id or position')
    .argument('[record]', 'record id or position')
    .option('--ref <ref>', 'read this ref or commit')
    .option('--limit <n>', 'show only the last n records')
    .action((record, options) => read('show', record, options));

  common(ledger.command('prove'))
    .description(
      'prove a record is in the log, or that the log extends an older tree',
    )
    .argument('[record]', 'record id or position (inclusion proof)')
    .option('--ref <ref>', 'read this ref or commit')
    .option(
      '--consistency <size>',
      'prove the log extends its own tree at this size',
    )
    .option(
      '--since <checkpoint>',
      'prove the log extends this checkpoint (file or REV:PATH)',
    )
    .action((record, options) => read('prove', record, options));

  common(ledger.command('export'))
    .description('write every record as JSON lines, or the newest checkpoint')
    .option('--ref <ref>', 'read this ref or commit')
    .option('--raw', 'the signed envelopes as stored, not the decoded records')
    .option(
      '--checkpoint',
      'only the newest signed checkpoint (to commit as an anchor)',
    )
    .action((options) => read('exportLedger', options));

  ledger
    .command('keygen')
    .description(
      'make an Ed25519 key pair: private key to a 0600 file, public entry for the policy',
    )
    .requiredOption(
      '--out <file>',
      'where to write the private key (outside any repository)',
    )
    .option('--name <name>', 'a name for the policy entry')
    .option('--json', 'print the public entry as JSON')
    .action((options) => write('keygen', options));
}
