import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

import { afterEach } from 'vitest';

import { runCli, type CliResult } from './repo.ts';
import { runCliAsync } from './run-cli-async.ts';

/**
 * Every fake secret a test makes, and everything the test captured: CLI
 * output, error messages, log lines, written files. After each test the
 * registry fails it when any captured text holds any registered secret,
 * naming the secret by its label, never by its value.
 *
 *   const secrets = useSecretRegistry();
 *   const value = secrets.make('deploy token');
 *   secrets.cli(['secrets', 'rotate', 'X']);      // output is watched
 *   secrets.watchFiles(repo.dir);                  // files are read at the end
 */
export interface SecretRegistry {
  /** A new random fake secret, built at run time, registered under label. */
  make(label?: string): string;
  /** Registers a value the test got from elsewhere. */
  register(value: string, label?: string): void;
  /** Text to check at the end of the test (output, a log line...). */
  watch(text: string | undefined, where: string): void;
  /** An error's message, hint, stack and causes. */
  watchError(error: unknown, where?: string): void;
  /** Every file under dir, read when the test ends. */
  watchFiles(dir: string): void;
  /** runCli, with stdout and stderr watched. */
  cli(args: string[], options?: Parameters<typeof runCli>[1]): CliResult;
  /** runCliAsync (for loopback servers in the test), output watched. */
  cliAsync(
    args: string[],
    options?: Parameters<typeof runCliAsync>[1],
  ): Promise<CliResult>;
  /** Runs the check now; returns the problems (also thrown after the test). */
  leaks(): string[];
  /** Forgets everything registered and watched (the registry's own test). */
  reset(): void;
}

export function useSecretRegistry(): SecretRegistry {
  const secrets = new Map<string, string>();
  const texts: { where: string; text: string }[] = [];
  const dirs: string[] = [];

  const registry: SecretRegistry = {
    make(label = `secret ${secrets.size + 1}`) {
      // Pieces joined at run time: no realistic secret sits in the source.
      const value = ['gw', 'fake', randomBytes(12).toString('hex')].join('_');
      secrets.set(value, label);
      return value;
    },
    register(value, label = `secret ${secrets.size + 1}`) {
      if (value.length < 6) throw new Error('too short to track reliably');
      secrets.set(value, label);
    },
    watch(text, where) {
      if (text) texts.push({ where, text });
    },
    watchError(error, where = 'error') {
      let current: unknown = error;
      for (let depth = 0; current && depth < 5; depth++) {
        const e = current as Error & { hint?: string };
        registry.watch(
          [e.message, e.hint, e.stack].filter(Boolean).join('\n'),
          `${where} (depth ${depth})`,
        );
        current = e.cause;
      }
    },
    watchFiles(dir) {
      dirs.push(dir);
    },
    cli(args, options) {
      const result = runCli(args, options);
      registry.watch(result.stdout, `stdout of gitwarden ${args.join(' ')}`);
      registry.watch(result.stderr, `stderr of gitwarden ${args.join(' ')}`);
      return result;
    },
    async cliAsync(args, options) {
      const result = await runCliAsync(args, options);
      registry.watch(result.stdout, `stdout of gitwarden ${args.join(' ')}`);
      registry.watch(result.stderr, `stderr of gitwarden ${args.join(' ')}`);
      return result;
    },
    leaks() {
      const found: string[] = [];
      const all = [...texts];
      for (const dir of dirs) {
        for (const file of filesUnder(dir)) {
          all.push({ where: file, text: readFileSync(file, 'latin1') });
        }
      }
      for (const { where, text } of all) {
        for (const [value, label] of secrets) {
          if (text.includes(value)) found.push(`${label} appears in ${where}`);
        }
      }
      return found;
    },
    reset() {
      secrets.clear();
      texts.length = 0;
      dirs.length = 0;
    },
  };

  afterEach(() => {
    const found = registry.leaks();
    registry.reset();
    if (found.length) {
      throw new Error(`secret value leaked:\n  ${found.join('\n  ')}`);
    }
  });
  return registry;
}

function filesUnder(dir: string): string[] {
  const out: string[] = [];
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return out;
  }
  for (const name of entries) {
    const full = join(dir, name);
    const stat = statSync(full, { throwIfNoEntry: false });
    if (stat?.isDirectory()) out.push(...filesUnder(full));
    else if (stat?.isFile()) out.push(full);
  }
  return out;
}
