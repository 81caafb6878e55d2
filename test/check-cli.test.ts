import { afterAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import {
  cleanupTempDirs,
  makeRepo,
  runCli,
  tempDir,
  testGitEnv,
} from './helpers/repo.ts';

afterAll(cleanupTempDirs);

const ZERO = '0'.repeat(40);
const good = (n: number) => `Change ${n}\n\nAgent: claude\nTask: GW-${n}\n`;

function check(dir: string, ...args: string[]) {
  return runCli(['check', '--repo', dir, ...args]);
}

function checkJson(dir: string, ...args: string[]) {
  const result = check(dir, ...args, '--json');
  return { code: result.code, json: JSON.parse(result.stdout), result };
}

/** Commits that no ref holds, as a server sees a push before taking it. */
function looseCommits(repo: ReturnType<typeof makeRepo>, messages: string[]) {
  repo.git(['checkout', '-q', '--detach']);
  const shas = messages.map((message) => repo.commit(message));
  repo.git(['checkout', '-q', 'main']);
  return shas.at(-1)!;
}

/** main: base (good); feature: one good, one missing Task. */
function history() {
  const repo = makeRepo();
  const base = repo.commit(good(1));
  repo.git(['checkout', '-q', '-b', 'feature']);
  const ok = repo.commit(good(2));
  const bad = repo.commit('Forgot the task\n\nAgent: claude\n');
  repo.git(['checkout', '-q', 'main']);
  return { repo, base, ok, bad };
}

describe('gitwarden check on commits', () => {
  it('passes a clean range and exits 0', () => {
    const { repo, base, ok } = history();
    const result = check(repo.dir, '--range', `${base}..${ok}`);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/1 commit: 1 passed, 0 failed, 0 exempt/);
    expect(result.stdout).toMatch(/agent binding: not configured/);
  });

  it('names the failing commit, the trailer and the fix; exits 1', () => {
    const { repo, base, bad } = history();
    const result = check(repo.dir, '--range', `${base}..feature`);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(bad.slice(0, 7));
    expect(result.stdout).toContain('Forgot the task');
    expect(result.stdout).toMatch(/no Task trailer/);
    expect(result.stdout).toContain(
      'fix: git commit --amend --no-edit --trailer "Task: <task>"',
    );
    expect(result.stdout).toMatch(/2 commits: 1 passed, 1 failed/);
  });

  it('prints the documented JSON shape', () => {
    const { repo, base, bad } = history();
    const { code, json } = checkJson(repo.dir, '--range', `${base}..feature`);
    expect(code).toBe(1);
    expect(Object.keys(json)).toEqual([
      'version',
      'ok',
      'target',
      'policy',
      'binding',
      'summary',
      'notes',
      'commits',
    ]);
    expect(json).toMatchObject({
      version: 1,
      ok: false,
      target: { kind: 'range', description: `${base}..feature` },
      policy: 'built-in',
      binding: 'not-configured',
      summary: { commits: 2, passed: 1, failed: 1, exempt: 0 },
    });
    expect(json.commits[0]).toEqual({
      sha: bad,
      subject: 'Forgot the task',
      status: 'fail',
      exempt: null,
      identity: 'author@example.com',
      trailers: [{ key: 'Agent', value: 'claude' }],
      binding: 'not-configured',
      violations: [
        {
          trailer: 'Task',
          problem: 'missing',
          found: null,
          message: "no Task trailer in the message's last paragraph",
          fix: 'git commit --amend --no-edit --trailer "Task: <task>"',
        },
      ],
      notes: [],
    });
  });

  it('judges a pull request from its merge base', () => {
    const { repo } = history();
    repo.commit(good(3));
    const { code, json } = checkJson(
      repo.dir,
      '--base',
      'main',
      '--head',
      'feature',
    );
    expect(code).toBe(1);
    expect(json.target.kind).toBe('pull-request');
    expect(json.summary.commits).toBe(2);
  });

  it('judges a new branch, a forced push, a deletion and a tag', () => {
    const { repo, base, ok, bad } = history();
    const loose = looseCommits(repo, [good(8), 'No trailers\n']);
    const fresh = checkJson(repo.dir, '--push', ZERO, loose, 'refs/heads/new');
    expect(fresh.code).toBe(1);
    expect(fresh.json.target.description).toMatch(/new/);
    expect(fresh.json.summary).toMatchObject({ commits: 2, failed: 1 });

    repo.git(['checkout', '-q', '-b', 'rewrite', base]);
    const rewritten = repo.commit(good(4));
    const forced = checkJson(
      repo.dir,
      '--push',
      bad,
      rewritten,
      'refs/heads/feature',
    );
    expect(forced.code).toBe(0);
    expect(forced.json.target.description).toMatch(/forced/);
    expect(forced.json.summary.commits).toBe(1);

    const deleted = check(repo.dir, '--push', ok, ZERO, 'refs/heads/feature');
    expect(deleted.code).toBe(0);
    expect(deleted.stdout).toMatch(/is deleted: no commits to judge/);

    const release = looseCommits(repo, ['Release without trailers\n']);
    repo.git(['tag', '-a', '-m', 'v1', 'v1', release]);
    const tag = repo.git(['rev-parse', 'v1']);
    repo.git(['tag', '-d', 'v1']);
    const tagged = checkJson(repo.dir, '--push', ZERO, tag, 'refs/tags/v1');
    expect(tagged.code).toBe(1);
    expect(tagged.json.commits[0].sha).toBe(release);
  });

  it('says plainly when a range holds no commits, and exits 0', () => {
    const { repo } = history();
    const result = check(repo.dir, '--range', 'main..main');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/no commits to judge in main\.\.main/);
    expect(result.stdout).toMatch(/no commits judged/);
  });

  it('exempts merge commits by their parents', () => {
    const { repo, base } = history();
    repo.git(['merge', '-q', '--no-ff', '-m', 'Join', 'feature']);
    const { json } = checkJson(repo.dir, '--range', `${base}..main`);
    const join_ = json.commits.find((c: { subject: string }) =>
      c.subject.startsWith('Join'),
    );
    expect(join_).toMatchObject({ status: 'exempt', exempt: 'merge' });
  });

  it('reads the policy from the base, never from the change', () => {
    const repo = makeRepo();
    repo.write(
      '.gitwarden/policy.yml',
      'trailers:\n  required: [{ key: Agent }, { key: Task, pattern: "GW-\\\\d+" }]\n',
    );
    const base = repo.commit(good(1));
    repo.write('.gitwarden/policy.yml', 'trailers: { enabled: false }\n');
    repo.commit('Loosen the policy\n\nAgent: claude\nTask: whatever\n');
    const { code, json } = checkJson(repo.dir, '--range', `${base}..HEAD`);
    expect(code).toBe(1);
    expect(json.policy).toBe(`${base.slice(0, 12)}:.gitwarden/policy.yml`);
    expect(json.commits[0].violations[0].problem).toBe('pattern');
  });

  it('judges refs whose names hold shell metacharacters', () => {
    const { repo } = history();
    const bad = looseCommits(repo, ['No trailers\n']);
    // Were any of these run by a shell, it would leave a file behind.
    for (const ref of [
      'refs/heads/a;b',
      'refs/heads/feat/$(touch${IFS}pwned)',
      'refs/heads/`touch${IFS}pwned`|&',
    ]) {
      const { code, json } = checkJson(repo.dir, '--push', ZERO, bad, ref);
      expect(code).toBe(1);
      expect(json.target.description).toContain(ref);
    }
    expect(existsSync(join(repo.dir, 'pwned'))).toBe(false);
    expect(existsSync('pwned')).toBe(false);
    const spaced = check(repo.dir, '--push', ZERO, bad, 'refs/heads/has space');
    expect(spaced.code).toBe(2);
    expect(spaced.stderr).toMatch(/not a full ref name/);
  });

  it('judges a commit whose message is not UTF-8, and says so', () => {
    const repo = makeRepo();
    const base = repo.commit(good(1));
    const tree = repo.git(['rev-parse', 'HEAD^{tree}']);
    const file = join(tempDir(), 'latin1');
    writeFileSync(
      file,
      Buffer.concat([
        Buffer.from(`tree ${tree}\nparent ${base}\n`),
        Buffer.from('author A <a@example.com> 0 +0000\n'),
        Buffer.from('committer A <a@example.com> 0 +0000\n\nCaf'),
        Buffer.from([0xe9]),
        Buffer.from('\n\nAgent: claude\nTask: GW-7\n'),
      ]),
    );
    const sha = repo.git(['hash-object', '-t', 'commit', '-w', file]);
    const { code, json } = checkJson(repo.dir, '--range', `${base}..${sha}`);
    expect(code).toBe(0);
    expect(json.commits[0].notes).toEqual([
      'the commit message is not valid UTF-8',
    ]);
  });
});

