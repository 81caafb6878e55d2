import { spawn } from 'node:child_process';

import type { CommandSpec } from '../policy/providers.ts';

export interface CommandResult {
  /** Exit code; undefined when a signal or the timeout ended it. */
  code: number | undefined;
  stdout: Buffer;
  /** The last lines of stderr, for a failure message. */
  stderrTail: string;
  timedOut: boolean;
  /** Set when the command could not start at all (ENOENT, EACCES). */
  startError?: string;
}

export interface RunOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  input?: string;
  timeoutMs: number;
  /** Stop reading stdout past this many bytes. */
  maxStdout?: number;
}

/**
 * Runs a policy command: a string through /bin/sh -c, an array as is.
 * stdout is collected as bytes (the secret, for a generator) and never
 * echoed; stderr is kept only as a short tail for a failure message.
 */
export function runCommand(
  spec: CommandSpec,
  options: RunOptions,
): Promise<CommandResult> {
  const [file, args] =
    typeof spec === 'string'
      ? ['/bin/sh', ['-c', spec]]
      : [spec[0]!, spec.slice(1)];
  const maxStdout = options.maxStdout ?? 1024 * 1024;

  return new Promise((resolve) => {
    const child = spawn(file, args, {
      cwd: options.cwd,
      env: options.env,
      stdio: ['pipe', 'pipe', 'pipe'],
      // Its own process group, so a timeout also ends what a shell
      // started (a `sleep` would otherwise hold stdout open).
      detached: true,
    });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }, options.timeoutMs);
    const out: Buffer[] = [];
    let outBytes = 0;
    let err = '';
    let startError: string | undefined;

    child.stdout.on('data', (chunk: Buffer) => {
      if (outBytes < maxStdout) out.push(chunk);
      outBytes += chunk.length;
    });
    child.stderr.on('data', (chunk: Buffer) => {
      err = (err + chunk.toString('utf8')).slice(-4000);
    });
    child.on('error', (error: NodeJS.ErrnoException) => {
      startError = error.code ?? error.message;
    });
    // A command that does not read its stdin must not fail the run.
    child.stdin.on('error', () => {});
    child.stdin.end(options.input ?? '');

    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({
        code: code ?? undefined,
        stdout: Buffer.concat(out).subarray(0, maxStdout),
        stderrTail: err.trim().split('\n').slice(-5).join('\n'),
        timedOut,
        ...(startError ? { startError } : {}),
      });
    });
  });
}

export function describeCommand(spec: CommandSpec): string {
  return typeof spec === 'string' ? spec : spec.join(' ');
}
