import { afterAll, describe, expect, it } from 'vitest';

import type { Check, CheckContext } from '../src/github/checks/types.ts';
import { parseEvent, type JudgedSubject } from '../src/github/event.ts';
import { verify } from '../src/github/verify.ts';
import { makeGithubRepo } from './helpers/github-repo.ts';
import {
  mergeGroupPayload,
  pullRequestPayload,
  pushPayload,
  ZERO,
} from './helpers/payloads.ts';
import { cleanupTempDirs } from './helpers/repo.ts';

afterAll(cleanupTempDirs);

/**
 * A check that remembers what it was shown and refuses commits whose
 * subject says "bad"; the real checks have their own tests.
 */
function recorder() {
  const seen: { subjects: string[]; policyKey?: string } = { subjects: [] };
  const check: Check = {
    name: 'record',
    async run(context: CheckContext) {
      seen.subjects = context.commits.map((c) => c.subject);
      seen.policyKey = context.policy.trailers.required[0]?.key;
      return {
        check: 'record',
        status: 'ran',
        notes: [],
        findings: context.commits
          .filter((c) => c.subject.includes('bad'))
          .map((c) => ({
            check: 'record',
            rule: 'bad-subject',
            severity: 'error' as const,
            message: `bad subject: ${c.subject}`,
            commit: c.sha,
          })),
      };
    },
  };
  return { seen, check };
}

function policy(key: string) {
  return `version: 1\ntrailers:\n  required:\n    - key: ${key}\n`;
}

/** main: policy "Base" + two commits, pushed to origin. */
function project() {
  const gh = makeGithubRepo();
  gh.dev.write('.gitwarden/policy.yml', policy('Base'));
  gh.dev.commit('policy');
  gh.dev.write('a.txt', 'a');
  gh.dev.commit('a');
  gh.push('main');
  return gh;
}

const judged = (event: string, payload: unknown, sha?: string) =>
  parseEvent(event, payload, { sha }) as JudgedSubject;

async function run(
  repo: string,
  subject: JudgedSubject,
  options: { fetch?: boolean } = {},
) {
  const { seen, check } = recorder();
  const log: string[] = [];
  const result = await verify({
    repo,
    subject,
    checks: [check],
    fetch: options.fetch ?? true,
    log: (line) => log.push(line),
  });
  return { result, seen, log };
}