describe('gitwarden check refuses bad input clearly', () => {
  it('usage errors exit 2', () => {
    const { repo } = history();
    const cases: [string[], RegExp][] = [
      [[], /nothing to judge/],
      [['--range', 'main', '--base', 'main'], /cannot be combined/],
      [['--push', ZERO, ZERO], /three values/],
      [['--base', 'main'], /--base and --head go together/],
      [['--range', 'main', '--remote', 'origin'], /--remote goes with --push/],
      [['--range', 'nope..main'], /unknown revision "nope"/],
      [['--range', '--all'], /not a revision/],
      [['--bogus'], /unknown option/],
    ];
    for (const [args, message] of cases) {
      const result = check(repo.dir, ...args);
      expect({ args, code: result.code }).toEqual({ args, code: 2 });
      expect(result.stderr).toMatch(message);
      expect(result.stderr).not.toMatch(/\n\s+at /);
    }
  });

  it('a folder that is not a repository exits 2', () => {
    const dir = tempDir();
    for (const args of [
      ['--range', 'HEAD'],
      ['--message-file', 'm'],
    ]) {
      writeFileSync(join(dir, 'm'), good(1));
      const result = runCli(['check', ...args], { cwd: dir });
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/not a git repository/);
    }
  });

  it('an unreadable or broken policy exits 2 and names it', () => {
    const { repo } = history();
    const folder = join(tempDir(), 'policy.yml');
    mkdirSync(folder);
    const unreadable = check(repo.dir, '--range', 'main', '--policy', folder);
    expect(unreadable.code).toBe(2);
    expect(unreadable.stderr).toMatch(
      /cannot read policy .*directory, not a file/,
    );

    const missing = check(repo.dir, '--range', 'main', '--policy', '/no/such');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(
      /cannot read policy \/no\/such: no such file/,
    );

    repo.write('.gitwarden/policy.yml', 'trailers: [\n');
    const broken = repo.commit(good(5));
    const result = check(repo.dir, '--range', `${broken}..${broken}`);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/\.gitwarden\/policy\.yml:\d+:\d+: YAML/);
  });

  it('a shallow clone missing the history exits 3 with the fix', () => {
    const { repo } = history();
    const clone = tempDir();
    execFileSync(
      'git',
      ['clone', '-q', '--depth', '1', `file://${repo.dir}`, clone],
      { env: testGitEnv },
    );
    const result = check(clone, '--range', 'HEAD');
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/fetch-depth: 0|--unshallow/);
  });
});

