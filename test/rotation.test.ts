import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { createGitHubClient } from '../src/github/client.ts';
import { GitwardenError } from '../src/errors.ts';
import type { RotationEntry } from '../src/policy/providers.ts';
import {
  decodeValue,
  rotateSecret,
  type RotationRecord,
} from '../src/rotation/rotate.ts';
import { providerStore, rotationTarget } from '../src/rotation/targets.ts';
import {
  githubErrors,
  startFakeGitHub,
  type FakeGitHub,
} from './helpers/fake-github.ts';
import { startFakeVault, type FakeVault } from './helpers/fake-vault.ts';
import { startFakeDoppler, type FakeDoppler } from './helpers/fake-doppler.ts';
import { useSecretRegistry } from './helpers/secret-registry.ts';

const secrets = useSecretRegistry();
let github: FakeGitHub;
let vault: FakeVault;
let doppler: FakeDoppler;

beforeEach(async () => {
  [github, vault, doppler] = await Promise.all([
    startFakeGitHub(),
    startFakeVault(),
    startFakeDoppler(),
  ]);
});
afterEach(() =>
  Promise.all([github.close(), vault.close(), doppler.close()]).then(() => {}),
);

const document = () => ({
  providers: {
    sources: {
      vault: { type: 'vault' as const, address: vault.url },
      doppler: {
        type: 'doppler' as const,
        project: doppler.project,
        config: doppler.config,
        apiUrl: doppler.url,
      },
    },
  },
});

function context(tokens: Record<string, string> = {}) {
  return {
    document: document(),
    github: {
      client: createGitHubClient({
        token: github.token,
        baseUrl: github.url,
        secondMs: 5,
      }),
      owner: 'acme',
      repo: 'api',
    },
    token: (name: string): string | undefined =>
      ({ VAULT_TOKEN: vault.token, DOPPLER_TOKEN: doppler.token, ...tokens })[
        name
      ],
    http: { secondMs: 5, timeoutMs: 500 },
  };
}

// The generator prints what the test put in NEW_VALUE, plus a newline.
const printValue = 'printf "%s\\n" "$NEW_VALUE"';

async function rotate(
  name: string,
  entry: RotationEntry,
  value: string,
  tokens: Record<string, string> = {},
) {
  const records: RotationRecord[] = [];
  const run = rotateSecret({
    name,
    entry,
    target: rotationTarget(name, entry, context(tokens)),
    cwd: process.cwd(),
    env: { PATH: process.env.PATH, NEW_VALUE: value },
    record: (record) => {
      records.push(record);
      secrets.watch(JSON.stringify(record), 'rotation record');
    },
  });
  const error = await run.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (error) secrets.watchError(error);
  return { records, error: error as GitwardenError | undefined };
}

