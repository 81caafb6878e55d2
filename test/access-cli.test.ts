import { afterAll, describe, expect, it } from 'vitest';

import { cleanupTempDirs, makeRepo, runCli } from './helpers/repo.ts';

afterAll(cleanupTempDirs);

const POLICY = `
identities:
  ada: { logins: [ada], emails: [ada@example.com], roles: [admin] }
  dev: { logins: [dev], emails: [author@example.com], roles: [developer] }
commands:
  deploy: { roles: [admin], description: production deploys }
  /revenue: { roles: [owner] }
`;

function repoWithPolicy(policy = POLICY) {
  const repo = makeRepo();
  repo.write('.gitwarden/policy.yml', policy);
  repo.commit('policy');
  return repo;
}

describe('gitwarden authorize', () => {
  it('answers allowed (0) or denied (1) with the reason and whom to ask', () => {
    const repo = repoWithPolicy();
    const yes = runCli(['authorize', 'deploy', '--as', 'ada'], {
      cwd: repo.dir,
    });
    expect(yes.code).toBe(0);
    expect(yes.stdout).toContain(
      'allowed: ada: run deploy is granted by commands.deploy.roles',
    );

    const no = runCli(['authorize', 'deploy', '--as', 'dev'], {
      cwd: repo.dir,
    });
    expect(no.code).toBe(1);
    expect(no.stderr).toContain(
      'denied: dev: no grant of role developer allows run deploy',
    );
    expect(no.stderr).toContain('Ask someone with role admin or owner.');

    const json = runCli(['authorize', '/revenue', '--as', 'ada', '--json'], {
      cwd: repo.dir,
    });
    expect(JSON.parse(json.stdout)).toMatchObject({
      verdict: 'denied',
      command: '/revenue',
    });
  });

  it('defaults to the local git identity and reads the committed policy', () => {
    const repo = repoWithPolicy();
    // testGitEnv's committer email is committer@example.com: unknown here.
    const me = runCli(['authorize', 'deploy'], {
      cwd: repo.dir,
      env: { GIT_COMMITTER_EMAIL: 'ada@example.com' },
    });
    expect(me.code).toBe(0);
    // An uncommitted edit granting everything changes nothing.
    repo.write(
      '.gitwarden/policy.yml',
      POLICY.replace('[developer]', '[owner]'),
    );
    const dev = runCli(['authorize', 'deploy', '--as', 'dev'], {
      cwd: repo.dir,
    });
    expect(dev.code).toBe(1);
  });

  it('reports "not configured" before the policy names identities', () => {
    const repo = repoWithPolicy('commands:\n  deploy: { roles: [admin] }\n');
    const result = runCli(['authorize', 'deploy', '--as', 'x'], {
      cwd: repo.dir,
    });
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('not configured');
  });
});

describe('gitwarden run', () => {
  it('runs an allowed program and passes its exit code through', () => {
    const repo = repoWithPolicy();
    const ok = runCli(
      [
        'run',
        'deploy',
        '--as',
        'ada',
        '--',
        'sh',
        '-c',
        'echo deployed; exit 7',
      ],
      {
        cwd: repo.dir,
      },
    );
    expect(ok.stdout).toContain('deployed');
    expect(ok.code).toBe(7);
  });

  it('exits 126 without running anything when not allowed', () => {
    const repo = repoWithPolicy();
    const denied = runCli(
      ['run', 'deploy', '--as', 'dev', '--', 'sh', '-c', 'echo ran'],
      {
        cwd: repo.dir,
      },
    );
    expect(denied.code).toBe(126);
    expect(denied.stdout).not.toContain('ran');
    expect(denied.stderr).toContain('not allowed to run deploy');
  });

  it('exits 127 for a program that does not exist and 2 without --', () => {
    const repo = repoWithPolicy();
    const missing = runCli(
      ['run', 'deploy', '--as', 'ada', '--', '/no/such/program'],
      {
        cwd: repo.dir,
      },
    );
    expect(missing.code).toBe(127);
    const usage = runCli(['run', 'deploy', '--as', 'ada', 'sh'], {
      cwd: repo.dir,
    });
    expect(usage.code).toBe(2);
  });
});

describe('gitwarden explain', () => {
  it('names identity, roles, the deciding rule and whom to ask', () => {
    const repo = repoWithPolicy();
    const result = runCli(
      [
        'explain',
        '--as',
        'dev',
        '--action',
        'modify',
        '--ref',
        'feature/x',
        '--path',
        'src/a.ts',
        '.github/workflows/ci.yml',
      ],
      { cwd: repo.dir },
    );
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(
      'identity: dev (from --as) -> dev; roles: developer',
    );
    expect(result.stdout).toContain(
      'ALLOWED modify "src/a.ts" on refs/heads/feature/x',
    );
    expect(result.stdout).toContain(
      'granted by builtin:roles.developer.grants[0]',
    );
    expect(result.stdout).toContain(
      'DENIED  modify ".github/workflows/ci.yml"',
    );
    expect(result.stdout).toContain('ask: role admin or owner (ada)');
  });
});
