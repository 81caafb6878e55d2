import { afterAll, describe, expect, it } from 'vitest';
import { basename, dirname } from 'node:path';

import {
  makeGitServer,
  serveHttp,
  GITWARDEN_COMMAND,
} from './helpers/git-server.ts';
import { cleanupTempDirs, runCli, testGitEnv } from './helpers/repo.ts';

afterAll(cleanupTempDirs);

const POLICY = `
# These tests are about roles; the trailer rule in hooks is tested apart.
trailers: { enabled: false }
identities:
  olive: { logins: [olive], roles: [owner] }
  dev: { logins: [dev], roles: [developer] }
  bot: { logins: [bot], roles: [agent] }
access:
  deny:
    - actions: [force-push]
      refs: [main]
      description: main is never rewritten
`;

const as = (user: string, extra: NodeJS.ProcessEnv = {}) => ({
  env: { REMOTE_USER: user, ...extra },
});

describe('pre-receive over the local file transport', () => {
  it('lets a developer push a feature branch and refuses main', () => {
    const server = makeGitServer(POLICY);
    server.work.git(['checkout', '-q', '-b', 'feature/login']);
    server.work.write('src/login.ts', 'export {};\n');
    const sha = server.work.commit('login');

    const feature = server.push(['feature/login'], as('dev'));
    expect(feature.code).toBe(0);
    expect(server.serverRef('refs/heads/feature/login')).toBe(sha);

    const main = server.push([`${sha}:refs/heads/main`], as('dev'));
    expect(main.code).not.toBe(0);
    expect(main.stderr).toContain('refused refs/heads/main (push by dev)');
    expect(main.stderr).toContain(
      'no grant of role developer allows push refs/heads/main',
    );
    expect(main.stderr).toContain('ask someone with role admin or owner');
    expect(server.serverRef('refs/heads/main')).not.toBe(sha);
  });

  it('keeps agents on agent/** and protects workflows', () => {
    const server = makeGitServer(POLICY);
    server.work.git(['checkout', '-q', '-b', 'agent/fix']);
    server.work.write('src/a.ts', 'a\n');
    server.work.commit('a');
    expect(server.push(['agent/fix'], as('bot')).code).toBe(0);
    const other = server.push(['agent/fix:refs/heads/feature/x'], as('bot'));
    expect(other.code).not.toBe(0);
    expect(other.stderr).toContain('create refs/heads/feature/x');

    server.work.write('.github/workflows/ci.yml', 'on: push\n');
    server.work.commit('ci');
    const ci = server.push(['agent/fix'], as('bot'));
    expect(ci.code).not.toBe(0);
    expect(ci.stderr).toContain(
      'modify ".github/workflows/ci.yml" on refs/heads/agent/fix is denied by access.protected',
    );
  });

  it('refuses the whole push with one message per refused ref', () => {
    const server = makeGitServer(POLICY);
    server.work.git(['checkout', '-q', '-b', 'feature/ok']);
    server.work.write('src/ok.ts', 'ok\n');
    const sha = server.work.commit('ok');
    const result = server.push(
      ['feature/ok', `${sha}:refs/heads/main`, `${sha}:refs/tags/v1`],
      as('dev'),
    );
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('refused refs/heads/main');
    expect(result.stderr).toContain('refused refs/tags/v1 (tag by dev)');
    expect(result.stderr).not.toContain('refused refs/heads/feature/ok');
    // All or nothing: the allowed ref was not updated either.
    expect(server.serverRef('refs/heads/feature/ok')).toBe('');
  });

  it('gives an unknown pusher no rights and refuses a missing pusher', () => {
    const server = makeGitServer(POLICY);
    server.work.write('README', 'x\n');
    server.work.commit('x');
    const unknown = server.push(['HEAD:refs/heads/feature/u'], as('mallory'));
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toContain(
      'mallory is not an identity this policy knows',
    );

    const missing = server.push(['HEAD:refs/heads/feature/u'], {
      env: { REMOTE_USER: '', GITWARDEN_PUSHER_VAR: 'GL_USER' },
    });
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain(
      'server misconfigured: the pusher variable GL_USER is not set',
    );

    const none = server.push(['HEAD:refs/heads/feature/u'], {
      env: { REMOTE_USER: '' },
    });
    expect(none.code).not.toBe(0);
    expect(none.stderr).toContain('server misconfigured');
  });

  it('fails closed when gitwarden cannot start', () => {
    const server = makeGitServer(POLICY);
    server.work.write('README', 'x\n');
    server.work.commit('x');
    const result = server.push(['HEAD:refs/heads/feature/x'], {
      env: { REMOTE_USER: 'olive', GITWARDEN: '/nonexistent/gitwarden' },
    });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('push refused (gitwarden exited 127)');
    expect(server.serverRef('refs/heads/feature/x')).toBe('');
  });

  it('lets only an owner override a refusal, with a reason, and records it', () => {
    const server = makeGitServer(POLICY);
    server.work.write('README', 'rewritten\n');
    server.work.git([
      'commit',
      '-q',
      '--amend',
      '-a',
      '-m',
      'rewrite\n\nAgent: none\nTask: GW-0',
    ]);
    const rewritten = server.work.git(['rev-parse', 'HEAD']);

    const plain = server.push(['--force', 'main'], as('olive'));
    expect(plain.code).not.toBe(0);
    expect(plain.stderr).toContain(
      'is denied by access.deny[0] (main is never rewritten)',
    );

    const dev = server.push(
      ['--force', '-o', 'gitwarden-override=incident 7', 'main'],
      as('dev'),
    );
    expect(dev.code).not.toBe(0);

    const empty = server.push(
      ['--force', '-o', 'gitwarden-override=', 'main'],
      as('olive'),
    );
    expect(empty.code).not.toBe(0);

    const owner = server.push(
      [
        '--force',
        '-o',
        'gitwarden-override=incident 7: revert leaked file',
        'main',
      ],
      as('olive'),
    );
    expect(owner.code).toBe(0);
    expect(owner.stderr).toContain('OVERRIDE refs/heads/main');
    expect(owner.stderr).toContain('"verdict":"overridden"');
    expect(owner.stderr).toContain('"reason":"incident 7: revert leaked file"');
    expect(server.serverRef('refs/heads/main')).toBe(rewritten);
  });

  it('judges by the policy before the push, never the pushed one', () => {
    const open = `${POLICY}  protected: { builtin: false }\n`;
    const server = makeGitServer(open);
    server.work.git(['checkout', '-q', '-b', 'feature/grant']);
    server.work.write(
      '.gitwarden/policy.yml',
      `${open}roles:\n  developer:\n    grants: [{ actions: ['*'] }]\n`,
    );
    server.work.commit('grant myself everything');
    expect(server.push(['feature/grant'], as('dev')).code).toBe(0);
    const main = server.push(['feature/grant:main'], as('dev'));
    expect(main.code).not.toBe(0);
    expect(main.stderr).toContain(
      'no grant of role developer allows push refs/heads/main',
    );
  });

  it('judges odd paths and refs by what they are', () => {
    const server = makeGitServer(POLICY);
    server.work.git(['checkout', '-q', '-b', 'feature/odd']);
    for (const name of ['-rf', 'a\nb', 'quo"te\'s', 'ünïcødé', ' lead space']) {
      server.work.write(`src/${name}`, 'x\n');
    }
    server.work.commit('odd names');
    const branch = 'feature/$(id);`id`|x&y>z';
    expect(server.push([`HEAD:refs/heads/${branch}`], as('dev')).code).toBe(0);
    expect(server.serverRef(`refs/heads/${branch}`)).not.toBe('');

    server.work.write('.github/workflows/-n\nx"é', 'x\n');
    server.work.commit('odd protected');
    const refused = server.push([`HEAD:refs/heads/${branch}`], as('dev'));
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain(
      JSON.stringify('.github/workflows/-n\nx"é'),
    );
  });
});

