import { afterAll, describe, expect, it } from 'vitest';

import { AccessEngine } from '../src/access/engine.ts';
import { findIdentity } from '../src/access/identity.ts';
import { parsePolicy } from '../src/policy/parse.ts';
import { resolveAccess } from '../src/policy/roles.ts';
import { mergeWithBase } from '../src/policy/roles-merge.ts';
import { cleanupTempDirs, makeRepo, runCli } from './helpers/repo.ts';

afterAll(cleanupTempDirs);

function engineFor(yaml: string) {
  const policy = parsePolicy(yaml, { kind: 'file', path: 'policy.yml' });
  const access = resolveAccess(policy.document);
  const engine = new AccessEngine(access);
  const as = (login: string) => findIdentity(access, login, 'test');
  return { engine, as, access, policy };
}

const POLICY = `
identities:
  olive: { logins: [olive], roles: [owner] }
  ada: { logins: [ada], roles: [admin] }
  dev: { logins: [dev], roles: [developer], emails: [Dev@Example.com] }
  bot: { github: Bot-Account, roles: [agent] }
  vic: { logins: [vic], roles: [viewer] }
  nobody: { logins: [nobody] }
roles:
  docs-writer:
    extends: [viewer]
    grants:
      - actions: [push, modify]
        refs: [main]
        paths: ['docs/**', '!docs/private/**']
  restricted-dev:
    extends: [developer]
    deny:
      - actions: [modify]
        paths: ['secrets/**']
access:
  deny:
    - actions: [force-push, delete]
      refs: [main]
      except: [owner]
commands:
  deploy: { roles: [admin] }
  /git:cp: { roles: [developer] }
`;

describe('the role engine', () => {
  const { engine, as } = engineFor(POLICY);
  const ok = (who: string, action: string, ref?: string, extra = {}) =>
    engine.decide(as(who), { action: action as never, ref, ...extra }).allowed;

  it('applies the built-in roles', () => {
    expect(ok('dev', 'push', 'refs/heads/feature/x')).toBe(true);
    expect(ok('dev', 'push', 'refs/heads/main')).toBe(false);
    expect(ok('dev', 'tag', 'refs/tags/v1')).toBe(false);
    expect(ok('ada', 'tag', 'refs/tags/v1')).toBe(true);
    expect(ok('ada', 'push', 'refs/heads/main')).toBe(true);
    expect(ok('bot', 'create', 'refs/heads/agent/fix')).toBe(true);
    expect(ok('bot', 'create', 'refs/heads/feature/fix')).toBe(false);
    expect(ok('vic', 'push', 'refs/heads/feature/x')).toBe(false);
    expect(ok('olive', 'force-push', 'refs/heads/main')).toBe(true);
  });

  it('lets a deny win over any grant, whatever the order', () => {
    const verdict = engine.decide(as('ada'), {
      action: 'force-push',
      ref: 'refs/heads/main',
    });
    expect(verdict.allowed).toBe(false);
    expect(verdict.rule?.id).toBe('access.deny[0]');
    // owner is excepted from that deny and holds '*'.
    expect(ok('olive', 'delete', 'refs/heads/main')).toBe(true);
  });

  it('protects the policy, workflows and hooks for owner and admin only', () => {
    const modify = (who: string, path: string) =>
      engine.decide(as(who), {
        action: 'modify',
        ref: 'refs/heads/feature/x',
        path,
      });
    expect(modify('dev', '.gitwarden/policy.yml').rule?.id).toBe(
      'access.protected',
    );
    expect(modify('dev', '.github/workflows/ci.yml').allowed).toBe(false);
    expect(modify('dev', '.husky/pre-push').allowed).toBe(false);
    expect(modify('dev', '.github/CODEOWNERS').allowed).toBe(true);
    expect(modify('ada', '.github/workflows/ci.yml').allowed).toBe(true);
    expect(modify('dev', 'src/a.ts').allowed).toBe(true);
  });

  it('gives an unknown identity, and one with no role, no rights', () => {
    const unknown = engine.decide(as('mallory'), {
      action: 'push',
      ref: 'refs/heads/x',
    });
    expect(unknown).toMatchObject({ allowed: false, rule: undefined });
    expect(unknown.reason).toMatch(/mallory is not an identity/);
    expect(
      engine.decide(as('nobody'), { action: 'push', ref: 'refs/heads/x' })
        .reason,
    ).toMatch(/holds no role/);
  });

  it('finds identities by login, case-blind GitHub login and email', () => {
    const { access } = engineFor(POLICY);
    expect(findIdentity(access, 'bot-account', 'x').name).toBe('bot');
    expect(findIdentity(access, 'dev@example.COM', 'x').name).toBe('dev');
    expect(findIdentity(access, 'DEV', 'x').name).toBeUndefined();
  });

  it('matches paths with ! negation and inherited role denies', () => {
    const yaml = POLICY.replace(
      'identities:\n',
      'identities:\n  writer: { logins: [writer], roles: [docs-writer] }\n  rd: { logins: [rd], roles: [restricted-dev] }\n',
    );
    const { engine: e, as: who } = engineFor(yaml);
    const modify = (id: string, ref: string, path: string) =>
      e.decide(who(id), { action: 'modify', ref, path }).allowed;
    expect(modify('writer', 'refs/heads/main', 'docs/a.md')).toBe(true);
    expect(modify('writer', 'refs/heads/main', 'docs/private/a.md')).toBe(
      false,
    );
    expect(modify('writer', 'refs/heads/main', 'src/a.ts')).toBe(false);
    expect(modify('rd', 'refs/heads/feature/x', 'src/a.ts')).toBe(true);
    expect(modify('rd', 'refs/heads/feature/x', 'secrets/key')).toBe(false);
  });

  it('matches case-insensitively only when asked', () => {
    const protectedYaml = POLICY.replace(
      'access:\n',
      "access:\n  protected: { paths: ['infra/**'] }\n",
    );
    const plain = engineFor(protectedYaml);
    const path = {
      action: 'modify' as const,
      ref: 'refs/heads/feature/x',
      path: 'INFRA/main.tf',
    };
    expect(plain.engine.decide(plain.as('dev'), path).allowed).toBe(true);
    const folded = engineFor(
      protectedYaml.replace(
        'access:\n',
        'access:\n  caseInsensitivePaths: true\n',
      ),
    );
    expect(folded.engine.decide(folded.as('dev'), path).allowed).toBe(false);
  });

  it('grants sensitive commands by role, literally', () => {
    const run = (who: string, command: string) =>
      engine.decide(as(who), { action: 'run', command }).allowed;
    expect(run('ada', 'deploy')).toBe(true);
    expect(run('dev', 'deploy')).toBe(false);
    expect(run('dev', '/git:cp')).toBe(true);
    expect(run('dev', '/git:cpx')).toBe(false);
    expect(run('olive', 'anything')).toBe(true);
  });

  it('says "not configured" until a policy names identities', () => {
    expect(engineFor('version: 1\n').access.configured).toBe(false);
    expect(engineFor(POLICY).access.configured).toBe(true);
  });
});

