import { spawn } from 'node:child_process';

import { GitwardenError } from '../errors.ts';

/**
 * The one place gitwarden starts `git`. Every verdict must be the same on a
 * laptop, in CI and on a server, so git runs under a configuration that
 * gitwarden controls: no system or global config (a developer's own
 * `trailer.*` or `core.commentChar` cannot change a verdict), no pager, no
 * prompts, no locale-dependent messages.
 */
export interface GitOptions {
  /** Working directory: the repository (or a folder inside it). */
  cwd: string;
  /** Text or bytes written to git's standard input. */
  input?: string | Buffer;
  /** Extra environment, layered over the pinned one. */
  env?: Record<string, string | undefined>;
  /** Exit codes that are not failures (e.g. `merge-base --is-ancestor`). */
  okCodes?: readonly number[];
  /**
   * Read the user's own configuration too (system, global, and `-c` from a
   * parent git). Only to learn what the user's git did, such as the
   * comment char `git commit` strips or the identity it records; never to
   * decide how gitwarden reads trailers.
   */
  userConfig?: boolean;
}

export interface GitResult {
  stdout: Buffer;
  stderr: string;
  code: number;
}

/**
 * Environment variables a parent git process may have set (for example
 * when gitwarden runs inside a hook) that would redirect us to another
 * repository or index. Quarantine variables are kept: a pre-receive hook
 * must see the objects being pushed.
 */
const INHERITED_REPO_VARIABLES = [
  'GIT_DIR',
  'GIT_WORK_TREE',
  'GIT_INDEX_FILE',
  'GIT_PREFIX',
  'GIT_COMMON_DIR',
];

export function pinnedEnv(
  extra: Record<string, string | undefined> = {},
  keepRepoVariables = false,
  userConfig = false,
): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  if (!keepRepoVariables) {
    for (const name of INHERITED_REPO_VARIABLES) delete env[name];
  }
  if (!userConfig) {
    // Drop any `-c` settings a parent git passed down to its hooks.
    delete env.GIT_CONFIG_PARAMETERS;
    delete env.GIT_CONFIG_COUNT;
    Object.assign(env, {
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_CONFIG_GLOBAL: '/dev/null',
    });
  }
  Object.assign(env, {
    GIT_TERMINAL_PROMPT: '0',
    GIT_PAGER: 'cat',
    GIT_OPTIONAL_LOCKS: '0',
    LC_ALL: 'C',
    LANG: 'C',
  });
  for (const [key, value] of Object.entries(extra)) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }
  return env;
}

/** Runs git to completion and returns its output as bytes. */
export function git(args: readonly string[], options: GitOptions) {
  return new Promise<GitResult>((resolve, reject) => {
    const child = spawn('git', args, {
      cwd: options.cwd,
      env: pinnedEnv(options.env, false, options.userConfig),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', (cause) =>
      reject(
        new GitwardenError('GIT_FAILED', `could not start git: ${cause}`, {
          hint: 'Install git and make sure it is on PATH.',
          cause,
        }),
      ),
    );
    // git may exit before reading all of its input; that is not our error.
    child.stdin.on('error', () => {});
    child.stdin.end(options.input ?? '');
    child.on('close', (code) => {
      const result = {
        stdout: Buffer.concat(out),
        stderr: Buffer.concat(err).toString('utf8'),
        code: code ?? -1,
      };
      if (result.code === 0 || options.okCodes?.includes(result.code)) {
        resolve(result);
      } else {
        reject(gitFailure(args, result));
      }
    });
  });
}

/** Runs git and returns standard output as text without the final newline. */
export async function gitText(
  args: readonly string[],
  options: GitOptions,
): Promise<string> {
  const { stdout } = await git(args, options);
  return stdout.toString('utf8').replace(/\n$/, '');
}

function gitFailure(args: readonly string[], result: GitResult) {
  const stderr = result.stderr.trim();
  if (/not a git repository/i.test(stderr)) {
    return new GitwardenError('NOT_A_REPOSITORY', 'not a git repository', {
      hint: 'Run gitwarden inside a repository or pass --repo PATH.',
    });
  }
  const detail = stderr.split('\n')[0] ?? '';
  return new GitwardenError(
    'GIT_FAILED',
    `git ${args[0] ?? ''} failed (exit ${result.code})${detail ? `: ${detail}` : ''}`,
  );
}

/**
 * Runs git and hands its standard output over as it arrives, for outputs
 * too large to hold (a history's patches). Reading applies backpressure to
 * git. `done` settles when git has exited: it rejects on a failure exit,
 * so a consumer never mistakes a cut-off stream for a complete one.
 */
export function gitStream(
  args: readonly string[],
  options: GitOptions,
): { stdout: AsyncIterable<Buffer>; done: Promise<void>; stop(): void } {
  const child = spawn('git', args, {
    cwd: options.cwd,
    env: pinnedEnv(options.env),
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const err: Buffer[] = [];
  child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
  child.stdin.on('error', () => {});
  child.stdin.end(options.input ?? '');
  let stopped = false;
  const done = new Promise<void>((resolve, reject) => {
    child.on('error', (cause) =>
      reject(
        new GitwardenError('GIT_FAILED', `could not start git: ${cause}`, {
          hint: 'Install git and make sure it is on PATH.',
          cause,
        }),
      ),
    );
    child.on('close', (code, signal) => {
      const result = {
        stdout: Buffer.alloc(0),
        stderr: Buffer.concat(err).toString('utf8'),
        code: code ?? -1,
      };
      if (stopped) resolve();
      else if (result.code === 0 || options.okCodes?.includes(result.code)) {
        resolve();
      } else {
        const failure = gitFailure(args, result);
        if (signal) failure.message += ` (signal ${signal})`;
        reject(failure);
      }
    });
  });
  // A rejection nobody awaited yet must not crash the process; consumers
  // await `done` after reading.
  done.catch(() => {});
  return {
    stdout: child.stdout,
    done,
    stop() {
      stopped = true;
      child.kill();
    },
  };
}
