import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/**
 * Real git repositories for tests, made in a temporary folder. Git runs
 * with no global or system config and fixed dates, so a test sees the same
 * history on every machine.
 */
export const testGitEnv: NodeJS.ProcessEnv = {
  ...process.env,
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_AUTHOR_NAME: 'Test Author',
  GIT_AUTHOR_EMAIL: 'author@example.com',
  GIT_COMMITTER_NAME: 'Test Committer',
  GIT_COMMITTER_EMAIL: 'committer@example.com',
  GIT_AUTHOR_DATE: '2026-01-01T00:00:00Z',
  GIT_COMMITTER_DATE: '2026-01-01T00:00:00Z',
  GIT_TERMINAL_PROMPT: '0',
};

const made: string[] = [];

export function tempDir(prefix = 'gitwarden-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

/** Removes every folder tempDir made; call from afterAll. */
export function cleanupTempDirs(): void {
  for (const dir of made.splice(0)) {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface TestRepo {
  dir: string;
  git(args: string[], env?: NodeJS.ProcessEnv): string;
  write(path: string, content: string | Buffer): void;
  /** Commits everything in the work tree; returns the new commit's sha. */
  commit(message: string, env?: NodeJS.ProcessEnv): string;
}

export function makeRepo(options: { bare?: boolean; dir?: string } = {}) {
  const dir = options.dir ?? tempDir();
  const run = (args: string[], env?: NodeJS.ProcessEnv) =>
    execFileSync('git', args, {
      cwd: dir,
      env: { ...testGitEnv, ...env },
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    }).replace(/\n$/, '');
  run([
    'init',
    '--quiet',
    '--initial-branch=main',
    ...(options.bare ? ['--bare'] : []),
  ]);
  const repo: TestRepo = {
    dir,
    git: run,
    write(path, content) {
      const full = join(dir, path);
      mkdirSync(dirname(full), { recursive: true });
      writeFileSync(full, content);
    },
    commit(message, env) {
      run(['add', '--all']);
      // A message file keeps the bytes exactly as the test wrote them.
      const file = join(tempDir('gitwarden-msg-'), 'message');
      writeFileSync(file, message);
      run(
        [
          'commit',
          '--quiet',
          '--allow-empty',
          '--cleanup=verbatim',
          '-F',
          file,
        ],
        env,
      );
      return run(['rev-parse', 'HEAD']);
    },
  };
  return repo;
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

const cli = join(import.meta.dirname, '..', '..', 'bin', 'gitwarden.js');

/** Runs the built `gitwarden` command as a user would. */
export function runCli(
  args: string[],
  options: { cwd?: string; input?: string; env?: NodeJS.ProcessEnv } = {},
): CliResult {
  const result = spawnSync(process.execPath, [cli, ...args], {
    cwd: options.cwd ?? process.cwd(),
    env: { ...testGitEnv, NO_COLOR: '1', ...options.env },
    input: options.input ?? '',
    encoding: 'utf8',
    timeout: 60_000,
  });
  if (result.error) throw result.error;
  return {
    code: result.status ?? -1,
    stdout: result.stdout,
    stderr: result.stderr,
  };
}
