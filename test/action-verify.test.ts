import { readFileSync } from 'node:fs';

import { afterAll, describe, expect, it } from 'vitest';

import { makeGithubRepo } from './helpers/github-repo.ts';
import {
  issueCommentPayload,
  pullRequestPayload,
  pushPayload,
} from './helpers/payloads.ts';
import { cleanupTempDirs } from './helpers/repo.ts';
import { runAction } from './helpers/run-action.ts';

afterAll(cleanupTempDirs);

function project() {
  const gh = makeGithubRepo();
  gh.dev.write('README.md', 'hello\n');
  gh.dev.commit('start\n\nAgent: claude\nTask: GW-1\n');
  gh.push('main');
  return gh;
}

describe('the bundled verify action, run as the runner runs it', () => {
  it('an event it does not judge: a notice, success, nothing judged', async () => {
    const gh = project();
    const run = await runAction('verify', {
      event: 'issue_comment',
      payload: issueCommentPayload({ body: 'looks good', commenter: 'x' }),
      workspace: gh.dev.dir,
    });
    expect(run.code).toBe(0);
    expect(run.outputs.verdict).toBe('nothing');
    expect(run.outputs.commits).toBe('0');
    const notice = run.annotations.find((a) => a.command === 'notice');
    expect(notice?.message).toMatch(
      /issue_comment event is not one gitwarden judges/,
    );
    expect(run.summary).toMatch(/nothing to judge/);
    const result = JSON.parse(
      readFileSync(run.outputs['result-path']!, 'utf8'),
    );
    expect(result).toMatchObject({
      verdict: 'nothing',
      event: 'issue_comment',
    });
  });

  it('outside a runner (no GITHUB_EVENT_PATH) it fails as a usage error', async () => {
    const gh = project();
    const run = await runAction('verify', {
      event: 'push',
      payload: {},
      workspace: gh.dev.dir,
      env: { GITHUB_EVENT_PATH: undefined },
    });
    expect(run.code).toBe(2);
    expect(run.annotations[0]).toMatchObject({
      command: 'error',
      message: expect.stringMatching(/GITHUB_EVENT_PATH is not set/),
    });
  });

  it('a payload that is not JSON, or lacks a field, fails naming it', async () => {
    const gh = project();
    const notJson = await runAction('verify', {
      event: 'push',
      payload: undefined,
      rawPayload: '{"ref": ',
      workspace: gh.dev.dir,
    });
    expect(notJson.code).toBe(2);
    expect(notJson.annotations[0]?.message).toMatch(/is not JSON/);

    const pr = pullRequestPayload({
      base: 'a'.repeat(40),
      head: 'b'.repeat(40),
    });
    (pr.pull_request.head as { sha?: string }).sha = undefined;
    const noHead = await runAction('verify', {
      event: 'pull_request',
      payload: pr,
      workspace: gh.dev.dir,
    });
    expect(noHead.code).toBe(2);
    expect(noHead.annotations[0]?.message).toMatch(/pull_request\.head\.sha/);
    expect(noHead.outputs.verdict).toBeUndefined();
  });

  it('a bad input value is named', async () => {
    const gh = project();
    const head = gh.dev.git(['rev-parse', 'HEAD']);
    const run = await runAction('verify', {
      event: 'push',
      payload: pushPayload({
        ref: 'refs/heads/main',
        before: head,
        after: head,
      }),
      workspace: gh.dev.dir,
      inputs: { fetch: 'maybe' },
    });
    expect(run.code).toBe(2);
    expect(run.annotations[0]?.message).toMatch(
      /input fetch must be true or false/,
    );
  });

  it('a head commit not in the clone fails with the fix, exit 3', async () => {
    const gh = project();
    const head = gh.dev.git(['rev-parse', 'HEAD']);
    const clone = gh.checkout({ sha: head, ref: 'refs/heads/main' });
    const missing = 'f'.repeat(40);
    const run = await runAction('verify', {
      event: 'push',
      payload: pushPayload({
        ref: 'refs/heads/main',
        before: head,
        after: missing,
      }),
      workspace: clone,
      sha: missing,
      inputs: { fetch: 'false' },
    });
    expect(run.code).toBe(3);
    expect(run.annotations[0]?.message).toMatch(
      /ffffffffffff.*not in this clone/,
    );
    expect(run.annotations[0]?.message).toMatch(/fetch-depth: 0/);
  });
});
