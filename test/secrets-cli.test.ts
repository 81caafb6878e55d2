import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';

import { cleanupTempDirs, makeRepo, type TestRepo } from './helpers/repo.ts';
import {
  githubErrors,
  startFakeGitHub,
  type FakeGitHub,
} from './helpers/fake-github.ts';
import { startFakeVault } from './helpers/fake-vault.ts';
import { useSecretRegistry } from './helpers/secret-registry.ts';

const secrets = useSecretRegistry();
let github: FakeGitHub;
let repo: TestRepo;

beforeEach(async () => {
  github = await startFakeGitHub();
  repo = makeRepo();
  secrets.watchFiles(repo.dir);
});
afterEach(() => github.close());
afterAll(cleanupTempDirs);

const daysAgo = (days: number) =>
  new Date(Date.now() - days * 86_400_000).toISOString();

function env(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    GITHUB_TOKEN: github.token,
    GITHUB_API_URL: github.url,
    GITHUB_REPOSITORY: 'acme/api',
    ...extra,
  };
}

const gitwarden = (args: string[], extra?: NodeJS.ProcessEnv) =>
  secrets.cliAsync(args, { cwd: repo.dir, env: env(extra) });

describe('gitwarden secrets age', () => {
  it('flags secrets older than the limit in every scope (exit 1)', async () => {
    repo.write(
      '.gitwarden/policy.yml',
      'rotation:\n  maxAgeDays: 60\n  secrets:\n    SHORT_LIVED:\n      generator: "true"\n      store: { github: repository }\n      maxAgeDays: 7\n',
    );
    github.addSecret('repo:acme/api', 'FRESH', { updatedAt: daysAgo(3) });
    github.addSecret('repo:acme/api', 'STALE', { updatedAt: daysAgo(200) });
    github.addSecret('repo:acme/api', 'SHORT_LIVED', {
      updatedAt: daysAgo(10),
    });
    github.addEnvironment('acme/api', 'prod');
    github.addSecret('env:acme/api/prod', 'DB', { updatedAt: daysAgo(61) });
    github.addSecret('org:acme', 'NPM', { updatedAt: daysAgo(1) });

    const result = await gitwarden(['secrets', 'age']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(
      /STALE +updated \S+ +200 days +OLD \(limit 60 days\)/,
    );
    expect(result.stdout).toMatch(/SHORT_LIVED .*OLD \(limit 7 days\)/);
    expect(result.stdout).toMatch(/FRESH .* ok/);
    expect(result.stdout).toContain('environment prod of acme/api');
    expect(result.stdout).toMatch(/DB .*OLD/);
    expect(result.stdout).toMatch(/NPM .* ok/);
    expect(result.stdout).toContain('3 secret(s) older than their limit');
  });

  it('passes when nothing is old (exit 0) and reports JSON', async () => {
    github.addSecret('repo:acme/api', 'FRESH', { updatedAt: daysAgo(1) });
    const result = await gitwarden(['secrets', 'age', '--json']);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report.complete).toBe(true);
    expect(report.oldCount).toBe(0);
    expect(report.scopes[0].secrets[0]).toMatchObject({
      name: 'FRESH',
      ageDays: 1,
      maxAgeDays: 90,
      old: false,
    });
  });

  it('says the check is incomplete when the token lacks a permission (exit 3)', async () => {
    github.server.fail({
      path: '/repos/{owner}/{repo}/actions/secrets',
      times: 10,
      reply: githubErrors.forbidden('secrets=read'),
    });
    const result = await gitwarden(['secrets', 'age']);
    expect(result.code).toBe(3);
    expect(result.stdout).toContain(
      'NOT READ: the token may not read it; missing permission: secrets=read',
    );
    expect(result.stdout).toContain('the check is incomplete');
  });

  it('reports an organization list the token cannot see', async () => {
    github.server.fail({
      path: '/orgs/{org}/actions/secrets',
      reply: githubErrors.forbidden('organization_secrets=read'),
    });
    const result = await gitwarden(['secrets', 'age', '--org', 'acme']);
    expect(result.code).toBe(3);
    expect(result.stdout).toContain(
      'missing permission: organization_secrets=read',
    );
  });

  it('reports an environment list the token cannot read', async () => {
    github.addSecret('repo:acme/api', 'FRESH', { updatedAt: daysAgo(1) });
    github.server.fail({
      path: '/repos/{owner}/{repo}/environments',
      reply: githubErrors.forbidden('actions=read'),
    });
    const result = await gitwarden(['secrets', 'age']);
    expect(result.code).toBe(3);
    expect(result.stdout).toContain('environments of acme/api');
    expect(result.stdout).toContain('missing permission: actions=read');
  });

  it('needs a token, and says which permission to give it (exit 2)', async () => {
    const result = await gitwarden(['secrets', 'age'], { GITHUB_TOKEN: '' });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('needs a GitHub token');
    expect(result.stderr).toContain('"Secrets" repository permission');
  });

  it('reports a wrong token (exit 2)', async () => {
    const result = await gitwarden(['secrets', 'age'], {
      GITHUB_TOKEN: 'wrong-token',
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('HTTP 401 (Bad credentials)');
  });
});

describe('gitwarden secrets rotate', () => {
  const policy = (generator: string, extra = '') =>
    `rotation:\n  secrets:\n    DEPLOY_TOKEN:\n      generator: '${generator}'\n      store: { github: repository }\n${extra}`;

  it('stores the generated value and prints no value', async () => {
    const value = secrets.make('rotated deploy token');
    repo.write('.gitwarden/policy.yml', policy('printf "%s\\n" "$NEW_VALUE"'));
    const result = await gitwarden(
      ['secrets', 'rotate', 'DEPLOY_TOKEN', '--json'],
      {
        NEW_VALUE: value,
      },
    );
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({
      type: 'secret.rotation',
      secret: 'DEPLOY_TOKEN',
      outcome: 'rotated',
      target: { type: 'github', description: 'repository acme/api' },
    });
    expect(github.storedValue('repo:acme/api', 'DEPLOY_TOKEN')).toBe(value);
  });

  it('explains a failed generator (exit 3) and prints the failed record', async () => {
    repo.write('.gitwarden/policy.yml', policy('exit 4'));
    const result = await gitwarden([
      'secrets',
      'rotate',
      'DEPLOY_TOKEN',
      '--json',
    ]);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain(
      'generator for DEPLOY_TOKEN failed: exit code 4',
    );
    expect(result.stderr).toContain('still holds its old value');
    expect(JSON.parse(result.stdout)).toMatchObject({
      outcome: 'failed',
      failedAt: 'generate',
    });
  });

  it('refuses a secret the policy does not name (exit 2)', async () => {
    repo.write('.gitwarden/policy.yml', policy('true'));
    const result = await gitwarden(['secrets', 'rotate', 'OTHER']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('the policy names no rotation for OTHER');
    expect(result.stderr).toContain('rotation.secrets names: DEPLOY_TOKEN');
  });

  it('refuses a policy naming an unknown provider (exit 2)', async () => {
    repo.write(
      '.gitwarden/policy.yml',
      "rotation:\n  secrets:\n    X:\n      generator: 'true'\n      store: { provider: hashivault }\n",
    );
    const result = await gitwarden(['secrets', 'rotate', 'X']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /policy\.yml:5:\d+: rotation\.secrets\.X\.store\.provider: unknown provider "hashivault"/,
    );
  });
});

describe('gitwarden secrets rotate --due', () => {
  it('rotates what is old or missing, keeps going after a failure', async () => {
    const vault = await startFakeVault();
    try {
      vault.putKv('secret', 'apps/db', { value: 'current' });
      github.addSecret('repo:acme/api', 'OLD', { updatedAt: daysAgo(200) });
      github.addSecret('repo:acme/api', 'FRESH', { updatedAt: daysAgo(1) });
      github.addSecret('repo:acme/api', 'BROKEN', { updatedAt: daysAgo(400) });
      const entry = (name: string, generator: string, store: string) =>
        `    ${name}:\n      generator: '${generator}'\n      store: ${store}`;
      const print = 'printf "%s\\n" "$NEW_VALUE"';
      const inRepo = '{ github: repository }';
      const policy = [
        'providers:',
        '  sources:',
        '    vault-main:',
        '      type: vault',
        `      address: ${vault.url}`,
        'rotation:',
        '  secrets:',
        entry('OLD', print, inRepo),
        entry('FRESH', print, inRepo),
        entry('MISSING', print, inRepo),
        entry('BROKEN', 'exit 1', inRepo),
        entry('DB', print, '{ provider: vault-main, key: apps/db }'),
      ].join('\n');
      repo.write('.gitwarden/policy.yml', policy);
      const value = secrets.make('due value');

      const result = await gitwarden(['secrets', 'rotate', '--due'], {
        NEW_VALUE: value,
        VAULT_TOKEN: vault.token,
      });
      expect(result.code).toBe(3);
      expect(result.stdout).toContain(
        'OLD: due, last updated 200 days ago, limit 90',
      );
      expect(result.stdout).toContain('rotated OLD in repository acme/api');
      expect(result.stdout).toMatch(/FRESH: fresh \(1 of 90 days\)/);
      expect(result.stdout).toContain(
        'MISSING: due, not in repository acme/api yet',
      );
      expect(result.stdout).toMatch(/DB: fresh \(0 of 90 days\)/);
      expect(result.stderr).toContain('BROKEN: generator for BROKEN failed');
      expect(github.storedValue('repo:acme/api', 'OLD')).toBe(value);
      expect(github.storedValue('repo:acme/api', 'MISSING')).toBe(value);
      expect(github.storedValue('repo:acme/api', 'FRESH')).toBeUndefined();
      expect(vault.kv('secret', 'apps/db')).toEqual({ value: 'current' });
    } finally {
      await vault.close();
    }
  });

  it('wants a name or --due', async () => {
    const result = await gitwarden(['secrets', 'rotate']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('needs a secret name or --due');
  });
});