describe('validating the roles sections', () => {
  const parse = (yaml: string) => () =>
    parsePolicy(yaml, { kind: 'file', path: 'p.yml' });

  it('names unknown roles, cycles, bad globs and bad keys with line and field', () => {
    expect(parse('identities:\n  a: { roles: [wizard] }\n')).toThrow(
      /p\.yml:2:\d+: identities\.a\.roles\[0\]: unknown role 'wizard'/,
    );
    expect(
      parse('roles:\n  x: { extends: [y] }\n  y: { extends: [x] }\n'),
    ).toThrow(/cycle: x -> y -> x/);
    expect(
      parse(
        "roles:\n  x:\n    grants: [{ actions: [push], refs: ['main['] }]\n",
      ),
    ).toThrow(/roles\.x\.grants\[0\]\.refs\[0\]: expected a valid glob/);
    expect(
      parse("identities:\n  a: { signingKeys: ['ssh-ed25519 AAAA\\nb x'] }\n"),
    ).toThrow(/signingKeys\[0\]: expected an SSH public key/);
    expect(parse('roles:\n  x:\n    grants: [{ actions: [fly] }]\n')).toThrow(
      /actions\[0\]/,
    );
    expect(
      parse('identities:\n  a: { logins: [x] }\n  b: { logins: [x] }\n'),
    ).toThrow(/already claimed by identity a/);
  });

  it('warns about rules that contradict each other', () => {
    const policy = parsePolicy(
      `roles:
  dev2:
    grants: [{ actions: [push], refs: [main] }, { actions: [push], paths: [src/**] }]
    deny: [{ actions: [push, modify], refs: [main] }]
access:
  deny: [{ actions: ['*'], refs: [main], except: [owner] }]
`,
      { kind: 'file', path: 'p.yml' },
    );
    expect(policy.warnings).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /roles\.dev2\.grants\[0\] is contradicted by roles\.dev2\.deny\[0\]/,
        ),
        expect.stringMatching(
          /roles\.dev2\.grants\[0\] is contradicted by access\.deny\[0\]/,
        ),
        expect.stringMatching(
          /roles\.dev2\.grants\[1\] lists paths but not the modify action/,
        ),
      ]),
    );
  });
});

