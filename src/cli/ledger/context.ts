import { hostname } from 'node:os';
import { resolve } from 'node:path';

import { GitwardenError } from '../../errors.ts';
import { git, gitText } from '../../git/run.ts';
import { signerFromProvider } from '../../keys/ed25519.ts';
import {
  createSecretProvider,
  type ProviderConfig,
} from '../../keys/providers.ts';
import type { Signer } from '../../keys/signer.ts';
import { resolveLedgerConfig, type LedgerConfig } from '../../ledger/config.ts';
import type { Where } from '../../ledger/record.ts';
import {
  DEFAULT_POLICY_PATH,
  defaultPolicy,
  loadPolicyFile,
} from '../../policy/load.ts';
import { parsePolicy } from '../../policy/parse.ts';
import type { Policy } from '../../policy/types.ts';

// The adapter side of the ledger commands: everything that reads the
// environment, the flags and the policy, so the engine never does.

export interface CommonOptions {
  repo?: string;
  policy?: string;
  policyRev?: string;
  branch?: string;
  remote?: string;
  local?: boolean;
  json?: boolean;
}

export interface KeyOptions {
  keyEnv?: string;
  keyFile?: string;
  keyCommand?: string;
}

export interface LedgerContext {
  cwd: string;
  /** The repository's top folder; private keys must live outside it. */
  root: string;
  config: LedgerConfig;
  /** The revision the policy came from (the protected branch), if any. */
  policyRev: string | undefined;
  remote: string | undefined;
}

export async function ledgerContext(
  options: CommonOptions,
): Promise<LedgerContext> {
  const cwd = resolve(options.repo ?? '.');
  // Independent git calls, run side by side: a CLI append is short.
  const [root, { policy, revision }] = await Promise.all([
    gitText(['rev-parse', '--show-toplevel'], { cwd }).catch(() => cwd),
    loadLedgerPolicy(cwd, options),
  ]);
  const config = resolveLedgerConfig({
    ...policy.document.ledger,
    ...(options.branch ? { branch: options.branch } : {}),
  });
  const remote = options.local ? undefined : (options.remote ?? config.remote);
  return { cwd, root, config, policyRev: revision, remote };
}

/**
 * The policy that holds the ledger's trust: a file named with --policy,
 * or the policy committed at --policy-rev (default HEAD, the protected
 * branch a CI job checks out). Never the ledger branch's own files.
 */
async function loadLedgerPolicy(
  cwd: string,
  options: CommonOptions,
): Promise<{ policy: Policy; revision: string | undefined }> {
  if (options.policy) {
    return {
      policy: await loadPolicyFile(resolve(cwd, options.policy)),
      revision: undefined,
    };
  }
  const revision = options.policyRev ?? 'HEAD';
  const result = await git(
    ['cat-file', 'blob', `${revision}:${DEFAULT_POLICY_PATH}`],
    {
      cwd,
      okCodes: [128],
    },
  );
  if (result.code !== 0) {
    if (options.policyRev) {
      throw new GitwardenError(
        'POLICY_UNREADABLE',
        `no ${DEFAULT_POLICY_PATH} at ${revision}`,
      );
    }
    return { policy: defaultPolicy(), revision: undefined };
  }
  const text = result.stdout.toString('utf8');
  return {
    policy: parsePolicy(text, {
      kind: 'revision',
      revision,
      path: DEFAULT_POLICY_PATH,
    }),
    revision,
  };
}

/** Trust is required to verify: a ledger nobody is trusted to sign proves nothing. */
export function requireTrust(config: LedgerConfig): void {
  if (config.rootKeys.length + config.writerKeys.length === 0) {
    throw new GitwardenError(
      'POLICY_INVALID',
      'the policy trusts no ledger keys',
      {
        hint: 'Add ledger.rootKeys and ledger.writerKeys to .gitwarden/policy.yml on the protected branch (`gitwarden ledger keygen` prints an entry), or pass --policy FILE.',
      },
    );
  }
}

/** The writer's key: flags first, then the policy's signer setting. */
export async function writerSigner(
  context: LedgerContext,
  options: KeyOptions,
): Promise<Signer> {
  const config: ProviderConfig = options.keyEnv
    ? { provider: 'env', variable: options.keyEnv }
    : options.keyFile
      ? { provider: 'file', path: options.keyFile }
      : options.keyCommand
        ? {
            provider: 'command',
            command: options.keyCommand.split(/\s+/).filter(Boolean),
          }
        : context.config.signer;
  const provider = createSecretProvider(config, {
    env: process.env,
    cwd: context.cwd,
    forbiddenRoots: [context.root],
  });
  return signerFromProvider(provider);
}

/** Where this is running, from the environment CI systems set. */
export function currentWhere(env: NodeJS.ProcessEnv = process.env): Where {
  const where: Where = { host: hostname() };
  if (env.GITHUB_ACTIONS === 'true') {
    where.ci = {
      provider: 'github-actions',
      runId: env.GITHUB_RUN_ID,
      runAttempt: env.GITHUB_RUN_ATTEMPT,
      job: env.GITHUB_JOB,
      workflow: env.GITHUB_WORKFLOW_REF,
      url:
        env.GITHUB_SERVER_URL && env.GITHUB_REPOSITORY && env.GITHUB_RUN_ID
          ? `${env.GITHUB_SERVER_URL}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}`
          : undefined,
    };
  } else if (env.CI) {
    where.ci = { provider: 'ci' };
  }
  return where;
}

/** Who is acting, when the caller does not say: the CI actor or the user. */
export function currentActor(
  env: NodeJS.ProcessEnv = process.env,
): string | undefined {
  return env.GITHUB_ACTOR ?? env.GITLAB_USER_LOGIN ?? env.USER ?? env.USERNAME;
}