describe('secrets rotate', () => {
  it('generates, checks and stores a GitHub Actions secret', async () => {
    const value = secrets.make('deploy token');
    const { records, error } = await rotate(
      'DEPLOY_TOKEN',
      {
        generator: printValue,
        // The check gets the value on stdin and in GITWARDEN_NEW_SECRET.
        check: 'test "$(cat)" = "$GITWARDEN_NEW_SECRET"',
        store: { github: 'repository' },
      },
      value,
    );
    expect(error).toBeUndefined();
    expect(github.storedValue('repo:acme/api', 'DEPLOY_TOKEN')).toBe(value);
    expect(records).toMatchObject([
      {
        type: 'secret.rotation',
        secret: 'DEPLOY_TOKEN',
        outcome: 'rotated',
        checked: true,
        target: { type: 'github', description: 'repository acme/api' },
      },
    ]);
  });

  it('stores in an environment, in Vault and in Doppler', async () => {
    const env = secrets.make('environment');
    const inVault = secrets.make('vault');
    const inDoppler = secrets.make('doppler');
    const entry = (store: RotationEntry['store']) => ({
      generator: printValue,
      store,
    });
    await rotate(
      'DB',
      entry({ github: 'environment', environment: 'prod' }),
      env,
    );
    await rotate(
      'DB',
      entry({ provider: 'vault', key: 'apps/db#password' }),
      inVault,
    );
    await rotate('DB', entry({ provider: 'doppler' }), inDoppler);
    expect(github.storedValue('env:acme/api/prod', 'DB')).toBe(env);
    expect(vault.kv('secret', 'apps/db')).toEqual({ password: inVault });
    expect(doppler.secrets.get('DB')).toBe(inDoppler);
  });

  it('stops on a failing generator and says the old value stays', async () => {
    const { records, error } = await rotate(
      'X',
      {
        generator: 'echo "cannot reach the API" >&2; exit 3',
        store: { github: 'repository' },
      },
      secrets.make(),
    );
    expect(error?.code).toBe('COMMAND_FAILED');
    expect(error?.message).toContain('generator for X failed: exit code 3');
    expect(error?.message).toContain('cannot reach the API');
    expect(error?.hint).toContain(
      'X in repository acme/api still holds its old value',
    );
    expect(records[0]).toMatchObject({
      outcome: 'failed',
      failedAt: 'generate',
    });
    expect(github.server.requests.filter((r) => r.method === 'PUT')).toEqual(
      [],
    );
  });

  it('refuses a generator that prints nothing, or only a newline', async () => {
    for (const generator of ['true', 'echo']) {
      const { error } = await rotate(
        'X',
        { generator, store: { github: 'repository' } },
        secrets.make(),
      );
      expect(error?.message).toContain('printed nothing');
    }
  });

  it('reports a generator that does not exist or hangs', async () => {
    const missing = await rotate(
      'X',
      { generator: ['./no-such-generator'], store: { github: 'repository' } },
      secrets.make(),
    );
    expect(missing.error?.message).toContain('could not start (ENOENT)');
    const hung = await rotate(
      'X',
      {
        generator: 'sleep 10',
        timeoutSeconds: 1,
        store: { github: 'repository' },
      },
      secrets.make(),
    );
    expect(hung.error?.message).toContain('no result within 1 s');
  });

  it('keeps the old value when the new one fails its check', async () => {
    vault.putKv('secret', 'api', { value: 'the-old-one' });
    const value = secrets.make('unchecked');
    const { records, error } = await rotate(
      'API',
      {
        generator: printValue,
        // A check that echoes what it got: gitwarden must redact it.
        check: 'echo "rejected: $GITWARDEN_NEW_SECRET" >&2; exit 1',
        store: { provider: 'vault', key: 'api' },
      },
      value,
    );
    expect(error?.message).toContain('failed its check: exit code 1');
    expect(error?.message).toContain('rejected: [redacted]');
    expect(error?.hint).toContain('revoke');
    expect(vault.kv('secret', 'api')).toEqual({ value: 'the-old-one' });
    expect(records[0]).toMatchObject({ outcome: 'failed', failedAt: 'check' });
  });

  it('says what to do when the store refuses the new value', async () => {
    github.server.fail({
      method: 'PUT',
      reply: githubErrors.forbidden('secrets=write'),
    });
    const { records, error } = await rotate(
      'DEPLOY_TOKEN',
      { generator: printValue, store: { github: 'repository' } },
      secrets.make('never stored'),
    );
    expect(error?.code).toBe('REMOTE_FORBIDDEN');
    expect(error?.message).toContain('was generated but could not be stored');
    expect(error?.message).toContain('secrets=write');
    expect(error?.hint).toContain('still holds its old value');
    expect(records[0]).toMatchObject({ outcome: 'failed', failedAt: 'store' });
    expect(github.storedValue('repo:acme/api', 'DEPLOY_TOKEN')).toBeUndefined();
  });

  it('reports a wrong provider token and an unreachable provider', async () => {
    const wrong = await rotate(
      'X',
      { generator: printValue, store: { provider: 'doppler' } },
      secrets.make(),
      { DOPPLER_TOKEN: 'dp.st.wrong' },
    );
    expect(wrong.error?.code).toBe('REMOTE_UNAUTHORIZED');
    expect(wrong.error?.message).toContain('Invalid Auth token');
    expect(doppler.secrets.has('X')).toBe(false);
    await doppler.close();
    const gone = await rotate(
      'X',
      { generator: printValue, store: { provider: 'doppler' } },
      secrets.make(),
    );
    expect(gone.error?.code).toBe('REMOTE_UNREACHABLE');
    expect(gone.error?.message).toContain('Doppler: cannot update secret X');
    doppler = await startFakeDoppler();
  });

  it('refuses an unknown provider and a GitHub store without a repository', () => {
    expect(() => providerStore('nope', context())).toThrow(
      /unknown provider "nope" \(providers.sources defines: env, vault, doppler\)/,
    );
    expect(() =>
      rotationTarget(
        'X',
        { generator: 'true', store: { github: 'repository' } },
        { ...context(), github: undefined },
      ),
    ).toThrow(/no GitHub repository and token/);
  });

  it('needs the provider token', () => {
    expect(() =>
      providerStore('vault', { ...context(), token: () => undefined }),
    ).toThrow(/no token given/);
  });
});

describe('generator output', () => {
  it('drops exactly one trailing line ending', () => {
    expect(decodeValue(Buffer.from('abc\n'))).toBe('abc');
    expect(decodeValue(Buffer.from('abc\r\n'))).toBe('abc');
    expect(decodeValue(Buffer.from('abc\n\n'))).toBe('abc\n');
    expect(decodeValue(Buffer.from(' abc '))).toBe(' abc ');
    const pem = '-----BEGIN KEY-----\nAAAA\n-----END KEY-----\n';
    expect(decodeValue(Buffer.from(pem))).toBe(pem.slice(0, -1));
  });

  it('refuses bytes that are not text', () => {
    expect(decodeValue(Buffer.from([0xff, 0xfe, 0x00]))).toBeUndefined();
    expect(decodeValue(Buffer.from('a\0b'))).toBeUndefined();
  });
});
