import { afterAll, afterEach, describe, expect, it } from 'vitest';

import { createGitHubClient } from '../src/github/client.ts';
import {
  LEDGER_RULESET,
  protect,
  VERIFY_RULESET,
  type ProtectionPlan,
} from '../src/github/protect/index.ts';
import {
  githubErrors,
  startFakeGitHub,
  type FakeGitHub,
} from './helpers/fake-github.ts';
import { addRulesetRoutes } from './helpers/fake-github-rulesets.ts';
import { cleanupTempDirs, makeRepo } from './helpers/repo.ts';
import { runCliAsync } from './helpers/run-cli-async.ts';

afterAll(cleanupTempDirs);

const fakes: FakeGitHub[] = [];
afterEach(async () => {
  for (const fake of fakes.splice(0)) await fake.close();
});

async function github(
  options: { pathPrefix?: string; apps?: Record<string, number> } = {},
) {
  const fake = await startFakeGitHub({ pathPrefix: options.pathPrefix });
  fakes.push(fake);
  const rulesets = addRulesetRoutes(fake, {
    owner: 'octo-org',
    repo: 'octo-repo',
    apps: options.apps,
  });
  return { fake, rulesets };
}

function policyRepo(policy = 'version: 1\n') {
  const repo = makeRepo();
  repo.write('.gitwarden/policy.yml', policy);
  repo.commit('policy');
  return repo;
}

const cli = (fake: FakeGitHub, dir: string, ...args: string[]) =>
  runCliAsync(['protect', '--dir', dir, ...args], {
    env: {
      GITHUB_TOKEN: fake.token,
      GITHUB_API_URL: fake.url,
      GITHUB_REPOSITORY: 'octo-org/octo-repo',
    },
  });

describe('gitwarden protect', () => {
  it('creates the rulesets the policy asks for, then finds no drift', async () => {
    const { fake, rulesets } = await github();
    const repo = policyRepo(
      'version: 1\naccess:\n  deny:\n    - actions: [force-push]\n      refs: [main, release, "feature/*"]\n',
    );

    const before = await cli(fake, repo.dir, '--check');
    expect(before.code).toBe(1);
    expect(before.stdout).toMatch(/missing\s+gitwarden: verify required/);
    expect(before.stdout).toContain(
      'ruleset "gitwarden: ledger" does not exist',
    );
    expect(rulesets.rulesets.size).toBe(0);

    const applied = await cli(fake, repo.dir);
    expect(applied.code).toBe(0);
    expect(applied.stdout).toMatch(/created\s+gitwarden: verify required/);
    const byName = new Map(
      [...rulesets.rulesets.values()].map((r) => [r.name, r]),
    );
    expect(byName.get(VERIFY_RULESET)).toMatchObject({
      enforcement: 'active',
      conditions: {
        ref_name: {
          include: ['refs/heads/main', 'refs/heads/release'],
          exclude: [],
        },
      },
      rules: [
        {
          type: 'required_status_checks',
          parameters: {
            required_status_checks: [
              { context: 'gitwarden verify', integration_id: 15368 },
            ],
          },
        },
      ],
    });
    expect(byName.get(LEDGER_RULESET)).toMatchObject({
      conditions: { ref_name: { include: ['refs/heads/gitwarden/ledger'] } },
      rules: [{ type: 'deletion' }, { type: 'non_fast_forward' }],
      bypass_actors: [],
    });

    const after = await cli(fake, repo.dir, '--check', '--json');
    expect(after.code).toBe(0);
    expect(JSON.parse(after.stdout)).toMatchObject({
      inSync: true,
      rulesets: [{ status: 'in-sync' }, { status: 'in-sync' }],
    });
  });

  it('reports a check anyone could satisfy and a stranger allowed to bypass, then fixes both', async () => {
    const { fake, rulesets } = await github();
    const repo = policyRepo();
    const weak = rulesets.add({
      name: VERIFY_RULESET,
      conditions: { ref_name: { include: ['refs/heads/main'], exclude: [] } },
      rules: [
        {
          type: 'required_status_checks',
          parameters: {
            strict_required_status_checks_policy: false,
            required_status_checks: [{ context: 'gitwarden verify' }],
          },
        },
      ],
      bypass_actors: [
        { actor_id: 5, actor_type: 'RepositoryRole', bypass_mode: 'always' },
      ],
    });
    rulesets.add({
      name: LEDGER_RULESET,
      enforcement: 'evaluate',
      conditions: {
        ref_name: { include: ['refs/heads/gitwarden/ledger'], exclude: [] },
      },
      rules: [{ type: 'deletion' }],
    });

    const check = await cli(fake, repo.dir, '--check');
    expect(check.code).toBe(1);
    expect(check.stdout).toContain('from any source, not only app 15368');
    expect(check.stdout).toContain('lets RepositoryRole 5 bypass it');
    expect(check.stdout).toContain(
      '"gitwarden: ledger" is evaluate, not active',
    );
    expect(check.stdout).toContain('lacks the non_fast_forward rule');

    const fixed = await cli(fake, repo.dir);
    expect(fixed.code).toBe(0);
    expect(fixed.stdout).toMatch(/updated\s+gitwarden: verify required/);
    expect(rulesets.rulesets.get(weak.id)?.bypass_actors).toEqual([]);
    expect(rulesets.rulesets.size).toBe(2);
    expect((await cli(fake, repo.dir, '--check')).code).toBe(0);
  });

  it('limits ledger updates to a writer app when one is named', async () => {
    const { fake, rulesets } = await github();
    const repo = policyRepo();
    expect((await cli(fake, repo.dir, '--ledger-writer-app', '777')).code).toBe(
      0,
    );
    const ledger = [...rulesets.rulesets.values()].find(
      (r) => r.name === LEDGER_RULESET,
    );
    expect(ledger?.rules?.map((r) => r.type)).toEqual([
      'deletion',
      'non_fast_forward',
      'update',
    ]);
    expect(ledger?.bypass_actors).toEqual([
      { actor_id: 777, actor_type: 'Integration', bypass_mode: 'always' },
    ]);
    const bad = await cli(fake, repo.dir, '--ledger-writer-app', 'my-app');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/numeric id/);
  });

  it('works against GitHub Enterprise Server, with its own Actions app id', async () => {
    const { fake, rulesets } = await github({
      pathPrefix: '/api/v3',
      apps: { 'github-actions': 42 },
    });
    expect(fake.url).toMatch(/\/api\/v3$/);
    const repo = policyRepo();
    expect((await cli(fake, repo.dir)).code).toBe(0);
    const verify = [...rulesets.rulesets.values()].find(
      (r) => r.name === VERIFY_RULESET,
    );
    expect(JSON.stringify(verify?.rules)).toContain('"integration_id":42');
  });

  it('fails clearly without a token, with a refused token, or without permission', async () => {
    const { fake } = await github();
    const repo = policyRepo();
    const none = await runCliAsync(['protect', '--dir', repo.dir, '--check'], {
      env: {
        GITHUB_TOKEN: '',
        GH_TOKEN: '',
        GITHUB_REPOSITORY: 'octo-org/octo-repo',
      },
    });
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/needs a GitHub token/);

    const refused = await runCliAsync(
      ['protect', '--dir', repo.dir, '--check'],
      {
        env: {
          GITHUB_TOKEN: 'not-the-token',
          GITHUB_API_URL: fake.url,
          GITHUB_REPOSITORY: 'octo-org/octo-repo',
        },
      },
    );
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/HTTP 401/);
    expect(refused.stderr).not.toContain('not-the-token');

    fake.server.fail({
      method: 'POST',
      path: '/repos/{owner}/{repo}/rulesets',
      reply: githubErrors.forbidden('administration=write'),
    });
    const forbidden = await cli(fake, repo.dir);
    expect(forbidden.code).toBe(3);
    expect(forbidden.stderr).toMatch(
      /lacks the permission administration=write/,
    );
  });
});

