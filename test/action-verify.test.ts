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

  it('refuses a push with a commit missing a trailer: annotation, summary, outputs', async () => {
    const gh = project();
    const before = gh.dev.git(['rev-parse', 'HEAD']);
    const good = gh.dev.commit('good\n\nAgent: claude\nTask: GW-2\n');
    const bad = gh.dev.commit('forgot the task\n\nAgent: claude\n');
    gh.push('main');
    const clone = gh.checkout({ sha: bad, ref: 'refs/heads/main' });

    const run = await runAction('verify', {
      event: 'push',
      payload: pushPayload({ ref: 'refs/heads/main', before, after: bad }),
      workspace: clone,
      sha: bad,
      ref: 'refs/heads/main',
    });
    expect(run.code).toBe(1);
    expect(run.outputs).toMatchObject({
      verdict: 'refused',
      commits: '2',
      refused: '1',
      errors: '1',
    });
    const error = run.annotations.find(
      (a) => a.properties.title === 'gitwarden trailers: trailer-missing',
    );
    expect(error?.message).toContain(bad.slice(0, 12));
    expect(error?.message).toMatch(/no Task trailer/);
    expect(error?.message).toMatch(/Fix: git commit --amend/);

    expect(run.summary).toMatch(/gitwarden verify: ❌ refused/);
    expect(run.summary).toContain(
      `[\`${bad.slice(0, 12)}\`](https://github.com/octo-org/octo-repo/commit/${bad})`,
    );
    expect(run.summary).toMatch(
      /forgot the task \| Test Author &lt;author@example.com&gt; \| ❌ refused \| fail/,
    );
    expect(run.summary).toContain(good.slice(0, 12));

    const result = JSON.parse(
      readFileSync(run.outputs['result-path']!, 'utf8'),
    );
    expect(result.findings).toHaveLength(1);
    expect(result.commits.map((c: { sha: string }) => c.sha)).toEqual([
      bad,
      good,
    ]);
    const sarif = JSON.parse(readFileSync(run.outputs['sarif-path']!, 'utf8'));
    expect(sarif.version).toBe('2.1.0');
    // A missing trailer has no file and line: it is not a code-scanning result.
    expect(sarif.runs[0].results).toEqual([]);
  });

  it('judges a fork pull request under the base policy, not the head policy', async () => {
    const gh = project();
    gh.dev.write(
      '.gitwarden/policy.yml',
      'version: 1\ntrailers:\n  required:\n    - key: Agent\n    - key: Task\n      pattern: "^GW-[0-9]+$"\n',
    );
    gh.dev.commit('policy\n\nAgent: claude\nTask: GW-3\n');
    gh.push('main');
    const base = gh.dev.git(['rev-parse', 'HEAD']);
    gh.dev.git(['checkout', '-q', '-b', 'fork-work']);
    // The head tries to relax the rule in the same change that needs it.
    gh.dev.write(
      '.gitwarden/policy.yml',
      'version: 1\ntrailers:\n  required:\n    - key: Agent\n',
    );
    const head = gh.dev.commit(
      'relax the rule\n\nAgent: claude\nTask: anything\n',
    );
    const merge = gh.openPullRequest(9, head, base);
    const clone = gh.checkout({ sha: merge, ref: 'refs/pull/9/merge' });

    const run = await runAction('verify', {
      event: 'pull_request',
      payload: pullRequestPayload({
        number: 9,
        base,
        head,
        merge,
        headRepo: 'someone/octo-repo',
      }),
      workspace: clone,
      sha: merge,
      ref: 'refs/pull/9/merge',
    });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/from a fork/);
    expect(run.outputs.commits).toBe('1');
    expect(run.annotations[0]?.message).toMatch(
      /Task "anything" does not match \^GW-\[0-9\]\+\$/,
    );
    expect(run.summary).toMatch(
      /Policy: \.gitwarden\/policy\.yml at [0-9a-f]{12}/,
    );
    expect(run.summary).toContain(base.slice(0, 12));
  });

  it('passes a clean pull request, and says so', async () => {
    const gh = project();
    const base = gh.dev.git(['rev-parse', 'HEAD']);
    gh.dev.git(['checkout', '-q', '-b', 'topic']);
    const head = gh.dev.commit('fine\n\nAgent: claude\nTask: GW-4\n');
    const merge = gh.openPullRequest(4, head, base);
    const clone = gh.checkout({ sha: merge, ref: 'refs/pull/4/merge' });
    const run = await runAction('verify', {
      event: 'pull_request',
      payload: pullRequestPayload({ number: 4, base, head, merge }),
      workspace: clone,
      sha: merge,
    });
    expect(run.code).toBe(0);
    expect(run.outputs).toMatchObject({
      verdict: 'pass',
      commits: '1',
      refused: '0',
    });
    expect(run.annotations.filter((a) => a.command === 'error')).toEqual([]);
    expect(run.summary).toMatch(/✅ passed/);
  });
});
