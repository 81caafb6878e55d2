import { readFileSync } from 'node:fs';

import { afterAll, afterEach, describe, expect, it } from 'vitest';

import { parseSlashCommand } from '../src/github/command.ts';
import { addCommentRoutes } from './helpers/fake-github-comments.ts';
import {
  githubErrors,
  startFakeGitHub,
  type FakeGitHub,
} from './helpers/fake-github.ts';
import { issueCommentPayload, pushPayload } from './helpers/payloads.ts';
import { cleanupTempDirs, makeRepo } from './helpers/repo.ts';
import { runAction } from './helpers/run-action.ts';

afterAll(cleanupTempDirs);
const fakes: FakeGitHub[] = [];
afterEach(async () => {
  for (const fake of fakes.splice(0)) await fake.close();
});

const POLICY = `version: 1
identities:
  olive: { github: olive, roles: [owner] }
  ada: { github: ada-admin, roles: [admin] }
  dev: { github: dev-person, roles: [developer] }
commands:
  deploy: { roles: [admin], description: production deploys }
`;

/** The default branch checked out, as an issue_comment run has it. */
function defaultBranch(policy = POLICY) {
  const repo = makeRepo();
  repo.write('.gitwarden/policy.yml', policy);
  const sha = repo.commit('policy\n\nAgent: human\nTask: GW-1\n');
  return { repo, sha };
}

async function setup(policy?: string) {
  const fake = await startFakeGitHub();
  fakes.push(fake);
  const api = addCommentRoutes(fake);
  const { repo, sha } = defaultBranch(policy);
  const run = (
    payload: unknown,
    extra: { token?: string; commands?: string; event?: string } = {},
  ) =>
    runAction('command', {
      event: extra.event ?? 'issue_comment',
      payload,
      workspace: repo.dir,
      sha,
      ref: 'refs/heads/main',
      apiUrl: fake.url,
      inputs: {
        token: extra.token ?? fake.token,
        ...(extra.commands === undefined ? {} : { commands: extra.commands }),
      },
    });
  return { fake, api, run };
}

