import { afterAll, describe, expect, it } from 'vitest';

import {
  builtGitwarden,
  commit,
  fakeGitwarden,
  installHusky,
  installInProject,
  pathWith,
} from './helpers/hooks.ts';
import { cleanupTempDirs, makeRepo, runCli } from './helpers/repo.ts';

afterAll(cleanupTempDirs);

const MESSAGE = 'Add a feature\n\nAgent: claude\nTask: GW-2\n';
const CHECK_CALL = [
  'check',
  '--quiet',
  '--message-file',
  '.git/COMMIT_EDITMSG',
];

/** A repository set up by `gitwarden init`, without package.json. */
function plainRepo() {
  const repo = makeRepo();
  expect(runCli(['init'], { cwd: repo.dir }).code).toBe(0);
  return repo;
}

const headCount = (repo: ReturnType<typeof makeRepo>) => {
  try {
    return Number(repo.git(['rev-list', '--count', 'HEAD']));
  } catch {
    return 0; // no commit yet
  }
};

describe('the installed commit-msg hook, through a real git commit', () => {
  it('runs gitwarden check --message-file on the message, silently', () => {
    const repo = plainRepo();
    const gitwarden = fakeGitwarden();
    const result = commit(repo.dir, MESSAGE, {
      PATH: pathWith(gitwarden.folder),
    });
    expect(result).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(gitwarden.calls()).toEqual([CHECK_CALL]);
    expect(headCount(repo)).toBe(1);
  });

  it('refuses the commit when gitwarden refuses it, passing its words on', () => {
    const repo = plainRepo();
    const gitwarden = fakeGitwarden();
    const result = commit(repo.dir, 'no trailers', {
      PATH: pathWith(gitwarden.folder),
      GW_FAKE_EXIT: '1',
    });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('gitwarden: fake refusal');
    expect(headCount(repo)).toBe(0);
  });

  it.each([
    ['GITWARDEN_SKIP=1', { GITWARDEN_SKIP: '1' }],
    ['HUSKY=0', { HUSKY: '0' }],
  ])('is skipped with %s', (_name, skip) => {
    const repo = plainRepo();
    const gitwarden = fakeGitwarden();
    const result = commit(repo.dir, 'no trailers', {
      PATH: pathWith(gitwarden.folder),
      GW_FAKE_EXIT: '1',
      ...skip,
    });
    expect(result.code).toBe(0);
    expect(gitwarden.calls()).toEqual([]);
  });

  it('refuses with a clear message when gitwarden cannot be found', () => {
    const repo = plainRepo();
    const result = commit(repo.dir, MESSAGE, { PATH: '/usr/bin:/bin' });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain(
      'gitwarden: the gitwarden command was not found (looked in node_modules/.bin and on PATH)',
    );
    expect(result.stderr).toContain('GITWARDEN_SKIP=1');
    expect(headCount(repo)).toBe(0);
  });

  it('prefers the project’s own node_modules/.bin/gitwarden to PATH', () => {
    const repo = plainRepo();
    const onPath = fakeGitwarden();
    const local = fakeGitwarden();
    installInProject(repo.dir, local.script);
    const result = commit(repo.dir, MESSAGE, {
      PATH: pathWith(onPath.folder),
    });
    expect(result.code).toBe(0);
    expect(local.calls()).toEqual([CHECK_CALL]);
    expect(onPath.calls()).toEqual([]);
  });

  it('runs through husky in a Node.js project', () => {
    const repo = makeRepo();
    repo.write('package.json', '{ "name": "app" }\n');
    installHusky(repo.dir);
    const gitwarden = fakeGitwarden();
    installInProject(repo.dir, gitwarden.script);
    expect(runCli(['init'], { cwd: repo.dir }).code).toBe(0);

    const passed = commit(repo.dir, MESSAGE);
    expect(passed).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(gitwarden.calls()).toEqual([CHECK_CALL]);

    const refused = commit(repo.dir, 'no trailers', { GW_FAKE_EXIT: '1' });
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('gitwarden: fake refusal');
    expect(headCount(repo)).toBe(1);
  });

  it('reaches the same verdict as the built CLI on the same message', () => {
    // The real command behind the hook. Whatever `gitwarden check` decides
    // about a message without trailers, the commit must share it: passed
    // when the CLI exits 0, refused with the CLI's own words otherwise.
    const repo = plainRepo();
    const gitwarden = builtGitwarden();
    const message = 'Add a feature without trailers\n';
    repo.write('message.txt', message);
    const direct = runCli(['check', '--message-file', 'message.txt'], {
      cwd: repo.dir,
    });

    const result = commit(repo.dir, message, {
      PATH: pathWith(gitwarden.folder),
    });
    expect(gitwarden.calls()).toEqual([CHECK_CALL]);
    expect(result.code === 0).toBe(direct.code === 0);
    const firstLine = direct.stderr.split('\n')[0] ?? '';
    expect(result.stderr).toContain(firstLine);
  });
});