describe('pre-receive over smart HTTP on loopback', () => {
  it('takes the pusher from REMOTE_USER set by the web server', async () => {
    const server = makeGitServer(POLICY);
    const http = await serveHttp(dirname(server.bare.dir), {
      ...testGitEnv,
      GITWARDEN: GITWARDEN_COMMAND,
    });
    try {
      const repoUrl = (user: string) =>
        `${http.url.replace('http://', `http://${user}:secret@`)}/${basename(server.bare.dir)}`;
      server.work.git(['checkout', '-q', '-b', 'feature/web']);
      server.work.write('src/web.ts', 'web\n');
      const sha = server.work.commit('web');

      const ok = await server.pushAsync(['feature/web'], {
        url: repoUrl('dev'),
      });
      expect(ok.stderr).not.toContain('refused');
      expect(ok.code).toBe(0);
      expect(server.serverRef('refs/heads/feature/web')).toBe(sha);

      const main = await server.pushAsync(['feature/web:main'], {
        url: repoUrl('dev'),
      });
      expect(main.code).not.toBe(0);
      expect(main.stderr).toContain('refused refs/heads/main (push by dev)');

      const stranger = await server.pushAsync(
        ['feature/web:refs/heads/feature/z'],
        {
          url: repoUrl('stranger'),
        },
      );
      expect(stranger.code).not.toBe(0);
      expect(stranger.stderr).toContain('stranger is not an identity');
    } finally {
      await http.close();
    }
  });
});

describe('gitwarden hook pre-receive input', () => {
  it('refuses malformed lines and unknown objects, never passes them', () => {
    const server = makeGitServer(POLICY);
    const env = { REMOTE_USER: 'olive' };
    const zero = '0'.repeat(40);
    const cases = [
      'not a line at all\n',
      `${zero} ${zero}\n`,
      `${zero} ${'g'.repeat(40)} refs/heads/x\n`,
      `${zero} ${'1'.repeat(40)} refs/heads/x\n`,
      `${zero} ${'1'.repeat(40)} refs/heads/a b\n`,
      `${zero} ${'1'.repeat(40)} refs/heads/x extra\n`,
      `\n${zero} ${'1'.repeat(40)} refs/heads/x\n`,
    ];
    for (const input of cases) {
      const result = runCli(['hook', 'pre-receive'], {
        cwd: server.bare.dir,
        input,
        env,
      });
      expect(result.code, input).not.toBe(0);
      expect(result.stderr, input).toMatch(/gitwarden:/);
    }
    const empty = runCli(['hook', 'pre-receive'], {
      cwd: server.bare.dir,
      input: '',
      env,
    });
    expect(empty.code).toBe(0);
  });
});
