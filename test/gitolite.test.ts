import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { AccessEngine } from '../src/access/engine.ts';
import { findIdentity } from '../src/access/identity.ts';
import { parsePolicy } from '../src/policy/parse.ts';
import { resolveAccess, type Action } from '../src/policy/roles.ts';
import { cleanupTempDirs, tempDir } from './helpers/repo.ts';

/**
 * gitwarden beside gitolite, the reference for ref permissions. The same
 * rules are written in both languages; every scenario row is asked of
 * `gitolite access` and of gitwarden's engine. Rows marked `differs` are
 * where the semantics differ on purpose (README "Roles"), and the test
 * checks they still differ in the documented direction.
 */
const GITOLITE_CONF = `
repo gitolite-admin
    RW+ = admin
repo r
    RW+                             = olive
    RW  refs/heads/main$            = ada
    RW  refs/tags/v                 = ada
    -   refs/heads/feature/secret$  = dev
    RW+ refs/heads/feature/         = dev ada
    -   refs/heads/feature/late$    = dev
    RW+ refs/heads/agent/           = bot
`;

const GITWARDEN_POLICY = `
identities:
  olive: { logins: [olive], roles: [o] }
  ada: { logins: [ada], roles: [a] }
  dev: { logins: [dev], roles: [d] }
  bot: { logins: [bot], roles: [b] }
access:
  protected: { builtin: false }
roles:
  o: { grants: [{ actions: ['*'] }] }
  a:
    grants:
      - { actions: [push, create], refs: [main] }
      - { actions: [tag], refs: ['refs/tags/v*'] }
      - { actions: [push, create, force-push, delete], refs: ['feature/**'] }
  d:
    grants:
      - { actions: [push, create, force-push, delete], refs: ['feature/**'] }
    deny:
      - { actions: [push, create, force-push, delete], refs: [feature/secret] }
      - { actions: [push, create, force-push, delete], refs: [feature/late] }
  b:
    grants:
      - { actions: [push, create, force-push, delete], refs: ['agent/**'] }
`;

interface Row {
  who: string;
  ref: string;
  action: Action;
  /** Why gitwarden answers differently from gitolite, when it does. */
  differs?: string;
}

export const SCENARIOS: Row[] = [
  { who: 'olive', ref: 'refs/heads/main', action: 'push' },
  { who: 'olive', ref: 'refs/heads/main', action: 'force-push' },
  { who: 'olive', ref: 'refs/heads/main', action: 'delete' },
  { who: 'olive', ref: 'refs/tags/v1.0', action: 'tag' },
  { who: 'ada', ref: 'refs/heads/main', action: 'push' },
  { who: 'ada', ref: 'refs/heads/main', action: 'force-push' },
  { who: 'ada', ref: 'refs/heads/main', action: 'delete' },
  { who: 'ada', ref: 'refs/tags/v2', action: 'tag' },
  { who: 'ada', ref: 'refs/tags/x2', action: 'tag' },
  { who: 'ada', ref: 'refs/heads/feature/a', action: 'force-push' },
  { who: 'dev', ref: 'refs/heads/main', action: 'push' },
  { who: 'dev', ref: 'refs/heads/feature/a', action: 'create' },
  { who: 'dev', ref: 'refs/heads/feature/a/b', action: 'push' },
  { who: 'dev', ref: 'refs/heads/feature/a', action: 'force-push' },
  { who: 'dev', ref: 'refs/heads/feature/a', action: 'delete' },
  { who: 'dev', ref: 'refs/heads/feature/secret', action: 'push' },
  { who: 'dev', ref: 'refs/heads/other', action: 'create' },
  { who: 'dev', ref: 'refs/tags/v1', action: 'tag' },
  { who: 'bot', ref: 'refs/heads/agent/x', action: 'force-push' },
  { who: 'bot', ref: 'refs/heads/feature/x', action: 'push' },
  { who: 'bot', ref: 'refs/heads/main', action: 'push' },
  { who: 'mallory', ref: 'refs/heads/feature/a', action: 'push' },
  { who: 'mallory', ref: 'refs/heads/main', action: 'force-push' },
  {
    who: 'dev',
    ref: 'refs/heads/feature/late',
    action: 'push',
    differs:
      'gitolite stops at the first rule that matches, so a deny written after an allow never applies; in gitwarden a deny always wins',
  },
];

/** gitolite's permission letter for a gitwarden ref action. */
function perm(action: Action): string {
  // No rule uses C or D, so W creates and + deletes, as gitolite documents.
  return action === 'force-push' || action === 'delete' ? '+' : 'W';
}

let home: string;

beforeAll(() => {
  home = tempDir('gitwarden-gitolite-');
  const env = { ...process.env, HOME: home };
  const setup = spawnSync('gitolite', ['setup', '-a', 'admin'], {
    env,
    encoding: 'utf8',
  });
  expect(setup.status, setup.stderr).toBe(0);
  writeFileSync(
    join(home, '.gitolite', 'conf', 'gitolite.conf'),
    GITOLITE_CONF,
  );
  const compile = spawnSync('gitolite', ['compile'], { env, encoding: 'utf8' });
  expect(compile.status, compile.stderr).toBe(0);
});
afterAll(cleanupTempDirs);

function gitoliteAllows(row: Row): boolean {
  const result = spawnSync(
    'gitolite',
    ['access', '-q', 'r', row.who, perm(row.action), row.ref],
    { env: { ...process.env, HOME: home }, encoding: 'utf8' },
  );
  if (result.status !== 0 && result.status !== 1) {
    throw new Error(`gitolite access failed: ${result.stderr}`);
  }
  return result.status === 0;
}

describe('gitwarden and gitolite agree on ref permissions', () => {
  const access = resolveAccess(
    parsePolicy(GITWARDEN_POLICY, { kind: 'file', path: 'policy.yml' })
      .document,
  );
  const engine = new AccessEngine(access);
  const gitwardenAllows = (row: Row) =>
    engine.decide(findIdentity(access, row.who, 'test'), {
      action: row.action,
      ref: row.ref,
    }).allowed;

  it.each(SCENARIOS.filter((row) => !row.differs))(
    '$who $action $ref',
    (row) => {
      expect(gitwardenAllows(row)).toBe(gitoliteAllows(row));
    },
  );

  it.each(SCENARIOS.filter((row) => row.differs))(
    'differs on purpose: $who $action $ref',
    (row) => {
      expect(gitoliteAllows(row)).toBe(true);
      expect(gitwardenAllows(row)).toBe(false);
    },
  );
});
