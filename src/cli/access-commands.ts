import { spawn } from 'node:child_process';

import {
  AccessEngine,
  describe,
  type AccessRequest,
} from '../access/engine.ts';
import { findIdentity } from '../access/identity.ts';
import { accessOf, loadAccessAt, type LoadedAccess } from '../access/load.ts';
import { normalizeRefPattern } from '../access/patterns.ts';
import { ExitCode, GitwardenError } from '../errors.ts';
import { localGitEmail } from '../git/identity.ts';
import { gitText } from '../git/run.ts';
import { loadPolicyFile } from '../policy/load.ts';
import { ACTIONS, type Action } from '../policy/roles.ts';
import type { AccessCliOptions, ExplainFlags } from './commands/access.ts';
import { printError, printWarning } from './output.ts';

/**
 * The policy for local questions: a file named with --policy, else the
 * committed policy at --rev (HEAD), never the working tree's unsaved
 * edits. Locally this is advisory: whoever runs it can edit the policy;
 * CI and server hooks are the enforcement (README "Sensitive commands").
 */
async function load(options: AccessCliOptions): Promise<LoadedAccess> {
  if (options.policy) {
    return accessOf(options.repo, await loadPolicyFile(options.policy));
  }
  const revision = await gitText(
    ['rev-parse', '--verify', '--quiet', `${options.rev ?? 'HEAD'}^{commit}`],
    { cwd: options.repo, okCodes: [1, 128] },
  );
  if (!revision && options.rev && options.rev !== 'HEAD') {
    throw new GitwardenError(
      'UNKNOWN_REVISION',
      `unknown revision ${JSON.stringify(options.rev)}`,
    );
  }
  return loadAccessAt(options.repo, revision || undefined);
}

async function whoAmI(options: AccessCliOptions) {
  if (options.as) return { value: options.as, via: '--as' };
  const fromEnv = process.env.GITWARDEN_IDENTITY;
  if (fromEnv) return { value: fromEnv, via: 'GITWARDEN_IDENTITY' };
  const email = await localGitEmail(options.repo, {
    globalConfig: process.env.GIT_CONFIG_GLOBAL,
  });
  return { value: email, via: 'git user.email' };
}

async function judge(options: AccessCliOptions, request: AccessRequest) {
  const loaded = await load(options);
  const claim = await whoAmI(options);
  const identity = findIdentity(loaded.access, claim.value, claim.via);
  const engine = new AccessEngine(loaded.access);
  const verdict = engine.decide(identity, request);
  return { loaded, identity, engine, verdict };
}

export async function authorize(command: string, options: AccessCliOptions) {
  const result = await commandVerdict(command, options);
  if (options.json) console.log(JSON.stringify(result));
  else if (result.verdict === 'not-configured') printWarning(result.reason);
  else if (result.verdict === 'allowed')
    console.log(`allowed: ${result.reason}`);
  else printError(`denied: ${result.reason}`, result.hint);
  return result.verdict === 'denied' ? ExitCode.Refused : ExitCode.Ok;
}

async function commandVerdict(command: string, options: AccessCliOptions) {
  const { loaded, identity, engine, verdict } = await judge(options, {
    action: 'run',
    command,
  });
  const base = {
    command,
    identity: {
      claimed: identity.claimed,
      via: identity.via,
      name: identity.name ?? null,
      roles: identity.roles,
    },
    rule: verdict.rule?.id ?? null,
  };
  if (!loaded.access.configured) {
    return {
      ...base,
      verdict: 'not-configured' as const,
      reason: 'role checks not configured (the policy names no identities)',
      hint: undefined,
    };
  }
  const ask = engine.rolesGranting({ action: 'run', command });
  return {
    ...base,
    verdict: verdict.allowed ? ('allowed' as const) : ('denied' as const),
    reason: `${identity.name ?? identity.claimed}: ${verdict.reason}`,
    hint: ask.length ? `Ask someone with role ${ask.join(' or ')}.` : undefined,
  };
}

/**
 * Checks, then runs the wrapped program with this process's stdio and
 * passes its exit code through (128 + signal number when it is killed, as
 * shells do). 126 when not allowed, 127 when the program cannot start.
 */
