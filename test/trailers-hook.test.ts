import { afterAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { cleanupMessage, resolveCommentChar } from '../src/trailers/cleanup.ts';
import {
  cleanupTempDirs,
  makeRepo,
  tempDir,
  testGitEnv,
  type TestRepo,
} from './helpers/repo.ts';

afterAll(cleanupTempDirs);

const cli = join(import.meta.dirname, '..', 'bin', 'gitwarden.js');

function installHook(repo: TestRepo, body: string) {
  const hook = join(repo.dir, '.git', 'hooks', 'commit-msg');
  writeFileSync(hook, `#!/bin/sh\n${body}\n`);
  chmodSync(hook, 0o755);
}

/**
 * Commits through the editor path (`-e` with an editor that keeps the
 * file), so git adds its comment block, exactly as a developer's commit.
 */
function commitEdited(
  repo: TestRepo,
  message: string | Buffer,
  args: string[] = [],
  env: NodeJS.ProcessEnv = {},
) {
  const file = join(tempDir(), 'message');
  writeFileSync(file, message);
  repo.write('file.txt', `${Math.random()}\n`);
  repo.git(['add', '--all']);
  return spawnSync('git', ['commit', '-q', '-e', '-F', file, ...args], {
    cwd: repo.dir,
    env: { ...testGitEnv, GIT_EDITOR: 'true', ...env },
    encoding: 'utf8',
  });
}

function storedMessage(repo: TestRepo): string {
  const raw = repo.git(['cat-file', 'commit', 'HEAD']) + '\n';
  return raw.slice(raw.indexOf('\n\n') + 2);
}

describe('commit-msg cleanup matches what git commit stores', () => {
  const cases: {
    name: string;
    message: string;
    config?: [string, string];
    args?: string[];
  }[] = [
    {
      name: 'editor comments, blank runs, trailing spaces',
      message: '\n\nFix  \n\n\n\nbody\t\n\nAgent: claude\nTask: GW-2\n\n\n',
    },
    {
      name: 'CRLF line ends',
      message: 'Fix\r\n\r\nAgent: claude\r\nTask: GW-2\r\n',
    },
    {
      name: 'another comment character',
      message: 'Fix\n\n#1 is fixed\nAgent: claude\nTask: GW-2\n',
      config: ['core.commentChar', ';'],
    },
    {
      name: 'commentChar auto picks one the message does not use',
      message: 'Fix\n\n#1 is fixed\nAgent: claude\nTask: GW-2\n',
      config: ['core.commentChar', 'auto'],
    },
    {
      name: 'commit -v: the diff below the scissors line',
      message: 'Fix\n\nAgent: claude\nTask: GW-2\n',
      args: ['-v'],
    },
  ];

  for (const testCase of cases) {
    it(testCase.name, () => {
      const repo = makeRepo();
      repo.commit('base\n');
      if (testCase.config) repo.git(['config', ...testCase.config]);
      const capture = join(tempDir(), 'seen');
      installHook(repo, `cp "$1" '${capture}'`);
      const result = commitEdited(repo, testCase.message, testCase.args);
      expect(result.status, result.stderr).toBe(0);

      const seen = readFileSync(capture, 'utf8');
      const configured = testCase.config?.[1];
      const commentChar = resolveCommentChar(configured, seen);
      if (configured && configured !== 'auto') {
        expect(commentChar).toBe(configured);
      }
      // The hook saw comment lines that the stored message has not.
      expect(seen).not.toBe(storedMessage(repo));
      expect(cleanupMessage(seen, commentChar)).toBe(storedMessage(repo));
    });
  }
});

describe('gitwarden check --message-file as the commit-msg hook', () => {
  function hookedRepo(policy?: string) {
    const repo = makeRepo();
    if (policy) repo.write('.gitwarden/policy.yml', policy);
    repo.commit('Start\n\nAgent: human\nTask: GW-0\n');
    installHook(
      repo,
      `exec '${process.execPath}' '${cli}' check --message-file "$1"`,
    );
    return repo;
  }

  // git sends a hook's standard output to its standard error.
  it('lets a commit with both trailers through', () => {
    const repo = hookedRepo();
    const result = commitEdited(repo, 'Fix\n\nAgent: claude\nTask: GW-2\n');
    expect(result.status, result.stderr + result.stderr).toBe(0);
    expect(result.stderr).toMatch(/1 commit: 1 passed/);
  });

  it('refuses a commit without them and says how to fix it', () => {
    const repo = hookedRepo();
    const before = repo.git(['rev-parse', 'HEAD']);
    const result = commitEdited(repo, 'Fix\n\nAgent: claude\n');
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/no Task trailer/);
    expect(result.stderr).toContain('fix: git commit --trailer "Task: <task>"');
    expect(repo.git(['rev-parse', 'HEAD'])).toBe(before);
  });

  it('reads trailers in a CRLF message', () => {
    const repo = hookedRepo();
    const result = commitEdited(
      repo,
      'Fix\r\n\r\nAgent: claude\r\nTask: GW-2\r\n',
    );
    expect(result.status, result.stderr).toBe(0);
  });

  it('strips the user comment char, and the trailers below the scissors do not count', () => {
    const repo = hookedRepo();
    repo.git(['config', 'core.commentChar', ';']);
    // With ';' comments git keeps the '#' line, which sits inside the
    // trailer block as a comment for gitwarden's fixed reading.
    const pass = commitEdited(
      repo,
      'Fix\n\nAgent: claude\n# note\nTask: GW-2\n',
      ['-v'],
    );
    expect(pass.status, pass.stderr).toBe(0);
    repo.write('diffme.txt', 'Agent: claude\nTask: GW-9\n');
    const fail = commitEdited(repo, 'Fix without trailers\n', ['-v']);
    expect(fail.status).not.toBe(0);
  });

  it('exempts a merge being concluded, known from MERGE_HEAD', () => {
    const repo = hookedRepo();
    repo.git(['checkout', '-q', '-b', 'side']);
    repo.commit('Side\n\nAgent: claude\nTask: GW-3\n');
    repo.git(['checkout', '-q', 'main']);
    repo.commit('Main\n\nAgent: claude\nTask: GW-4\n');
    const merge = spawnSync(
      'git',
      ['merge', '--no-ff', '-m', "Merge branch 'side'", 'side'],
      { cwd: repo.dir, env: testGitEnv, encoding: 'utf8' },
    );
    expect(merge.status, merge.stderr + merge.stderr).toBe(0);
    expect(merge.stderr).toMatch(/exempt/);
  });

  it('binds the agent to the identity git records, --author included', () => {
    const repo = hookedRepo(
      [
        'identities:',
        '  jane: { emails: [jane@example.com], agents: [claude] }',
        '  author: { emails: [author@example.com], agents: [human] }',
      ].join('\n'),
    );
    const message = 'Fix\n\nAgent: claude\nTask: GW-2\n';
    const refused = commitEdited(repo, message);
    expect(refused.status).not.toBe(0);
    expect(refused.stderr).toMatch(
      /author@example\.com may not commit as "claude"/,
    );
    const allowed = commitEdited(repo, message, [
      '--author',
      'Jane <jane@example.com>',
    ]);
    expect(allowed.status, allowed.stderr).toBe(0);
  });

  it('takes the policy from HEAD, not from the work tree', () => {
    const repo = hookedRepo(
      'trailers:\n  required: [{ key: Agent }, { key: Task, pattern: "GW-\\\\d+" }]\n',
    );
    repo.write('.gitwarden/policy.yml', 'trailers: { enabled: false }\n');
    const result = commitEdited(repo, 'Fix\n\nAgent: claude\nTask: nope\n');
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/does not match/);
  });

  it('reads the work-tree policy for the first commit', () => {
    const repo = makeRepo();
    repo.write('.gitwarden/policy.yml', 'trailers: { enabled: false }\n');
    installHook(
      repo,
      `exec '${process.execPath}' '${cli}' check --message-file "$1"`,
    );
    const result = commitEdited(repo, 'First commit\n');
    expect(result.status, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/trailer check is off/);
  });
});
