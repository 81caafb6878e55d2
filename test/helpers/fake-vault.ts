import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';

import { startLoopback, type LoopbackServer, type Reply } from './loopback.ts';

/**
 * A loopback HashiCorp Vault speaking the documented HTTP API v1 for what
 * gitwarden uses: KV v2 (read, write with check-and-set) and Transit
 * Ed25519 keys (read key, sign). It checks X-Vault-Token, can be sealed,
 * and takes scripted faults through `fake.server.fail(...)`.
 */
export interface FakeVault {
  url: string;
  token: string;
  server: LoopbackServer;
  sealed: boolean;
  /** Puts a KV v2 secret (a new version) at mount/path. */
  putKv(mount: string, path: string, data: Record<string, unknown>): void;
  kv(mount: string, path: string): Record<string, unknown> | undefined;
  kvVersion(mount: string, path: string): number;
  /** Creates a Transit Ed25519 key; returns its public key object. */
  createTransitKey(mount: string, name: string): KeyObject;
  close(): Promise<void>;
}

export const vaultErrors = {
  permissionDenied: (): Reply => ({
    status: 403,
    body: { errors: ['1 error occurred:\n\t* permission denied\n\n'] },
  }),
  sealed: (): Reply => ({ status: 503, body: { errors: ['Vault is sealed'] } }),
  serverError: (status = 500): Reply => ({
    status,
    body: { errors: ['internal error'] },
  }),
  rateLimited: (retryAfterSeconds = 1): Reply => ({
    status: 429,
    headers: { 'retry-after': String(retryAfterSeconds) },
    body: { errors: ['request path "kv/": rate limit quota exceeded'] },
  }),
  slow: (delayMs: number): Reply => ({ delayMs, body: {} }),
};

export async function startFakeVault(
  options: { token?: string } = {},
): Promise<FakeVault> {
  const server = await startLoopback();
  const token =
    options.token ?? `hvs.fake${Math.random().toString(36).slice(2)}`;
  const kv = new Map<
    string,
    { data: Record<string, unknown>; created: string }[]
  >();
  const transit = new Map<
    string,
    { privateKey: KeyObject; publicKey: KeyObject; created: string }
  >();
  const state = { sealed: false };

  server.guard((request) => {
    if (state.sealed) return vaultErrors.sealed();
    if (request.headers['x-vault-token'] !== token) {
      return vaultErrors.permissionDenied();
    }
    return undefined;
  });

  const now = () => new Date().toISOString();
  const envelope = (data: unknown) => ({
    request_id: '00000000-0000-0000-0000-000000000000',
    lease_id: '',
    renewable: false,
    lease_duration: 0,
    data,
    wrap_info: null,
    warnings: null,
    auth: null,
  });
  const metadata = (version: number, created: string) => ({
    created_time: created,
    custom_metadata: null,
    deletion_time: '',
    destroyed: false,
    version,
  });

  server.route(
    'GET',
    '/v1/{mount}/data/{path+}',
    (request, { mount, path }) => {
      const versions = kv.get(`${mount}/${path}`);
      const wanted =
        Number(request.query.get('version') ?? 0) || versions?.length;
      const entry = versions?.[(wanted ?? 0) - 1];
      if (!versions || !entry) return { status: 404, body: { errors: [] } };
      return {
        body: envelope({
          data: entry.data,
          metadata: metadata(wanted!, entry.created),
        }),
      };
    },
  );

  server.route(
    'POST',
    '/v1/{mount}/data/{path+}',
    (request, { mount, path }) => {
      const body = request.json<{
        data?: Record<string, unknown>;
        options?: { cas?: number };
      }>();
      if (!body?.data) {
        return { status: 400, body: { errors: ['no data provided'] } };
      }
      const key = `${mount}/${path}`;
      const versions = kv.get(key) ?? [];
      const cas = body.options?.cas;
      if (cas !== undefined && cas !== versions.length) {
        return {
          status: 400,
          body: {
            errors: [
              'check-and-set parameter did not match the current version',
            ],
          },
        };
      }
      const created = now();
      versions.push({ data: body.data, created });
      kv.set(key, versions);
      return { body: envelope(metadata(versions.length, created)) };
    },
  );

  server.route(
    'GET',
    '/v1/{mount}/keys/{name}',
    (_request, { mount, name }) => {
      const key = transit.get(`${mount}/${name}`);
      if (!key) return { status: 404, body: { errors: [] } };
      const raw = rawPublicKey(key.publicKey);
      return {
        body: envelope({
          name,
          type: 'ed25519',
          latest_version: 1,
          min_decryption_version: 1,
          min_encryption_version: 0,
          deletion_allowed: false,
          derived: false,
          exportable: false,
          supports_signing: true,
          supports_encryption: false,
          supports_decryption: false,
          supports_derivation: true,
          keys: {
            '1': {
              name: 'ed25519',
              public_key: raw.toString('base64'),
              creation_time: key.created,
            },
          },
        }),
      };
    },
  );

  server.route(
    'POST',
    '/v1/{mount}/sign/{name}',
    (request, { mount, name }) => {
      const key = transit.get(`${mount}/${name}`);
      if (!key)
        return { status: 400, body: { errors: ['signing key not found'] } };
      const input = request.json<{ input?: string }>()?.input;
      if (typeof input !== 'string') {
        return { status: 400, body: { errors: ['missing input to process'] } };
      }
      const signature = sign(
        null,
        Buffer.from(input, 'base64'),
        key.privateKey,
      );
      return {
        body: envelope({
          signature: `vault:v1:${signature.toString('base64')}`,
          key_version: 1,
        }),
      };
    },
  );

  return {
    url: server.url,
    token,
    server,
    get sealed() {
      return state.sealed;
    },
    set sealed(value: boolean) {
      state.sealed = value;
    },
    putKv(mount, path, data) {
      const key = `${mount}/${path}`;
      kv.set(key, [...(kv.get(key) ?? []), { data, created: now() }]);
    },
    kv(mount, path) {
      return kv.get(`${mount}/${path}`)?.at(-1)?.data;
    },
    kvVersion(mount, path) {
      return kv.get(`${mount}/${path}`)?.length ?? 0;
    },
    createTransitKey(mount, name) {
      const { privateKey, publicKey } = generateKeyPairSync('ed25519');
      transit.set(`${mount}/${name}`, {
        privateKey,
        publicKey,
        created: now(),
      });
      return publicKey;
    },
    close: () => server.close(),
  };
}

/** The 32 raw bytes of an Ed25519 public key (Vault's public_key). */
export function rawPublicKey(key: KeyObject): Buffer {
  const jwk = key.export({ format: 'jwk' });
  return Buffer.from(jwk.x!, 'base64url');
}
