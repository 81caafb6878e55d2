import { afterAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { makeGitServer } from './helpers/git-server.ts';
import { cleanupTempDirs, tempDir } from './helpers/repo.ts';

afterAll(cleanupTempDirs);

/** A fresh SSH key pair made for the test; returns its paths. */
function sshKey(name: string) {
  const dir = tempDir();
  const key = join(dir, name);
  execFileSync('ssh-keygen', [
    '-q',
    '-t',
    'ed25519',
    '-N',
    '',
    '-C',
    name,
    '-f',
    key,
  ]);
  return { key, pub: readFileSync(`${key}.pub`, 'utf8').trim() };
}

describe('signed commits', () => {
  const dev = sshKey('dev');
  const other = sshKey('other');
  const policy = `
trailers: { enabled: false }
identities:
  dev: { logins: [dev], roles: [signed-dev] }
  eve: { logins: [eve], roles: [developer], signingKeys: [${JSON.stringify(other.pub)}] }
roles:
  signed-dev:
    extends: [developer]
    requireSigned: true
`.replace(
    'roles: [signed-dev] }',
    `roles: [signed-dev], signingKeys: [${JSON.stringify(dev.pub)}] }`,
  );

  const sign = (key: string) => ({
    GIT_CONFIG_COUNT: '2',
    GIT_CONFIG_KEY_0: 'gpg.format',
    GIT_CONFIG_VALUE_0: 'ssh',
    GIT_CONFIG_KEY_1: 'user.signingkey',
    GIT_CONFIG_VALUE_1: key,
  });

  it("counts a role that requires signatures only for the identity's own key", () => {
    const server = makeGitServer(policy);
    const { work } = server;
    work.git(['checkout', '-q', '-b', 'feature/s']);
    work.write('src/s.ts', 's\n');
    work.git(['add', '-A']);
    work.git(['commit', '-q', '-S', '-m', 'signed'], sign(dev.key));
    const push = (who: string) =>
      server.push(['-f', 'feature/s'], { env: { REMOTE_USER: who } });
    expect(push('dev').code).toBe(0);

    work.write('src/u.ts', 'u\n');
    work.commit('unsigned');
    const unsigned = push('dev');
    expect(unsigned.code).not.toBe(0);
    expect(unsigned.stderr).toContain(
      'commit is unsigned, and dev lists signing keys',
    );

    work.git(['reset', '-q', '--hard', 'HEAD~1']);
    work.write('src/f.ts', 'f\n');
    work.git(['add', '-A']);
    work.git(['commit', '-q', '-S', '-m', 'foreign'], sign(other.key));
    const foreign = push('dev');
    expect(foreign.code).not.toBe(0);
    expect(foreign.stderr).toContain('commit is not signed by its key');

    // eve lists the other key: her own signed commit passes.
    expect(push('eve').code).toBe(0);
  });
});
