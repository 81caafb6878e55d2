import { spawn } from 'node:child_process';
import { readFile, stat } from 'node:fs/promises';
import { isAbsolute, relative, resolve } from 'node:path';

import { GitwardenError } from '../errors.ts';
import { Secret, type SecretProvider } from './secret.ts';

/**
 * Where a secret comes from, as the policy or a command-line flag says.
 * Vault and Doppler join this union (and the registry below) later; the
 * ledger and every other caller only see SecretProvider.
 */
export type ProviderConfig =
  | { provider: 'env'; variable: string }
  | { provider: 'file'; path: string }
  | { provider: 'command'; command: string[]; timeoutMs?: number };

/**
 * What a provider may look at. The engine never reads process.env itself:
 * the adapter passes the environment in, which also lets tests give each
 * provider exactly the variables it should see.
 */
export interface ProviderContext {
  env: Readonly<Record<string, string | undefined>>;
  /** Relative file paths resolve against this folder. */
  cwd: string;
  /**
   * Folders a secret file must not live in: the repository's work tree,
   * so a private key is never one `git add` away from being committed.
   */
  forbiddenRoots?: string[];
}

type ProviderFactory<C> = (
  config: C,
  context: ProviderContext,
) => SecretProvider;

const factories: {
  [K in ProviderConfig['provider']]: ProviderFactory<
    Extract<ProviderConfig, { provider: K }>
  >;
} = {
  env: envProvider,
  file: fileProvider,
  command: commandProvider,
};

export function createSecretProvider(
  config: ProviderConfig,
  context: ProviderContext,
): SecretProvider {
  const factory = factories[config.provider] as ProviderFactory<ProviderConfig>;
  return factory(config, context);
}

function unavailable(message: string, hint?: string, cause?: unknown) {
  return new GitwardenError('KEY_UNAVAILABLE', message, { hint, cause });
}

export function envProvider(
  config: { variable: string },
  context: ProviderContext,
): SecretProvider {
  const description = `environment variable ${config.variable}`;
  return {
    description,
    async get() {
      const value = context.env[config.variable];
      if (value === undefined || value.trim() === '') {
        throw unavailable(
          `${description} is not set`,
          `Set ${config.variable} from your CI secret store, or choose another provider with --key-file or --key-command.`,
        );
      }
      return new Secret(value, description);
    },
  };
}

/**
 * A file only its owner can read (mode 0600 or stricter), like ssh's
 * private keys: a key that others on the machine can read is refused
 * rather than used.
 */
export function fileProvider(
  config: { path: string },
  context: ProviderContext,
): SecretProvider {
  const path = resolve(context.cwd, config.path);
  const description = `key file ${path}`;
  return {
    description,
    async get() {
      for (const root of context.forbiddenRoots ?? []) {
        if (isInside(path, root)) {
          throw unavailable(
            `${description} is inside the repository (${root})`,
            'Keep private keys out of the repository: move the file outside the work tree, or use --key-env.',
          );
        }
      }
      let mode: number;
      let owner: number;
      try {
        const info = await stat(path);
        mode = info.mode & 0o777;
        owner = info.uid;
      } catch (cause) {
        throw unavailable(
          `cannot read ${description}: ${errnoOf(cause)}`,
          undefined,
          cause,
        );
      }
      if ((mode & 0o077) !== 0) {
        throw unavailable(
          `${description} can be read or written by others (mode 0${mode.toString(8)})`,
          `Run: chmod 600 ${path}`,
        );
      }
      if (process.getuid && owner !== process.getuid()) {
        throw unavailable(`${description} belongs to another user`);
      }
      try {
        return new Secret(await readFile(path, 'utf8'), description);
      } catch (cause) {
        throw unavailable(
          `cannot read ${description}: ${errnoOf(cause)}`,
          undefined,
          cause,
        );
      }
    },
  };
}

/**
 * Runs a command (no shell: argv as given) and takes its standard output
 * as the secret, like git's credential helpers. Its standard error is not
 * repeated in messages, in case a helper echoes what it read.
 */
export function commandProvider(
  config: { command: string[]; timeoutMs?: number },
  context: ProviderContext,
): SecretProvider {
  const [program, ...args] = config.command;
  const description = `key command \`${config.command.join(' ')}\``;
  return {
    description,
    get: () =>
      new Promise<Secret>((resolvePromise, reject) => {
        if (!program) {
          reject(unavailable('the key command is empty'));
          return;
        }
        const child = spawn(program, args, {
          cwd: context.cwd,
          env: context.env as NodeJS.ProcessEnv,
          stdio: ['ignore', 'pipe', 'ignore'],
          timeout: config.timeoutMs ?? 10_000,
        });
        const out: Buffer[] = [];
        child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
        child.on('error', (cause) =>
          reject(
            unavailable(
              `cannot run ${description}: ${errnoOf(cause)}`,
              undefined,
              cause,
            ),
          ),
        );
        child.on('close', (code, signal) => {
          if (code !== 0) {
            const how = signal ? `was stopped by ${signal}` : `exited ${code}`;
            reject(unavailable(`${description} ${how}`));
            return;
          }
          const value = Buffer.concat(out).toString('utf8');
          if (value.trim() === '') {
            reject(unavailable(`${description} printed nothing`));
            return;
          }
          resolvePromise(new Secret(value, description));
        });
      }),
  };
}

function isInside(path: string, root: string): boolean {
  const rel = relative(resolve(root), path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

function errnoOf(cause: unknown): string {
  return (cause as NodeJS.ErrnoException)?.code ?? String(cause);
}
