import { afterAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';

import { readCommits } from '../src/git/commits.ts';
import { resolveRange } from '../src/git/range.ts';
import { loadPolicyAt } from '../src/policy/load.ts';
import {
  cleanupTempDirs,
  makeRepo,
  tempDir,
  testGitEnv,
} from './helpers/repo.ts';

afterAll(cleanupTempDirs);

const ZERO = '0'.repeat(40);

async function commitsOf(
  repo: string,
  spec: Parameters<typeof resolveRange>[1],
) {
  const resolved = await resolveRange(repo, spec);
  const commits = await readCommits(repo, resolved.revisions, resolved.facts);
  return { resolved, subjects: commits.map((c) => c.subject) };
}

function history() {
  const repo = makeRepo();
  const a = repo.commit('a');
  const b = repo.commit('b');
  repo.git(['checkout', '-q', '-b', 'feature']);
  const c = repo.commit('c');
  const d = repo.commit('d');
  repo.git(['checkout', '-q', 'main']);
  return { repo, a, b, c, d };
}

describe('resolving what to judge', () => {
  it('reads A..B newest first, with parents and identities', async () => {
    const { repo, a } = history();
    const { resolved, subjects } = await commitsOf(repo.dir, {
      kind: 'range',
      range: `${a}..feature`,
    });
    expect(subjects).toEqual(['d', 'c', 'b']);
    expect(resolved.policyRevision).toBe(a);
    const [d] = await readCommits(repo.dir, resolved.revisions);
    expect(d?.parents).toHaveLength(1);
    expect(d?.authorEmail).toBe('author@example.com');
  });

  it('judges a pull request from the merge base, policy from the base', async () => {
    const { repo, b } = history();
    repo.commit('e on main');
    const main = repo.git(['rev-parse', 'main']);
    const { resolved, subjects } = await commitsOf(repo.dir, {
      kind: 'pull-request',
      base: 'main',
      head: 'feature',
    });
    expect(subjects).toEqual(['d', 'c']);
    expect(resolved.policyRevision).toBe(main);
    expect(resolved.revisions).toContain(b);
  });

  it('a new branch push brings only commits no other ref has', async () => {
    const { repo, d } = history();
    const { resolved, subjects } = await commitsOf(repo.dir, {
      kind: 'push',
      oldSha: ZERO,
      newSha: d,
      ref: 'refs/heads/feature',
    });
    expect(subjects).toEqual(['d', 'c']);
    expect(resolved.description).toMatch(/new/);
  });

  it('judges a new branch after the fact, when HEAD already names it', async () => {
    const remote = makeRepo({ bare: true });
    const work = makeRepo();
    work.commit('first');
    work.git(['push', '-q', remote.dir, 'main']);
    const tip = work.git(['rev-parse', 'HEAD']);
    const { subjects } = await commitsOf(remote.dir, {
      kind: 'push',
      oldSha: ZERO,
      newSha: tip,
      ref: 'refs/heads/main',
    });
    expect(subjects).toEqual(['first']);
  });

  it('a deleted branch has no commits and is marked as a deletion', async () => {
    const { repo, d } = history();
    const { resolved, subjects } = await commitsOf(repo.dir, {
      kind: 'push',
      oldSha: d,
      newSha: ZERO,
      ref: 'refs/heads/feature',
    });
    expect(subjects).toEqual([]);
    expect(resolved.deletion).toBe(true);
    expect(resolved.policyRevision).toBe(d);
  });

  it('a forced push judges what the old tip did not have', async () => {
    const { repo, b, d } = history();
    repo.git(['checkout', '-q', '-b', 'rewrite', b]);
    const x = repo.commit('x');
    const { resolved, subjects } = await commitsOf(repo.dir, {
      kind: 'push',
      oldSha: d,
      newSha: x,
      ref: 'refs/heads/feature',
    });
    expect(subjects).toEqual(['x']);
    expect(resolved.forced).toBe(true);
  });

  it('peels an annotated tag and skips a tag of a tree', async () => {
    const { repo, d } = history();
    repo.git(['tag', '-a', '-m', 'v1', 'v1', d]);
    const tag = repo.git(['rev-parse', 'v1']);
    const pushed = await commitsOf(repo.dir, {
      kind: 'push',
      oldSha: ZERO,
      newSha: tag,
      ref: 'refs/tags/v1',
    });
    expect(pushed.subjects).toEqual([]); // feature already holds c and d

    const tree = repo.git(['rev-parse', 'HEAD^{tree}']);
    const treeTag = await commitsOf(repo.dir, {
      kind: 'push',
      oldSha: ZERO,
      newSha: tree,
      ref: 'refs/tags/tree',
    });
    expect(treeTag.subjects).toEqual([]);
    expect(treeTag.resolved.description).toMatch(/no commit/);
  });

  it('accepts refs with shell metacharacters, rejects invalid ones', async () => {
    const { repo } = history();
    // A commit no ref holds yet, as on a server receiving a new branch.
    repo.git(['checkout', '-q', '--detach']);
    const loose = repo.commit('loose');
    repo.git(['checkout', '-q', 'main']);
    for (const ref of ['refs/heads/a;b', 'refs/heads/feat/$(touch_x)|`id`']) {
      const { subjects } = await commitsOf(repo.dir, {
        kind: 'push',
        oldSha: ZERO,
        newSha: loose,
        ref,
      });
      expect(subjects).toEqual(['loose']);
    }
    await expect(
      resolveRange(repo.dir, {
        kind: 'push',
        oldSha: ZERO,
        newSha: loose,
        ref: 'refs/heads/has space',
      }),
    ).rejects.toMatchObject({ code: 'INPUT_INVALID' });
  });

  it('names an unknown revision and refuses option-like ones', async () => {
    const { repo } = history();
    await expect(
      resolveRange(repo.dir, { kind: 'range', range: 'main..nope' }),
    ).rejects.toThrow(/unknown revision "nope"/);
    await expect(
      resolveRange(repo.dir, { kind: 'range', range: '--all' }),
    ).rejects.toMatchObject({ code: 'UNKNOWN_REVISION' });
  });

  it('says when a folder is not a git repository', async () => {
    await expect(
      resolveRange(tempDir(), { kind: 'range', range: 'HEAD' }),
    ).rejects.toMatchObject({ code: 'NOT_A_REPOSITORY' });
  });

  it('refuses a range that reaches past a shallow clone edge', async () => {
    const { repo } = history();
    const clone = tempDir();
    execFileSync(
      'git',
      [
        'clone',
        '-q',
        '--depth=1',
        '--branch=feature',
        `file://${repo.dir}`,
        clone,
      ],
      { env: testGitEnv },
    );
    await expect(
      commitsOf(clone, { kind: 'range', range: 'HEAD' }),
    ).rejects.toMatchObject({ code: 'HISTORY_INCOMPLETE' });
  });

  it('flags a commit message that is not UTF-8', async () => {
    const repo = makeRepo();
    repo.commit('base');
    // git commit re-encodes bad bytes, so write the raw object directly.
    const object = [
      `tree ${repo.git(['rev-parse', 'HEAD^{tree}'])}`,
      `parent ${repo.git(['rev-parse', 'HEAD'])}`,
      'author A <a@example.com> 1767225600 +0000',
      'committer A <a@example.com> 1767225600 +0000',
      '',
      '',
    ].join('\n');
    const file = `${tempDir()}/object`;
    writeFileSync(
      file,
      Buffer.concat([Buffer.from(object), Buffer.from([0x62, 0xff, 0x0a])]),
    );
    const sha = repo.git(['hash-object', '-t', 'commit', '-w', file]);
    const [commit] = await readCommits(repo.dir, [sha, '--not', 'HEAD']);
    expect(commit?.problems).toEqual(['the commit message is not valid UTF-8']);
  });
});

describe('policy from a revision', () => {
  it('reads the base, not the change, and defaults when absent', async () => {
    const repo = makeRepo();
    const empty = repo.commit('no policy yet');
    repo.write('.gitwarden/policy.yml', 'trailers:\n  enabled: false\n');
    const withPolicy = repo.commit('add policy');
    expect((await loadPolicyAt(repo.dir, empty)).source.kind).toBe('default');
    const policy = await loadPolicyAt(repo.dir, withPolicy);
    expect(policy.trailers.enabled).toBe(false);
    expect(policy.source).toMatchObject({ kind: 'revision' });
  });

  it('names the revision and line of a broken policy', async () => {
    const repo = makeRepo();
    repo.write('.gitwarden/policy.yml', 'trailers:\n  nope: 1\n');
    const sha = repo.commit('broken');
    await expect(loadPolicyAt(repo.dir, sha)).rejects.toThrow(
      new RegExp(`^${sha}:\\.gitwarden/policy\\.yml:2:\\d+: trailers\\.nope`),
    );
  });
});

describe('a new branch judged in a clone (as CI does after a push)', () => {
  it('judges its commits by the default branch, not by the branch itself', async () => {
    const origin = makeRepo();
    origin.write('.gitwarden/policy.yml', 'trailers:\n  enabled: true\n');
    origin.commit('policy\n\nAgent: a\nTask: T-1\n');
    origin.git(['checkout', '-q', '-b', 'sneaky']);
    origin.write('.gitwarden/policy.yml', 'trailers:\n  enabled: false\n');
    origin.commit('turn the check off\n');
    const tip = origin.commit('no trailers\n');
    origin.git(['checkout', '-q', 'main']);

    const clone = tempDir();
    execFileSync('git', ['clone', '-q', origin.dir, clone], {
      env: testGitEnv,
    });
    execFileSync('git', ['checkout', '-q', 'sneaky'], {
      cwd: clone,
      env: testGitEnv,
    });
    const main = execFileSync('git', ['rev-parse', 'origin/main'], {
      cwd: clone,
      encoding: 'utf8',
    }).trim();
    const { resolved, subjects } = await commitsOf(clone, {
      kind: 'push',
      oldSha: ZERO,
      newSha: tip,
      ref: 'refs/heads/sneaky',
    });
    expect(subjects).toEqual(['no trailers', 'turn the check off']);
    expect(resolved.policyRevision).toBe(main);
  });
});

describe('the base of a new branch in a work tree without a remote', () => {
  it('is main, never the checked-out branch that brings its own policy', async () => {
    const repo = makeRepo();
    repo.write('.gitwarden/policy.yml', 'trailers:\n  enabled: true\n');
    repo.commit('policy\n\nAgent: a\nTask: T-1\n');
    const main = repo.git(['rev-parse', 'HEAD']);
    repo.git(['checkout', '-q', '-b', 'evil']);
    repo.write('.gitwarden/policy.yml', 'trailers:\n  enabled: false\n');
    const tip = repo.commit('turn the check off\n');
    for (const ref of ['refs/heads/evil2', 'refs/heads/evil']) {
      const resolved = await resolveRange(repo.dir, {
        kind: 'push',
        oldSha: ZERO,
        newSha: tip,
        ref,
      });
      expect(resolved.policyRevision).toBe(main);
    }
  });
});
