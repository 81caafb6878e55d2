// Pieces every demo step uses: real git, the built gitwarden command, and
// a short log of what happens. A gitwarden verdict (exit 0 or 1) is part
// of the show; anything else means the step could not run.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const cli = join(root, 'bin', 'gitwarden.js');

export const baseEnv = {
  ...process.env,
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
};

export function heading(title) {
  console.log(`\n== ${title}`);
}

export function note(text) {
  console.log(`   ${text}`);
}

/**
 * Runs gitwarden, shows its output, and returns its exit code. Exit 0 and
 * 1 are verdicts; `allow` lists other codes a step expects (3, unanchored).
 */
export function gitwarden(
  args,
  { cwd, env = {}, input, quiet, allow = [] } = {},
) {
  console.log(`$ gitwarden ${args.join(' ')}`);
  const result = spawnSync(process.execPath, [cli, ...args], {
    cwd,
    env: { ...baseEnv, ...env },
    input,
    encoding: 'utf8',
  });
  if (!quiet) process.stdout.write(result.stdout + result.stderr);
  const expected =
    result.status === 0 || result.status === 1 || allow.includes(result.status);
  if (result.error || result.status === null || !expected) {
    throw new Error(
      `step failed (exit ${result.status}): gitwarden ${args.join(' ')}`,
    );
  }
  return result.status;
}

/** A person or an agent working in a clone, and their server login. */
export function actor(name, email, login) {
  return {
    name,
    email,
    env: {
      ...baseEnv,
      REMOTE_USER: login,
      GIT_AUTHOR_NAME: name,
      GIT_AUTHOR_EMAIL: email,
      GIT_COMMITTER_NAME: name,
      GIT_COMMITTER_EMAIL: email,
    },
  };
}

export function git(args, cwd, env = baseEnv) {
  return execFileSync('git', args, {
    cwd,
    env,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  }).trim();
}

/** Like git(), but returns the exit code and output instead of throwing. */
export function tryGit(args, cwd, env = baseEnv) {
  const result = spawnSync('git', args, { cwd, env, encoding: 'utf8' });
  return {
    code: result.status,
    output: `${result.stdout}${result.stderr}`.trim(),
  };
}

export function write(path, content) {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content);
}

/** Commits everything in `dir` as `who`, with the message given. */
export function commitAs(who, dir, message) {
  git(['add', '--all'], dir, who.env);
  git(['commit', '--quiet', '--no-verify', '-m', message], dir, who.env);
  return git(['rev-parse', 'HEAD'], dir);
}