describe('extending a base policy', () => {
  it('keeps every base deny and narrows who may change protected paths', () => {
    const base = parsePolicy(
      `access:
  deny: [{ actions: [force-push], refs: [main] }]
  protected: { roles: [owner] }
roles:
  developer:
    requireSigned: true
    deny: [{ actions: [modify], paths: [secrets/**] }]
`,
      { kind: 'file', path: 'base.yml' },
    ).document;
    const local = parsePolicy(
      `identities:
  d: { logins: [d], roles: [developer] }
  a: { logins: [a], roles: [admin] }
roles:
  developer:
    grants: [{ actions: ['*'] }]
access:
  protected: { builtin: false, roles: [owner, admin] }
`,
      { kind: 'file', path: 'local.yml' },
    ).document;
    const access = resolveAccess(mergeWithBase(base, local));
    const engine = new AccessEngine(access);
    const who = (login: string) => findIdentity(access, login, 'test');
    expect(
      engine.decide(who('d'), { action: 'push', ref: 'refs/heads/main' })
        .allowed,
    ).toBe(true);
    expect(
      engine.decide(who('d'), { action: 'force-push', ref: 'refs/heads/main' })
        .allowed,
    ).toBe(false);
    expect(
      engine.decide(who('d'), {
        action: 'modify',
        ref: 'refs/heads/x',
        path: 'secrets/k',
      }).allowed,
    ).toBe(false);
    // builtin protection stays on, and admin was not added back.
    expect(
      engine.decide(who('a'), {
        action: 'modify',
        ref: 'refs/heads/x',
        path: '.gitwarden/policy.yml',
      }).allowed,
    ).toBe(false);
    expect(access.roles.get('developer')?.requireSigned).toBe(true);
  });

  it('reads a vendored base from the same revision and refuses a missing one', () => {
    const repo = makeRepo();
    repo.write(
      'org/base.yml',
      'access:\n  deny: [{ actions: [delete], refs: ["**"] }]\n',
    );
    repo.write(
      '.gitwarden/policy.yml',
      'extends: { path: org/base.yml }\nidentities:\n  o: { logins: [o], roles: [owner] }\n',
    );
    repo.commit('policy');
    const explained = runCli(
      ['explain', '--as', 'o', '--action', 'delete', '--ref', 'feature'],
      { cwd: repo.dir },
    );
    expect(explained.code).toBe(1);
    expect(explained.stdout).toContain('policy: ');
    expect(explained.stdout).toContain('org/base.yml <- ');
    expect(explained.stdout).toContain('is denied by access.deny[0]');

    repo.git(['rm', '-q', 'org/base.yml']);
    repo.commit('drop base');
    const missing = runCli(['explain', '--as', 'o', '--ref', 'main'], {
      cwd: repo.dir,
    });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(
      'the base policy org/base.yml named by extends is not in',
    );
  });

  it('fetches a base from another repository and ref', () => {
    const org = makeRepo();
    org.write(
      '.gitwarden/policy.yml',
      'access:\n  deny: [{ actions: [tag], refs: ["refs/tags/**"] }]\n',
    );
    org.commit('org policy');
    const repo = makeRepo();
    repo.write(
      '.gitwarden/policy.yml',
      `extends: { repo: ${JSON.stringify(org.dir)}, ref: main }\nidentities:\n  o: { logins: [o], roles: [owner] }\n`,
    );
    repo.commit('policy');
    const result = runCli(
      [
        'explain',
        '--as',
        'o',
        '--action',
        'tag',
        '--ref',
        'refs/tags/v1',
        '--json',
      ],
      { cwd: repo.dir },
    );
    expect(result.code).toBe(1);
    const out = JSON.parse(result.stdout);
    expect(out.results[0]).toMatchObject({
      allowed: false,
      rule: 'access.deny[0]',
    });
    expect(out.policy[0]).toContain(`${org.dir}@main`);
  });
});