export async function runWrapped(
  command: string,
  argv: string[],
  options: AccessCliOptions,
) {
  if (!process.argv.includes('--')) {
    throw new GitwardenError(
      'USAGE',
      'put the program after --: gitwarden run COMMAND -- PROGRAM [ARGS...]',
    );
  }
  const result = await commandVerdict(command, options);
  if (result.verdict === 'denied') {
    printError(`not allowed to run ${command}: ${result.reason}`, result.hint);
    return ExitCode.NotAllowed;
  }
  if (result.verdict === 'not-configured') printWarning(result.reason);
  const [program, ...args] = argv as [string, ...string[]];
  return new Promise<number>((resolve) => {
    const child = spawn(program, args, { stdio: 'inherit' });
    child.on('error', (error) => {
      printError(
        `cannot run ${program}: ${(error as NodeJS.ErrnoException).code ?? error.message}`,
      );
      resolve(127);
    });
    child.on('close', (code, signal) => {
      if (signal) {
        const number = (
          {
            SIGHUP: 1,
            SIGINT: 2,
            SIGQUIT: 3,
            SIGKILL: 9,
            SIGTERM: 15,
          } as Record<string, number>
        )[signal];
        resolve(128 + (number ?? 1));
      } else resolve(code ?? 1);
    });
  });
}

export async function explain(options: AccessCliOptions & ExplainFlags) {
  if (!(ACTIONS as readonly string[]).includes(options.action)) {
    throw new GitwardenError(
      'USAGE',
      `unknown action ${JSON.stringify(options.action)}; expected one of ${ACTIONS.join(', ')}`,
    );
  }
  const action = options.action as Action;
  const ref = options.ref ? normalizeRefPattern(options.ref) : undefined;
  if (action !== 'run' && !ref) {
    throw new GitwardenError('USAGE', `--ref is needed to explain ${action}`);
  }
  const requests: AccessRequest[] =
    action === 'run'
      ? [{ action, command: options.command ?? '' }]
      : action === 'modify'
        ? (options.path ?? []).map((path) => ({ action, ref, path }))
        : [{ action, ref }];
  if (requests.length === 0) {
    throw new GitwardenError('USAGE', 'give --path for the modify action');
  }

  const loaded = await load(options);
  const claim = await whoAmI(options);
  const identity = findIdentity(loaded.access, claim.value, claim.via);
  const engine = new AccessEngine(loaded.access);
  const results = requests.map((request) => {
    const verdict = engine.decide(identity, request);
    return {
      request: describe(request),
      allowed: verdict.allowed,
      rule: verdict.rule?.id ?? null,
      reason: verdict.reason,
      askRoles: verdict.allowed ? [] : engine.rolesGranting(request),
    };
  });
  const holders = (roles: string[]) =>
    Object.entries(loaded.access.identities)
      .filter(([, entry]) => entry.roles?.some((role) => roles.includes(role)))
      .map(([name]) => name);

  if (options.json) {
    console.log(
      JSON.stringify({
        identity,
        policy: loaded.sources,
        configured: loaded.access.configured,
        results,
      }),
    );
  } else {
    console.log(`policy: ${loaded.sources.join(' <- ')}`);
    if (!loaded.access.configured)
      console.log(
        'role checks: not configured (the policy names no identities)',
      );
    console.log(
      `identity: ${identity.claimed} (from ${identity.via}) -> ${identity.name ?? 'unknown to the policy'}; roles: ${identity.roles.join(', ') || 'none'}`,
    );
    for (const result of results) {
      console.log(
        `${result.allowed ? 'ALLOWED' : 'DENIED '} ${result.request}`,
      );
      console.log(`  ${result.reason}`);
      if (result.askRoles.length) {
        const people = holders(result.askRoles);
        console.log(
          `  ask: role ${result.askRoles.join(' or ')}${people.length ? ` (${people.join(', ')})` : ''}`,
        );
      }
    }
  }
  return results.every((result) => result.allowed)
    ? ExitCode.Ok
    : ExitCode.Refused;
}