describe('verify in a workflow clone', () => {
  it('judges exactly the pushed commits from a depth-1 checkout', async () => {
    const gh = project();
    const before = gh.dev.git(['rev-parse', 'HEAD']);
    gh.dev.commit('one');
    gh.dev.commit('bad two');
    const after = gh.dev.git(['rev-parse', 'HEAD']);
    gh.push('main');
    const clone = gh.checkout({ sha: after, ref: 'refs/heads/main' });

    const { result, seen, log } = await run(
      clone,
      judged('push', pushPayload({ ref: 'refs/heads/main', before, after })),
    );
    expect(seen.subjects).toEqual(['bad two', 'one']);
    expect(seen.policyKey).toBe('Base');
    expect(result.verdict).toBe('refused');
    expect(result.counts).toMatchObject({ commits: 2, refused: 1, errors: 1 });
    expect(result.commits.map((c) => c.verdict)).toEqual(['refused', 'pass']);
    expect(log.join('\n')).toMatch(/fetching|deepening/);
  });

  it('judges every commit of a push longer than the payload lists', async () => {
    const gh = project();
    const before = gh.dev.git(['rev-parse', 'HEAD']);
    for (let i = 0; i < 30; i++) gh.dev.commit(`c${i}`);
    const after = gh.dev.git(['rev-parse', 'HEAD']);
    gh.push('main');
    const clone = gh.checkout({ sha: after, ref: 'refs/heads/main' });
    const payload = pushPayload({
      ref: 'refs/heads/main',
      before,
      after,
      listed: [after], // GitHub's list is capped; git is not
    });
    const { seen, result } = await run(clone, judged('push', payload));
    expect(seen.subjects).toHaveLength(30);
    expect(result.verdict).toBe('pass');
  });

  it('a new branch brings only what main lacks, under main policy', async () => {
    const gh = project();
    gh.dev.git(['checkout', '-q', '-b', 'topic']);
    gh.dev.write('.gitwarden/policy.yml', policy('Head'));
    gh.dev.commit('topic one');
    const after = gh.dev.git(['rev-parse', 'HEAD']);
    gh.push('topic');
    const clone = gh.checkout({ sha: after, ref: 'refs/heads/topic' });

    const { seen, result } = await run(
      clone,
      judged(
        'push',
        pushPayload({ ref: 'refs/heads/topic', before: ZERO, after }),
      ),
    );
    expect(seen.subjects).toEqual(['topic one']);
    expect(seen.policyKey).toBe('Base');
    expect(result.policy).toMatch(/policy\.yml at/);
  });

  it('a forced push judges what the old tip lacked, fetched by sha', async () => {
    const gh = project();
    const base = gh.dev.git(['rev-parse', 'HEAD']);
    gh.dev.commit('old work');
    const before = gh.dev.git(['rev-parse', 'HEAD']);
    gh.push('main');
    gh.dev.git(['reset', '-q', '--hard', base]);
    gh.dev.commit('rewritten');
    const after = gh.dev.git(['rev-parse', 'HEAD']);
    gh.push('+main');
    const clone = gh.checkout({ sha: after, ref: 'refs/heads/main' });

    const payload = pushPayload({
      ref: 'refs/heads/main',
      before,
      after,
      forced: true,
    });
    const { seen } = await run(clone, judged('push', payload));
    expect(seen.subjects).toEqual(['rewritten']);
  });

  it('a forced push whose old tip is gone judges what no branch has', async () => {
    const gh = project();
    gh.dev.git(['checkout', '-q', '-b', 'topic']);
    gh.dev.commit('topic work');
    const after = gh.dev.git(['rev-parse', 'HEAD']);
    gh.push('topic');
    const clone = gh.checkout({ sha: after, ref: 'refs/heads/topic' });
    const gone = 'd'.repeat(40); // no server has it any more

    const payload = pushPayload({
      ref: 'refs/heads/topic',
      before: gone,
      after,
      forced: true,
    });
    const { seen, log } = await run(clone, judged('push', payload));
    expect(seen.subjects).toEqual(['topic work']);
    expect(log.join('\n')).toMatch(/gone from origin/);
  });

  it('a pull request judges the head commits, not the merge, under base policy', async () => {
    const gh = project();
    const base = gh.dev.git(['rev-parse', 'main']);
    gh.dev.git(['checkout', '-q', '-b', 'feature']);
    gh.dev.write('.gitwarden/policy.yml', policy('Head'));
    gh.dev.commit('feature one');
    gh.dev.commit('feature two');
    const head = gh.dev.git(['rev-parse', 'HEAD']);
    gh.dev.git(['checkout', '-q', 'main']);
    gh.dev.commit('main moves on');
    gh.push('main');
    const baseNow = gh.dev.git(['rev-parse', 'main']);
    const merge = gh.openPullRequest(7, head, baseNow);
    const clone = gh.checkout({ sha: merge, ref: 'refs/pull/7/merge' });

    const payload = pullRequestPayload({
      base: baseNow,
      head,
      merge,
      headRepo: 'fork/octo-repo',
    });
    const { seen, result } = await run(clone, judged('pull_request', payload));
    expect(seen.subjects).toEqual(['feature two', 'feature one']);
    expect(seen.policyKey).toBe('Base');
    expect(result.head).toBe(head);
    expect(base).not.toBe(baseNow);
  });

  it('a merge group judges the group commit over its base', async () => {
    const gh = project();
    const base = gh.dev.git(['rev-parse', 'main']);
    gh.dev.git(['checkout', '-q', '-b', 'gh-readonly-queue/main/pr-7']);
    gh.dev.commit('queued change');
    const head = gh.dev.git(['rev-parse', 'HEAD']);
    gh.push('gh-readonly-queue/main/pr-7');
    const clone = gh.checkout({
      sha: head,
      ref: 'refs/heads/gh-readonly-queue/main/pr-7',
    });
    const { seen } = await run(
      clone,
      judged('merge_group', mergeGroupPayload({ base, head })),
    );
    expect(seen.subjects).toEqual(['queued change']);
  });

  it('a new annotated tag brings only commits no branch has', async () => {
    const gh = project();
    gh.dev.git(['checkout', '-q', '--detach']);
    gh.dev.commit('release prep');
    gh.dev.git(['tag', '-a', '-m', 'v1', 'v1.0.0']);
    const tag = gh.dev.git(['rev-parse', 'v1.0.0']);
    gh.push('refs/tags/v1.0.0');
    const clone = gh.checkout({ sha: tag, ref: 'refs/tags/v1.0.0' });
    const { seen } = await run(
      clone,
      judged(
        'push',
        pushPayload({ ref: 'refs/tags/v1.0.0', before: ZERO, after: tag }),
      ),
    );
    expect(seen.subjects).toEqual(['release prep']);
    expect(seen.policyKey).toBe('Base');
  });

  it('with fetching off, a shallow clone fails with the exact fix', async () => {
    const gh = project();
    const before = gh.dev.git(['rev-parse', 'HEAD']);
    gh.dev.commit('one');
    const after = gh.dev.git(['rev-parse', 'HEAD']);
    gh.push('main');
    const clone = gh.checkout({ sha: after, ref: 'refs/heads/main' });
    const subject = judged(
      'push',
      pushPayload({ ref: 'refs/heads/main', before, after }),
    );
    await expect(run(clone, subject, { fetch: false })).rejects.toMatchObject({
      code: 'HISTORY_INCOMPLETE',
      hint: expect.stringMatching(/fetch-depth: 0/),
    });
  });

  it('a head commit that is nowhere fails, never passes', async () => {
    const gh = project();
    const before = gh.dev.git(['rev-parse', 'HEAD']);
    const clone = gh.checkout({
      sha: before,
      ref: 'refs/heads/main',
      depth: 0,
    });
    const missing = 'e'.repeat(40);
    const subject = judged(
      'push',
      pushPayload({ ref: 'refs/heads/main', before, after: missing }),
    );
    await expect(run(clone, subject)).rejects.toMatchObject({
      code: 'HISTORY_INCOMPLETE',
      message: expect.stringMatching(/eeeeeeeeeeee.*could not be fetched/),
    });
  });

  it('a check that throws makes the run incomplete, never a pass', async () => {
    const gh = project();
    const before = gh.dev.git(['rev-parse', 'HEAD~1']);
    const after = gh.dev.git(['rev-parse', 'HEAD']);
    const clone = gh.checkout({ sha: after, ref: 'refs/heads/main', depth: 0 });
    const result = await verify({
      repo: clone,
      subject: judged(
        'push',
        pushPayload({ ref: 'refs/heads/main', before, after }),
      ),
      fetch: true,
      checks: [
        {
          name: 'broken',
          run: () => Promise.reject(new Error('rule exploded')),
        },
      ],
    });
    expect(result.verdict).toBe('incomplete');
    expect(result.findings[0]).toMatchObject({
      rule: 'check-failed',
      message: expect.stringMatching(/rule exploded/),
    });
  });

  it('says when there is nothing to judge instead of passing silently', async () => {
    const gh = project();
    const head = gh.dev.git(['rev-parse', 'HEAD']);
    const clone = gh.checkout({ sha: head, ref: 'refs/heads/main', depth: 0 });
    const { result } = await run(
      clone,
      judged(
        'push',
        pushPayload({ ref: 'refs/heads/main', before: head, after: head }),
      ),
    );
    expect(result.verdict).toBe('nothing');
    expect(result.notes[0]).toMatch(/nothing judged/);

    const before = gh.dev.git(['rev-parse', 'HEAD~1']);
    const noChecks = await verify({
      repo: clone,
      subject: judged(
        'push',
        pushPayload({ ref: 'refs/heads/main', before, after: head }),
      ),
      fetch: false,
      checks: [],
    });
    expect(noChecks.verdict).toBe('nothing');
    expect(noChecks.notes[0]).toMatch(/every check is off/);
  });
});