describe('the bundled command action', () => {
  it('lets an admin run /deploy: 👍, outputs, a decision for the ledger', async () => {
    const { api, run } = await setup();
    const result = await run(
      issueCommentPayload({
        body: '/deploy staging --fast\nthanks',
        commenter: 'ada-admin',
      }),
    );
    expect(result.code).toBe(0);
    expect(result.outputs).toMatchObject({
      verdict: 'allowed',
      allowed: 'true',
      command: 'deploy',
      args: 'staging --fast',
      actor: 'ada-admin',
      'pull-request': '7',
    });
    expect(api.reactions).toEqual([{ commentId: 11, content: '+1' }]);
    expect(api.comments).toEqual([]);
    const decision = JSON.parse(
      readFileSync(result.outputs['decision-path']!, 'utf8'),
    );
    expect(decision).toMatchObject({
      type: 'gitwarden.command',
      verdict: 'allowed',
      identity: { name: 'ada', roles: ['admin'] },
      pullRequest: 7,
      comment: { id: 11 },
    });
  });

  it('refuses a developer: 👎, a reply naming whom to ask, a failed step', async () => {
    const { api, run } = await setup();
    const result = await run(
      issueCommentPayload({ body: '/deploy', commenter: 'dev-person' }),
    );
    expect(result.code).toBe(1);
    expect(result.outputs).toMatchObject({
      verdict: 'denied',
      allowed: 'false',
    });
    expect(api.reactions).toEqual([{ commentId: 11, content: '-1' }]);
    expect(api.comments).toHaveLength(1);
    expect(api.comments[0]!.body).toMatch(
      /^@dev-person `\/deploy` was not run: dev: /,
    );
    expect(api.comments[0]!.body).toMatch(
      /Ask someone with the role admin or owner\./,
    );
    expect(
      result.annotations.find((a) => a.command === 'error')?.message,
    ).toMatch(/\/deploy refused for dev-person/);
  });

  it('an unknown commenter and an unlisted command are refused', async () => {
    const { run } = await setup();
    const stranger = await run(
      issueCommentPayload({ body: '/deploy', commenter: 'drive-by' }),
    );
    expect(stranger.code).toBe(1);
    expect(stranger.outputs.verdict).toBe('denied');
    const unlisted = await run(
      issueCommentPayload({ body: '/drop-tables', commenter: 'dev-person' }),
    );
    expect(unlisted.code).toBe(1);
    expect(unlisted.outputs.command).toBe('drop-tables');
  });

  it('runs nothing when the policy names no identities', async () => {
    const { run } = await setup('version: 1\n');
    const result = await run(
      issueCommentPayload({ body: '/deploy', commenter: 'olive' }),
    );
    expect(result.code).toBe(1);
    expect(result.outputs).toMatchObject({
      verdict: 'not-configured',
      allowed: 'false',
    });
  });

  it('ignores what is not a new slash command on a pull request, allowing nothing', async () => {
    const { api, run } = await setup();
    const cases = [
      [
        issueCommentPayload({ body: 'looks good /deploy', commenter: 'olive' }),
        /not a slash command/,
      ],
      [
        issueCommentPayload({
          body: '/deploy',
          commenter: 'olive',
          action: 'edited',
        }),
        /edited, not created/,
      ],
      [
        issueCommentPayload({
          body: '/deploy',
          commenter: 'olive',
          onPullRequest: false,
        }),
        /on an issue, not a pull request/,
      ],
    ] as const;
    for (const [payload, why] of cases) {
      const result = await run(payload);
      expect(result.code).toBe(0);
      expect(result.outputs).toMatchObject({
        verdict: 'ignored',
        allowed: 'false',
      });
      expect(result.stdout).toMatch(why);
    }
    const other = await run(
      issueCommentPayload({ body: '/release', commenter: 'olive' }),
      { commands: 'deploy, /rollback' },
    );
    expect(other.outputs.verdict).toBe('ignored');
    expect(other.stdout).toMatch(
      /not one of this step's commands \(deploy, rollback\)/,
    );
    const push = await run(
      pushPayload({
        ref: 'refs/heads/main',
        before: 'a'.repeat(40),
        after: 'b'.repeat(40),
      }),
      { event: 'push' },
    );
    expect(push.code).toBe(0);
    expect(push.annotations[0]?.message).toMatch(/runs on issue_comment/);
    expect(api.reactions).toEqual([]);
  });

  it('bad input: an empty token, a refused token, a flaky then healthy API', async () => {
    const { fake, api, run } = await setup();
    const empty = await run(
      issueCommentPayload({ body: '/deploy', commenter: 'ada-admin' }),
      { token: '' },
    );
    expect(empty.code).toBe(2);
    expect(empty.annotations[0]?.message).toMatch(/input token is empty/);

    const refused = await run(
      issueCommentPayload({ body: '/deploy', commenter: 'dev-person' }),
      { token: 'wrong-token' },
    );
    expect(refused.code).toBe(1);
    // Masked (the runner hides it from the log), and printed nowhere else.
    expect(
      refused.commands.find((c) => c.command === 'add-mask')?.message,
    ).toBe('wrong-token');
    const logged = refused.stdout
      .split('\n')
      .filter((line) => !line.startsWith('::add-mask::'));
    expect(logged.join('\n')).not.toContain('wrong-token');
    expect(refused.annotations.map((a) => a.message).join('\n')).toMatch(
      /HTTP 401.*the refusal itself stands/,
    );

    const allowedNoReply = await run(
      issueCommentPayload({ body: '/deploy', commenter: 'ada-admin' }),
      { token: 'wrong-token' },
    );
    expect(allowedNoReply.code).toBe(0);
    expect(
      allowedNoReply.annotations.find((a) => a.command === 'warning')?.message,
    ).toMatch(/allowed, but GitHub: cannot react/);

    fake.server.fail({ method: 'POST', reply: githubErrors.serverError(502) });
    fake.server.fail({ method: 'POST', reply: githubErrors.rateLimited(1) });
    const flaky = await run(
      issueCommentPayload({ body: '/deploy', commenter: 'ada-admin' }),
    );
    expect(flaky.code).toBe(0);
    expect(api.reactions.at(-1)).toEqual({ commentId: 11, content: '+1' });
  });

  it('reads only the first line, with a slash at its start', () => {
    expect(parseSlashCommand('/deploy prod\n/other')).toEqual({
      word: 'deploy',
      args: 'prod',
    });
    expect(parseSlashCommand('\uFEFF  /git:cp  a b ')).toEqual({
      word: 'git:cp',
      args: 'a b',
    });
    expect(parseSlashCommand('please /deploy')).toBeUndefined();
    expect(parseSlashCommand('/')).toBeUndefined();
    expect(parseSlashCommand('/-rf')).toBeUndefined();
  });
});