describe('gitwarden check --message-file on awkward files', () => {
  function messageRepo() {
    const repo = makeRepo();
    repo.commit(good(1));
    return repo;
  }

  function checkFile(repo: { dir: string }, content: string | Buffer) {
    const file = join(tempDir(), 'COMMIT_EDITMSG');
    writeFileSync(file, content);
    return checkJson(repo.dir, '--message-file', file);
  }

  it('CRLF line ends pass', () => {
    const { code } = checkFile(
      messageRepo(),
      'Fix\r\n\r\nAgent: claude\r\nTask: GW-2\r\n',
    );
    expect(code).toBe(0);
  });

  it('a message that is not UTF-8 is judged, with a note', () => {
    const { code, json } = checkFile(
      messageRepo(),
      Buffer.concat([
        Buffer.from('Caf'),
        Buffer.from([0xe9, 0xff]),
        Buffer.from('\n\nAgent: claude\n'),
      ]),
    );
    expect(code).toBe(1);
    expect(json.commits[0].notes[0]).toMatch(/not valid UTF-8/);
    expect(json.commits[0].violations[0].trailer).toBe('Task');
  });

  it('a 1 MB message is judged', () => {
    const body = 'x'.repeat(79) + '\n';
    const message = `Big\n\n${body.repeat(13_200)}\nAgent: claude\nTask: GW-1\n`;
    expect(message.length).toBeGreaterThan(1_000_000);
    const { code, json } = checkFile(messageRepo(), message);
    expect(code).toBe(0);
    expect(json.commits[0].trailers).toHaveLength(2);
  });

  it('NUL bytes are refused: git would not store them', () => {
    const file = join(tempDir(), 'nul');
    writeFileSync(file, 'Fix\0\n\nAgent: a\nTask: b\n');
    const result = check(messageRepo().dir, '--message-file', file);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/NUL byte/);
  });

  it('a missing message file cannot be judged: exit 3', () => {
    const result = check(messageRepo().dir, '--message-file', '/no/such/file');
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/cannot read message file .*ENOENT/);
  });
});
