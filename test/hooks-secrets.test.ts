import { afterAll, describe, expect, it } from 'vitest';

import { makeGitServer } from './helpers/git-server.ts';
import { cleanupTempDirs } from './helpers/repo.ts';
import { fake } from './helpers/secrets.ts';

afterAll(cleanupTempDirs);

// The secret scan in the real pre-receive hook, beside roles and trailers:
// a push that carries a credential is refused, and the refusal never
// repeats the credential.
const POLICY = `
agents:
  claude: {}
identities:
  dev:
    logins: [dev]
    emails: [author@example.com]
    roles: [developer]
    agents: [claude]
`;

const asDev = { env: { REMOTE_USER: 'dev' } };

describe('the secret scan in the pre-receive hook', () => {
  it('refuses a push whose commits add a credential, even one removed later', () => {
    const server = makeGitServer(POLICY);
    const secret = fake('github-pat');
    server.work.git(['checkout', '-q', '-b', 'feature/keys']);
    server.work.write('config/app.env', `GITHUB_TOKEN=${secret}\n`);
    const added = server.work.commit(
      'Add config\n\nAgent: claude\nTask: GW-4\n',
    );
    server.work.write('config/app.env', 'GITHUB_TOKEN=\n');
    server.work.commit('Remove the key\n\nAgent: claude\nTask: GW-4\n');

    const pushed = server.push(['feature/keys'], asDev);
    expect(pushed.code).not.toBe(0);
    expect(pushed.stderr).toContain(`${added.slice(0, 12)}: `);
    expect(pushed.stderr).toContain('config/app.env:1');
    expect(pushed.stderr).not.toContain(secret);
    expect(server.serverRef('refs/heads/feature/keys')).toBe('');
  });

  it('lets a clean push through', () => {
    const server = makeGitServer(POLICY);
    server.work.git(['checkout', '-q', '-b', 'feature/clean']);
    server.work.write('src/a.ts', 'export const a = 1;\n');
    const sha = server.work.commit('Add a\n\nAgent: claude\nTask: GW-4\n');
    const pushed = server.push(['feature/clean'], asDev);
    expect(pushed.stderr).toBe('');
    expect(pushed.code).toBe(0);
    expect(server.serverRef('refs/heads/feature/clean')).toBe(sha);
  });
});

describe('allow comments in a pushed change', () => {
  const pushWithAllowComment = (policy: string) => {
    const server = makeGitServer(policy);
    const secret = fake('github-pat', 2);
    server.work.git(['checkout', '-q', '-b', 'feature/excuse']);
    server.work.write(
      'src/t.ts',
      `const t = "${secret}"; // gitwarden:allow\n`,
    );
    server.work.commit('Excuse it\n\nAgent: claude\nTask: GW-4\n');
    return server.push(['feature/excuse'], asDev);
  };

  it('do not excuse a secret unless the base policy turns them on', () => {
    const refused = pushWithAllowComment(POLICY);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('src/t.ts:1');
  });

  it('excuse it when the base policy opts in', () => {
    const accepted = pushWithAllowComment(
      `${POLICY}secrets:\n  allowComments: true\n`,
    );
    expect(accepted.stderr).toBe('');
    expect(accepted.code).toBe(0);
  });
});
