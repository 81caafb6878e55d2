// The whole path a developer takes: `gitwarden init`, then a real
// `git commit` through the installed commit-msg hook and the built CLI.
import { afterAll, describe, expect, it } from 'vitest';

import { builtGitwarden, commit, pathWith } from './helpers/hooks.ts';
import { cleanupTempDirs, makeRepo, runCli } from './helpers/repo.ts';

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
