import { describe, expect, it } from 'vitest';

import { parseEvent } from '../src/github/event.ts';
import {
  dispatchPayload,
  issueCommentPayload,
  mergeGroupPayload,
  pullRequestPayload,
  pushPayload,
  ZERO,
} from './helpers/payloads.ts';

const A = 'a'.repeat(40);
const B = 'b'.repeat(40);
const C = 'c'.repeat(40);

describe('reading what an event asks to judge', () => {
  it('a push to a branch judges before..after under the old tip', () => {
    const subject = parseEvent(
      'push',
      pushPayload({
        ref: 'refs/heads/main',
        before: A,
        after: B,
        pusher: 'alice',
      }),
    );
    expect(subject).toMatchObject({
      kind: 'judge',
      spec: {
        kind: 'push',
        oldSha: A,
        newSha: B,
        ref: 'refs/heads/main',
        remote: 'origin',
      },
      actor: { login: 'alice', role: 'pusher' },
      headSha: B,
      needs: { required: [B], optional: [A], allBranches: false },
    });
  });

  it('a new branch needs every branch, and the default branch judges it', () => {
    const subject = parseEvent(
      'push',
      pushPayload({
        ref: 'refs/heads/topic',
        before: ZERO,
        after: B,
        defaultBranch: 'develop',
      }),
    );
    expect(subject).toMatchObject({
      kind: 'judge',
      policyBranch: 'origin/develop',
      needs: { required: [B], optional: [], allBranches: true },
    });
    expect(subject.kind === 'judge' && subject.description).toMatch(/new/);
  });

  it('the first push of the default branch has no older policy', () => {
    const subject = parseEvent(
      'push',
      pushPayload({ ref: 'refs/heads/main', before: ZERO, after: B }),
    );
    expect(subject).toMatchObject({ kind: 'judge', policyBranch: undefined });
  });

  it('a forced push and a tag push are judged; a deletion is said, not judged', () => {
    const forced = parseEvent(
      'push',
      pushPayload({
        ref: 'refs/heads/main',
        before: A,
        after: B,
        forced: true,
      }),
    );
    expect(forced).toMatchObject({ needs: { allBranches: true } });
    expect(forced.kind === 'judge' && forced.description).toMatch(/forced/);

    const tag = parseEvent(
      'push',
      pushPayload({ ref: 'refs/tags/v1.0.0', before: ZERO, after: C }),
    );
    expect(tag).toMatchObject({ kind: 'judge', policyBranch: 'origin/main' });

    const deleted = parseEvent(
      'push',
      pushPayload({ ref: 'refs/heads/old', before: A, after: ZERO }),
    );
    expect(deleted).toMatchObject({ kind: 'skip' });
    expect(deleted.kind === 'skip' && deleted.reason).toMatch(/deleted/);
  });

  it('does not trust the payload commit list (it is capped)', () => {
    const listed = Array.from({ length: 20 }, (_, i) =>
      i.toString(16).padStart(40, '0'),
    );
    const subject = parseEvent(
      'push',
      pushPayload({ ref: 'refs/heads/main', before: A, after: B, listed }),
    );
    // Nothing from `commits` is used: git decides what before..after holds.
    expect(JSON.stringify(subject)).not.toContain(listed[5]);
  });

  it('a pull request judges base...head.sha, never the merge commit', () => {
    const subject = parseEvent(
      'pull_request',
      pullRequestPayload({
        base: A,
        head: B,
        merge: C,
        number: 12,
        author: 'bob',
      }),
    );
    expect(subject).toMatchObject({
      kind: 'judge',
      spec: { kind: 'pull-request', base: A, head: B },
      headSha: B,
      actor: { login: 'bob', role: 'pull-request-author' },
      pullRequest: { number: 12, fromFork: false },
    });
    expect(JSON.stringify(subject)).not.toContain(C);
  });

  it('knows a pull request from a fork, or from a deleted fork', () => {
    const fork = parseEvent(
      'pull_request',
      pullRequestPayload({ base: A, head: B, headRepo: 'someone/octo-repo' }),
    );
    expect(fork).toMatchObject({ pullRequest: { fromFork: true } });
    const gone = parseEvent(
      'pull_request',
      pullRequestPayload({ base: A, head: B, headRepo: null }),
    );
    expect(gone).toMatchObject({ pullRequest: { fromFork: true } });
  });

  it('a merge group judges base_sha..head_sha', () => {
    const subject = parseEvent(
      'merge_group',
      mergeGroupPayload({ base: A, head: B }),
    );
    expect(subject).toMatchObject({
      kind: 'judge',
      spec: { kind: 'pull-request', base: A, head: B },
      headSha: B,
      actor: { role: 'sender', login: 'merge-queue-user' },
    });
  });

  it('a manual run judges a given range, or what its ref adds', () => {
    const ranged = parseEvent(
      'workflow_dispatch',
      dispatchPayload('refs/heads/x'),
      {
        range: 'main~3..main',
        sha: B,
      },
    );
    expect(ranged).toMatchObject({
      spec: { kind: 'range', range: 'main~3..main' },
    });
    const plain = parseEvent(
      'workflow_dispatch',
      dispatchPayload('refs/heads/x', 'trunk'),
      {
        sha: B,
        ref: 'refs/heads/x',
      },
    );
    expect(plain).toMatchObject({
      spec: { kind: 'pull-request', base: 'origin/trunk', head: B },
      policyBranch: 'origin/trunk',
    });
    expect(() =>
      parseEvent('workflow_dispatch', dispatchPayload('refs/heads/x'), {}),
    ).toThrow(/GITHUB_SHA/);
  });

  it('says plainly that it does not judge other events', () => {
    for (const name of ['issue_comment', 'schedule', 'release', '']) {
      const subject = parseEvent(
        name,
        issueCommentPayload({ body: 'hi', commenter: 'x' }),
      );
      expect(subject.kind).toBe('skip');
      expect(subject.kind === 'skip' && subject.reason).toMatch(
        /nothing was checked/,
      );
    }
  });

  it('names the field a broken payload lacks', () => {
    expect(() => parseEvent('push', null)).toThrow(/not a JSON object/);
    const noAfter = {
      ...pushPayload({ ref: 'refs/heads/main', before: A, after: B }),
      after: 'HEAD',
    };
    expect(() => parseEvent('push', noAfter)).toThrow(
      /valid after \(expected a full commit sha\)/,
    );
    const pr = pullRequestPayload({ base: A, head: B });
    delete (pr.pull_request as { head?: unknown }).head;
    expect(() => parseEvent('pull_request', pr)).toThrow(
      /pull_request\.head\.sha/,
    );
    expect(() => parseEvent('pull_request', pr)).toThrow(
      expect.objectContaining({ code: 'INPUT_INVALID' }),
    );
  });
});
