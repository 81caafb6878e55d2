// The whole path a developer takes: `gitwarden init`, then a real
// `git commit` through the installed commit-msg hook and the built CLI.
import { spawnSync } from 'node:child_process';

import { afterAll, describe, expect, it } from 'vitest';

import { builtGitwarden, commit, pathWith } from './helpers/hooks.ts';
import {
  cleanupTempDirs,
  makeRepo,
  runCli,
  testGitEnv,
} from './helpers/repo.ts';

afterAll(cleanupTempDirs);

describe('end to end: gitwarden init, then git commit through the hook', () => {
  it('refuses a commit without trailers and lets a proper one through', () => {
    const repo = makeRepo();
    expect(runCli(['init'], { cwd: repo.dir }).code).toBe(0);
    const gitwarden = builtGitwarden();
    const env = { PATH: pathWith(gitwarden.folder) };

    const refused = commit(repo.dir, 'Add a feature\n', env);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/^gitwarden check:/m);
    expect(refused.stderr).toMatch(/Agent/);
    expect(refused.stderr).toMatch(/Task/);
    expect(() => repo.git(['rev-parse', '--verify', 'HEAD'])).toThrow();

    const passed = commit(
      repo.dir,
      'Add a feature\n\nAgent: claude\nTask: GW-2\n',
      env,
    );
    // Silent on success, like every husky hook.
    expect(passed).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(repo.git(['rev-list', '--count', 'HEAD'])).toBe('1');
  });
});

describe('end to end: gitwarden init, then git push through the hook', () => {
  it('stops a push whose commits lack trailers, before anything leaves', () => {
    const remote = makeRepo({ bare: true });
    const repo = makeRepo();
    repo.git(['remote', 'add', 'origin', remote.dir]);
    expect(runCli(['init'], { cwd: repo.dir }).code).toBe(0);
    const gitwarden = builtGitwarden();
    const env = { ...testGitEnv, PATH: pathWith(gitwarden.folder) };

    repo.git(['add', '--all']);
    // --no-verify gets past the commit-msg hook; pre-push still judges.
    repo.git(['commit', '-q', '--no-verify', '-m', 'No trailers'], env);
    const refused = spawnSync('git', ['push', 'origin', 'main'], {
      cwd: repo.dir,
      env,
      encoding: 'utf8',
    });
    expect(refused.status).not.toBe(0);
    expect(refused.stderr).toContain('no Agent trailer');
    expect(refused.stderr).toContain('push stopped');
    expect(remote.git(['for-each-ref'])).toBe('');

    repo.git(
      [
        'commit',
        '-q',
        '--amend',
        '-m',
        'Trailers\n\nAgent: claude\nTask: GW-3',
      ],
      env,
    );
    const pushed = spawnSync('git', ['push', '-q', 'origin', 'main'], {
      cwd: repo.dir,
      env,
      encoding: 'utf8',
    });
    // The starter policy names no identities yet: roles say so, and pass.
    expect(pushed.stderr).toMatch(/role checks not configured/);
    expect(pushed.status).toBe(0);
  });
});
