import { afterAll, describe, expect, it } from 'vitest';

import { makeGitServer } from './helpers/git-server.ts';
import { cleanupTempDirs } from './helpers/repo.ts';

afterAll(cleanupTempDirs);

// Roles and trailers together: the server refuses a push whose commits
// do not name their agent and task, even when the pusher may push there.
const POLICY = `
agents:
  claude: { description: coding agent }
identities:
  dev:
    logins: [dev]
    emails: [author@example.com]
    roles: [developer]
    agents: [claude]
`;

const asDev = { env: { REMOTE_USER: 'dev' } };

describe('the trailer rule in the pre-receive hook', () => {
  it('refuses a pushed commit without trailers, naming commit and fix', () => {
    const server = makeGitServer(POLICY);
    server.work.git(['checkout', '-q', '-b', 'feature/a']);
    server.work.write('src/a.ts', 'a\n');
    const sha = server.work.commit('Add a without trailers\n');

    const pushed = server.push(['feature/a'], asDev);
    expect(pushed.code).not.toBe(0);
    expect(pushed.stderr).toContain(`${sha.slice(0, 12)}: no Agent trailer`);
    expect(pushed.stderr).toMatch(/fix: git commit --amend/);
    expect(server.serverRef('refs/heads/feature/a')).toBe('');
  });

  it('lets the same push through once the commit names agent and task', () => {
    const server = makeGitServer(POLICY);
    server.work.git(['checkout', '-q', '-b', 'feature/b']);
    server.work.write('src/b.ts', 'b\n');
    const sha = server.work.commit('Add b\n\nAgent: claude\nTask: GW-2\n');
    const pushed = server.push(['feature/b'], asDev);
    expect(pushed.stderr).toBe('');
    expect(pushed.code).toBe(0);
    expect(server.serverRef('refs/heads/feature/b')).toBe(sha);
  });

  it('refuses an agent the committing identity may not speak for', () => {
    const server = makeGitServer(
      POLICY.replace('agents: [claude]', 'agents: []'),
    );
    server.work.git(['checkout', '-q', '-b', 'feature/c']);
    const sha = server.work.commit('Add c\n\nAgent: claude\nTask: GW-2\n');
    const pushed = server.push(['feature/c'], asDev);
    expect(pushed.code).not.toBe(0);
    expect(pushed.stderr).toContain(
      `${sha.slice(0, 12)}: author@example.com may not commit as "claude"`,
    );
  });
});