describe('protect over an unreliable API', () => {
  const plan: ProtectionPlan = {
    protectedRefs: ['refs/heads/main'],
    ledgerBranch: 'gitwarden/ledger',
    checkName: 'gitwarden verify',
    checkAppId: 15368,
    ledgerWriterAppId: undefined,
  };

  it('waits out a rate limit and a server error, then succeeds', async () => {
    const { fake, rulesets } = await github();
    fake.server.fail({
      method: 'GET',
      path: '/repos/{owner}/{repo}/rulesets',
      reply: githubErrors.rateLimited(1),
    });
    fake.server.fail({ method: 'POST', reply: githubErrors.serverError(502) });
    const client = createGitHubClient({
      token: fake.token,
      baseUrl: fake.url,
      secondMs: 5,
    });
    const report = await protect({
      client,
      owner: 'octo-org',
      repo: 'octo-repo',
      plan,
      check: false,
    });
    expect(report.inSync).toBe(true);
    expect(rulesets.rulesets.size).toBe(2);
  });

  it('gives up on a server that keeps failing, with a clear error', async () => {
    const { fake } = await github();
    fake.server.fail({
      path: '/repos/{owner}/{repo}/rulesets',
      times: 20,
      reply: githubErrors.serverError(503),
    });
    const client = createGitHubClient({
      token: fake.token,
      baseUrl: fake.url,
      secondMs: 1,
    });
    await expect(
      protect({
        client,
        owner: 'octo-org',
        repo: 'octo-repo',
        plan,
        check: true,
      }),
    ).rejects.toMatchObject({
      code: 'REMOTE_UNREACHABLE',
      message: expect.stringMatching(
        /list the rulesets of octo-org\/octo-repo: HTTP 503/,
      ),
    });
  });
});
