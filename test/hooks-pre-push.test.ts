import { afterAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { GITWARDEN_COMMAND } from './helpers/git-server.ts';
import { cleanupTempDirs, makeRepo, testGitEnv } from './helpers/repo.ts';

afterAll(cleanupTempDirs);

const POLICY = `
# These tests are about roles; the trailer rule in hooks is tested apart.
trailers: { enabled: false }
identities:
  dev: { emails: [dev@example.com], roles: [developer] }
`;

function setUp() {
  const origin = makeRepo({ bare: true });
  const work = makeRepo();
  work.write('.gitwarden/policy.yml', POLICY);
  work.commit('policy');
  work.git(['remote', 'add', 'origin', origin.dir]);
  work.git(['push', '-q', 'origin', 'main']);
  work.git(['remote', 'set-head', 'origin', 'main']);
  const hook = join(work.dir, '.git', 'hooks', 'pre-push');
  copyFileSync(join(import.meta.dirname, '..', 'hooks', 'pre-push'), hook);
  chmodSync(hook, 0o755);
  const push = (args: string[], email = 'dev@example.com') => {
    const result = spawnSync('git', ['push', 'origin', ...args], {
      cwd: work.dir,
      env: {
        ...testGitEnv,
        GITWARDEN: GITWARDEN_COMMAND,
        GIT_COMMITTER_EMAIL: email,
      },
      encoding: 'utf8',
    });
    return { code: result.status, stderr: result.stderr };
  };
  const remoteRef = (ref: string) =>
    spawnSync('git', ['rev-parse', '--verify', '--quiet', ref], {
      cwd: origin.dir,
      encoding: 'utf8',
      env: testGitEnv,
    }).stdout.trim();
  return { work, push, remoteRef };
}

describe('the pre-push hook', () => {
  it('judges each ref as the local git identity before anything leaves', () => {
    const { work, push, remoteRef } = setUp();
    work.git(['checkout', '-q', '-b', 'feature/a']);
    work.write('src/a.ts', 'a\n');
    const sha = work.commit('a');
    expect(push(['feature/a']).code).toBe(0);
    expect(remoteRef('refs/heads/feature/a')).toBe(sha);

    const main = push(['feature/a:main']);
    expect(main.code).not.toBe(0);
    expect(main.stderr).toContain('refused refs/heads/main (push by dev)');
    expect(main.stderr).toContain('--no-verify skips this local check');
    expect(remoteRef('refs/heads/main')).not.toBe(sha);
  });

  it('judges the paths of the new commits only, by the remote policy', () => {
    const { work, push } = setUp();
    work.git(['checkout', '-q', '-b', 'feature/b']);
    work.write('.github/workflows/ci.yml', 'on: push\n');
    work.commit('ci');
    const refused = push(['feature/b']);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('".github/workflows/ci.yml"');
    expect(refused.stderr).toContain('access.protected');
  });

  it('gives an unknown local identity no rights, and can be skipped', () => {
    const { work, push } = setUp();
    work.git(['checkout', '-q', '-b', 'feature/c']);
    work.commit('c');
    const unknown = push(['feature/c'], 'stranger@example.com');
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toContain('stranger@example.com is not an identity');
    expect(
      push(['--no-verify', 'feature/c'], 'stranger@example.com').code,
    ).toBe(0);
  });

  it('is the script shipped in hooks/', () => {
    const script = readFileSync(
      join(import.meta.dirname, '..', 'hooks', 'pre-push'),
      'utf8',
    );
    expect(script).toContain('hook pre-push "$@"');
  });
});
