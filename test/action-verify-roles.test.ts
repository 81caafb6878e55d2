import { readFileSync } from 'node:fs';

import { afterAll, describe, expect, it } from 'vitest';

import { makeGithubRepo } from './helpers/github-repo.ts';
import { pullRequestPayload, pushPayload } from './helpers/payloads.ts';
import { cleanupTempDirs } from './helpers/repo.ts';
import { runAction } from './helpers/run-action.ts';

afterAll(cleanupTempDirs);

const POLICY = `version: 1
identities:
  olive:
    github: olive
    emails: [author@example.com]
    agents: [claude]
    roles: [owner]
  dev: { github: dev-person, roles: [developer] }
  bot: { github: claude-bot, roles: [agent] }
`;
const ok = (subject: string) => `${subject}\n\nAgent: claude\nTask: GW-1\n`;

function project() {
  const gh = makeGithubRepo();
  gh.dev.write('.gitwarden/policy.yml', POLICY);
  gh.dev.write('src/app.txt', 'v1\n');
  gh.dev.commit(ok('start'));
  gh.push('main');
  return gh;
}

describe('the verify action judges roles for the identity GitHub names', () => {
  it('refuses an agent pushing to main, as the pusher GitHub authenticated', async () => {
    const gh = project();
    const before = gh.dev.git(['rev-parse', 'HEAD']);
    gh.dev.write('src/app.txt', 'v2\n');
    const after = gh.dev.commit(ok('agent edits main'));
    gh.push('main');
    const clone = gh.checkout({ sha: after, ref: 'refs/heads/main' });

    const run = await runAction('verify', {
      event: 'push',
      payload: pushPayload({
        ref: 'refs/heads/main',
        before,
        after,
        pusher: 'claude-bot',
      }),
      workspace: clone,
      sha: after,
    });
    expect(run.code).toBe(1);
    const refusals = run.annotations.filter((a) =>
      a.properties.title?.startsWith('gitwarden roles'),
    );
    expect(refusals.map((a) => a.properties.title)).toContain(
      'gitwarden roles: role-push',
    );
    expect(
      refusals.find((a) => a.properties.file === 'src/app.txt'),
    ).toBeDefined();
    const result = JSON.parse(
      readFileSync(run.outputs['result-path']!, 'utf8'),
    );
    expect(result.decisions[0]).toMatchObject({
      type: 'gitwarden.access',
      point: 'ci',
      verdict: 'refused',
      identity: { name: 'bot', claimed: 'claude-bot', roles: ['agent'] },
    });
  });

  it('lets the same agent push its own agent/ branch', async () => {
    const gh = project();
    gh.dev.git(['checkout', '-q', '-b', 'agent/fix']);
    gh.dev.write('src/app.txt', 'v2\n');
    const after = gh.dev.commit(ok('agent work'));
    gh.push('agent/fix');
    const clone = gh.checkout({ sha: after, ref: 'refs/heads/agent/fix' });
    const run = await runAction('verify', {
      event: 'push',
      payload: pushPayload({
        ref: 'refs/heads/agent/fix',
        before: '0'.repeat(40),
        after,
        pusher: 'claude-bot',
      }),
      workspace: clone,
      sha: after,
    });
    expect(run.code).toBe(0);
    expect(run.outputs.verdict).toBe('pass');
    expect(run.summary).toMatch(
      /create of refs\/heads\/agent\/fix by bot: allowed/,
    );
  });

  it('refuses a pull request whose author changes a protected path', async () => {
    const gh = project();
    const base = gh.dev.git(['rev-parse', 'HEAD']);
    gh.dev.git(['checkout', '-q', '-b', 'tweak-ci']);
    gh.dev.write('.github/workflows/ci.yml', 'name: ci\n');
    const head = gh.dev.commit(ok('loosen ci'));
    const merge = gh.openPullRequest(3, head, base);
    const clone = gh.checkout({ sha: merge, ref: 'refs/pull/3/merge' });
    const run = await runAction('verify', {
      event: 'pull_request',
      payload: pullRequestPayload({
        number: 3,
        base,
        head,
        merge,
        headRef: 'tweak-ci',
        author: 'dev-person',
      }),
      workspace: clone,
      sha: merge,
    });
    expect(run.code).toBe(1);
    const refusal = run.annotations.find(
      (a) => a.properties.file === '.github/workflows/ci.yml',
    );
    expect(refusal?.message).toMatch(/dev \(developer\)/);
  });

  it('says role checks are not configured when the policy names no one', async () => {
    const gh = makeGithubRepo();
    gh.dev.write('README.md', 'x\n');
    const before = gh.dev.commit(ok('start'));
    gh.push('main');
    const after = gh.dev.commit(ok('more'));
    gh.push('main');
    const clone = gh.checkout({ sha: after, ref: 'refs/heads/main' });
    const run = await runAction('verify', {
      event: 'push',
      payload: pushPayload({ ref: 'refs/heads/main', before, after }),
      workspace: clone,
      sha: after,
    });
    expect(run.code).toBe(0);
    expect(run.summary).toMatch(/roles: not configured/);
  });
});
