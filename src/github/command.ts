import { AccessEngine } from '../access/engine.ts';
import { findIdentity } from '../access/identity.ts';
import { loadAccessAt } from '../access/load.ts';
import { GitwardenError } from '../errors.ts';

/**
 * Slash commands in pull-request comments (`/deploy staging`): who may run
 * which is the policy's `commands` section, judged by the role engine for
 * the GitHub login that wrote the comment, under the policy of the
 * default branch (an issue_comment run checks it out; a pull request
 * cannot grant its own author a command).
 */
export interface SlashCommand {
  /** As the policy names it: `deploy`, or `/git:cp` when listed so. */
  name: string;
  /** The rest of the first line, as typed (untrusted text). */
  args: string;
}

/** The first line of a comment, when it is a slash command. */
export function parseSlashCommand(
  body: string,
): { word: string; args: string } | undefined {
  const first = body
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/, 1)[0]!
    .trim();
  const match = /^\/([A-Za-z0-9][\w:.-]{0,63})(?:\s+(.*))?$/.exec(first);
  if (!match) return undefined;
  return { word: match[1]!, args: (match[2] ?? '').trim() };
}

export type CommandVerdict = 'allowed' | 'denied' | 'not-configured';

/** The decision, as the ledger records it. */
export interface CommandDecision {
  type: 'gitwarden.command';
  version: 1;
  time: string;
  command: string;
  args: string;
  verdict: CommandVerdict;
  reason: string;
  rule: string | null;
  identity: {
    claimed: string;
    via: string;
    name: string | null;
    roles: string[];
  };
  askRoles: string[];
  policy: { revision: string | null; sources: string[] };
  pullRequest: number | null;
  comment: { id: number; url: string | null } | null;
}

export interface JudgeCommandOptions {
  repo: string;
  /** The default branch's commit: the policy that judges. */
  policyRevision: string | undefined;
  word: string;
  args: string;
  login: string;
  pullRequest?: number;
  comment?: { id: number; url: string | null };
  now?: Date;
}

/**
 * Decides whether `login` may run the command: allowed only when one of
 * the commenter's roles is granted it (the command's `roles`, or a `run`
 * grant); everyone else is refused. With no identities in the policy the
 * verdict is "not-configured", which a workflow must treat as "do not
 * run": a sensitive command never runs on an unconfigured check.
 */
export async function judgeCommand(
  options: JudgeCommandOptions,
): Promise<CommandDecision> {
  const loaded = await loadAccessAt(options.repo, options.policyRevision);
  const { access } = loaded;
  const listed = Object.keys(access.commands);
  // The policy may list `deploy` or `/deploy`; a comment always has the slash.
  const name = listed.includes(`/${options.word}`)
    ? `/${options.word}`
    : options.word;
  const identity = findIdentity(access, options.login, 'GitHub comment author');
  const engine = new AccessEngine(access);
  const verdict = engine.decide(identity, { action: 'run', command: name });

  let result: CommandVerdict = verdict.allowed ? 'allowed' : 'denied';
  let reason = `${identity.name ?? identity.claimed}: ${verdict.reason}`;
  if (!access.configured) {
    result = 'not-configured';
    reason =
      'role checks are not configured (the policy names no identities), so no sensitive command may run';
  }
  return {
    type: 'gitwarden.command',
    version: 1,
    time: (options.now ?? new Date()).toISOString(),
    command: name,
    args: options.args,
    verdict: result,
    reason,
    rule: verdict.rule?.id ?? null,
    identity: {
      claimed: identity.claimed,
      via: identity.via,
      name: identity.name ?? null,
      roles: identity.roles,
    },
    askRoles:
      result === 'allowed'
        ? []
        : engine.rolesGranting({ action: 'run', command: name }),
    policy: {
      revision: options.policyRevision ?? null,
      sources: loaded.sources,
    },
    pullRequest: options.pullRequest ?? null,
    comment: options.comment ?? null,
  };
}

/** The commands a step handles: its `commands` input, comma or line separated. */
export function handledCommands(input: string): string[] | undefined {
  const names = input
    .split(/[\s,]+/)
    .map((name) => name.replace(/^\//, ''))
    .filter(Boolean);
  for (const name of names) {
    if (!/^[A-Za-z0-9][\w:.-]*$/.test(name)) {
      throw new GitwardenError(
        'INPUT_INVALID',
        `input commands: ${JSON.stringify(name)} is not a command name`,
      );
    }
  }
  return names.length ? names : undefined;
}

/** The reply a refused commenter reads under their comment. */
export function refusalReply(decision: CommandDecision, login: string): string {
  const ask = decision.askRoles.length
    ? ` Ask someone with the role ${decision.askRoles.join(' or ')}.`
    : '';
  return [
    `@${login} \`/${decision.command.replace(/^\//, '')}\` was not run: ${decision.reason.replace(/\.$/, '')}.${ask}`,
    '',
    `<sub>gitwarden, policy ${decision.policy.sources.join(' + ')}</sub>`,
  ].join('\n');
}
