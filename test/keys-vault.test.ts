import { verify } from 'node:crypto';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { RemoteError } from '../src/http/remote-error.ts';
import { VaultClient, vaultSigner, vaultStore } from '../src/keys/vault.ts';
import {
  rawPublicKey,
  startFakeVault,
  vaultErrors,
  type FakeVault,
} from './helpers/fake-vault.ts';
import { useSecretRegistry } from './helpers/secret-registry.ts';

const secrets = useSecretRegistry();
let vault: FakeVault;

beforeEach(async () => {
  vault = await startFakeVault();
});
afterEach(() => vault.close());

function client(options: { token?: string; address?: string } = {}) {
  return new VaultClient({
    address: options.address ?? vault.url,
    token: options.token ?? vault.token,
    namespace: 'team-a',
    timeoutMs: 300,
    secondMs: 5,
  });
}

async function failure(promise: Promise<unknown>): Promise<RemoteError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(RemoteError);
  secrets.watchError(error);
  return error as RemoteError;
}

describe('Vault KV v2', () => {
  it('reads a field of a secret with the token and namespace headers', async () => {
    const value = secrets.make('kv value');
    vault.putKv('secret', 'apps/api', { value, other: 'kept' });
    expect(await vaultStore(client()).get('apps/api')).toBe(value);
    const [request] = vault.server.requests;
    expect(request!.path).toBe('/v1/secret/data/apps/api');
    expect(request!.headers['x-vault-token']).toBe(vault.token);
    expect(request!.headers['x-vault-namespace']).toBe('team-a');
  });

  it('reads a named field', async () => {
    const value = secrets.make('password');
    vault.putKv('secret', 'db', { password: value });
    expect(await vaultStore(client()).get('db#password')).toBe(value);
  });

  it('says when the secret or the field does not exist', async () => {
    const missing = await failure(vaultStore(client()).get('nope'));
    expect(missing.code).toBe('REMOTE_NOT_FOUND');
    expect(missing.message).toContain('read KV secret secret/nope');
    vault.putKv('secret', 'db', { user: 'app' });
    const noField = await failure(vaultStore(client()).get('db#password'));
    expect(noField.message).toContain('no text field "password"');
  });

  it('writes a new version, keeping the other fields, with check-and-set', async () => {
    vault.putKv('secret', 'db', { user: 'app', password: 'old-one' });
    const value = secrets.make('new password');
    await vaultStore(client()).set('db#password', value);
    expect(vault.kv('secret', 'db')).toEqual({ user: 'app', password: value });
    const write = vault.server.requests.find((r) => r.method === 'POST')!;
    expect(write.json()).toMatchObject({ options: { cas: 1 } });
    expect(vault.kvVersion('secret', 'db')).toBe(2);
  });

  it('creates a secret that does not exist yet', async () => {
    const value = secrets.make('first value');
    await vaultStore(client()).set('fresh', value);
    expect(vault.kv('secret', 'fresh')).toEqual({ value });
  });

  it('refuses to overwrite a change made meanwhile', async () => {
    vault.putKv('secret', 'db', { password: 'v1' });
    // Someone writes between gitwarden's read and its write.
    const store = vaultStore(client());
    const original = vault.server.requests.length;
    vault.server.fail({
      method: 'POST',
      reply: {
        status: 400,
        body: {
          errors: ['check-and-set parameter did not match the current version'],
        },
      },
    });
    const error = await failure(store.set('db#password', secrets.make('x')));
    expect(error.code).toBe('REMOTE_REJECTED');
    expect(error.message).toContain('check-and-set');
    expect(vault.server.requests.length).toBe(original + 2);
  });
});

describe('Vault errors', () => {
  it('reports a wrong token as a refusal with a hint', async () => {
    const error = await failure(
      vaultStore(client({ token: 'wrong' })).get('x'),
    );
    expect(error.code).toBe('REMOTE_FORBIDDEN');
    expect(error.message).toContain('permission denied');
    expect(error.hint).toContain('token');
  });

  it('does not retry a sealed Vault and says how to fix it', async () => {
    vault.sealed = true;
    const error = await failure(vaultStore(client()).get('x'));
    expect(error.message).toContain('HTTP 503 (Vault is sealed)');
    expect(error.hint).toContain('unseal');
    expect(vault.server.requests).toHaveLength(1);
  });

  it('waits out a 429 and retries', async () => {
    vault.putKv('secret', 'x', { value: secrets.make() });
    vault.server.fail({ reply: vaultErrors.rateLimited(1) });
    await vaultStore(client()).get('x');
    expect(vault.server.requests).toHaveLength(2);
  });

  it('retries a 5xx a bounded number of times', async () => {
    vault.server.fail({ times: 10, reply: vaultErrors.serverError(502) });
    const error = await failure(vaultStore(client()).get('x'));
    expect(error.code).toBe('REMOTE_UNREACHABLE');
    expect(vault.server.requests).toHaveLength(4);
  });

  it('times out a Vault that does not answer', async () => {
    vault.server.fail({ times: 10, reply: vaultErrors.slow(2_000) });
    const error = await failure(vaultStore(client()).get('x'));
    expect(error.code).toBe('REMOTE_UNREACHABLE');
    expect(error.message).toContain('no answer within 300 ms');
  });

  it('reports an unreachable Vault', async () => {
    const address = vault.url;
    await vault.close();
    const error = await failure(vaultStore(client({ address })).get('x'));
    expect(error.message).toMatch(/Vault: cannot read .*: no answer/);
    vault = await startFakeVault();
  });

  it('refuses to start without a token', () => {
    let error: unknown;
    try {
      client({ token: '' });
    } catch (e) {
      error = e;
    }
    expect((error as RemoteError).code).toBe('REMOTE_UNAUTHORIZED');
    expect((error as RemoteError).hint).toContain('VAULT_TOKEN');
  });
});

describe('Vault Transit signing', () => {
  it('signs with the Ed25519 key that stays in Vault', async () => {
    const publicKey = vault.createTransitKey('transit', 'ledger');
    const signer = vaultSigner(client(), 'ledger');
    const message = new TextEncoder().encode('{"record":1}');

    const signature = await signer.sign(message);
    expect(signature).toHaveLength(64);
    expect(verify(null, message, publicKey, signature)).toBe(true);
    expect(Buffer.from(await signer.publicKey())).toEqual(
      rawPublicKey(publicKey),
    );

    const sign = vault.server.requests.find((r) => r.method === 'POST')!;
    expect(sign.path).toBe('/v1/transit/sign/ledger');
    expect(sign.json()).toEqual({
      input: Buffer.from(message).toString('base64'),
    });
  });

  it('reports a missing Transit key', async () => {
    const error = await failure(
      vaultSigner(client(), 'absent').sign(new Uint8Array([1])),
    );
    expect(error.message).toContain('signing key not found');
  });
});
