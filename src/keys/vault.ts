import { callJson, type HttpPolicy, type JsonCall } from '../http/call-json.ts';
import { RemoteError } from '../http/remote-error.ts';
import type { RemoteSigner, SecretStore } from './remote-provider.ts';

/**
 * HashiCorp Vault over its HTTP API v1 (plain fetch; the README lists the
 * exact endpoints):
 * - KV secrets engine version 2 for values:
 *   GET/POST /v1/<kv mount>/data/<path>
 * - Transit secrets engine for Ed25519 signing, so the private key never
 *   leaves Vault: POST /v1/<transit mount>/sign/<key>,
 *   GET /v1/<transit mount>/keys/<key> for the public key.
 */
export interface VaultOptions extends HttpPolicy {
  /** e.g. https://vault.example.com:8200 (VAULT_ADDR). */
  address: string;
  /** From the adapter (VAULT_TOKEN); never read here. */
  token: string;
  /** Vault Enterprise / HCP namespace (X-Vault-Namespace). */
  namespace?: string;
  /** KV v2 mount (default "secret"). */
  kvMount?: string;
  /** Transit mount (default "transit"). */
  transitMount?: string;
}

interface VaultErrorBody {
  errors?: string[];
}

interface KvReadBody {
  data: {
    data: Record<string, unknown> | null;
    metadata: { version: number; created_time: string; destroyed?: boolean };
  };
}

export interface KvSecret {
  data: Record<string, unknown>;
  version: number;
  createdTime: string;
}

export class VaultClient {
  readonly #options: VaultOptions;

  constructor(options: VaultOptions) {
    if (!options.token) {
      throw new RemoteError({
        service: 'Vault',
        action: 'authenticate',
        status: 401,
        detail: 'no token given',
        hint: 'Set VAULT_TOKEN (or the variable the policy names) for gitwarden.',
      });
    }
    this.#options = options;
  }

  /** Reads a KV v2 secret (latest, or a given version). */
  async readKv(path: string, version?: number): Promise<KvSecret> {
    const query = version === undefined ? '' : `?version=${version}`;
    const { data } = await this.#call<KvReadBody>({
      action: `read KV secret ${this.#kvPath(path)}`,
      method: 'GET',
      path: `${this.#kvMount()}/data/${encodePath(path)}${query}`,
    });
    const payload = data?.data?.data;
    if (!payload) {
      // A deleted or destroyed version answers 404 with metadata; a
      // proxy may answer 200 with nothing: both mean "no value here".
      throw this.#notFound(`read KV secret ${this.#kvPath(path)}`);
    }
    return {
      data: payload,
      version: data.data.metadata.version,
      createdTime: data.data.metadata.created_time,
    };
  }

  /**
   * Writes a KV v2 secret. With cas, Vault refuses the write unless the
   * current version is cas (0: only if it does not exist yet).
   */
  async writeKv(
    path: string,
    values: Record<string, unknown>,
    cas?: number,
  ): Promise<number> {
    const { data } = await this.#call<{ data: { version: number } }>({
      action: `write KV secret ${this.#kvPath(path)}`,
      method: 'POST',
      path: `${this.#kvMount()}/data/${encodePath(path)}`,
      body: {
        data: values,
        ...(cas === undefined ? {} : { options: { cas } }),
      },
    });
    return data.data.version;
  }

  /** The raw Ed25519 public key of a Transit key's latest version. */
  async transitPublicKey(key: string): Promise<Uint8Array> {
    const action = `read the public key of Transit key ${key}`;
    const { data } = await this.#call<{
      data: {
        type: string;
        latest_version: number;
        keys: Record<string, { public_key?: string }>;
      };
    }>({
      action,
      method: 'GET',
      path: `${this.#transitMount()}/keys/${encodeURIComponent(key)}`,
    });
    const info = data.data;
    const latest = info.keys[String(info.latest_version)]?.public_key;
    if (info.type !== 'ed25519' || !latest) {
      throw new RemoteError({
        service: 'Vault',
        action,
        status: 422,
        detail: `key type is ${info.type}, expected ed25519`,
        hint: `Create it with: vault write ${this.#transitMount()}/keys/${key} type=ed25519`,
      });
    }
    return Buffer.from(latest, 'base64');
  }

  /** Signs with a Transit Ed25519 key; returns the raw 64-byte signature. */
  async transitSign(key: string, message: Uint8Array): Promise<Uint8Array> {
    const action = `sign with Transit key ${key}`;
    const { data } = await this.#call<{ data: { signature: string } }>({
      action,
      method: 'POST',
      path: `${this.#transitMount()}/sign/${encodeURIComponent(key)}`,
      body: { input: Buffer.from(message).toString('base64') },
    });
    // "vault:v<key version>:<base64 signature>"
    const match = /^vault:v\d+:(.+)$/.exec(data?.data?.signature ?? '');
    const signature = match ? Buffer.from(match[1]!, 'base64') : undefined;
    if (!signature || signature.length !== 64) {
      throw new RemoteError({
        service: 'Vault',
        action,
        status: 502,
        detail: 'the answer holds no Ed25519 signature',
      });
    }
    return new Uint8Array(signature);
  }

  /** Where KV v2 is mounted, for messages. */
  get kvMountPath(): string {
    return this.#kvMount();
  }

  #kvMount() {
    return trimSlashes(this.#options.kvMount ?? 'secret');
  }

  #transitMount() {
    return trimSlashes(this.#options.transitMount ?? 'transit');
  }

  #kvPath(path: string) {
    return `${this.#kvMount()}/${trimSlashes(path)}`;
  }

  #notFound(action: string) {
    return new RemoteError({
      service: 'Vault',
      action,
      status: 404,
      detail: 'no such secret',
    });
  }

  #call<T>(request: {
    action: string;
    method: JsonCall['method'];
    path: string;
    body?: unknown;
  }) {
    const { address, token, namespace } = this.#options;
    return callJson<T>(
      {
        service: 'Vault',
        action: request.action,
        method: request.method,
        url: `${address.replace(/\/+$/, '')}/v1/${request.path}`,
        headers: {
          'x-vault-token': token,
          ...(namespace ? { 'x-vault-namespace': namespace } : {}),
          // Asks Vault to answer a standby node's request itself.
          'x-vault-request': 'true',
        },
        body: request.body,
        describe: vaultErrors,
        // A sealed Vault stays sealed until an operator unseals it.
        permanent: (status, body) => status === 503 && isSealed(body),
        hint: (status, body) => {
          if (status === 503 && isSealed(body)) {
            return 'Vault is sealed: an operator must unseal it (vault operator unseal) before gitwarden can read or sign.';
          }
          if (status === 403) {
            return `The Vault token was refused or its policy does not allow this path; check the token and its policy (${request.path}).`;
          }
          return undefined;
        },
      },
      this.#options,
    );
  }
}

function vaultErrors(body: unknown): string | undefined {
  const errors = (body as VaultErrorBody | undefined)?.errors;
  return errors?.length ? errors.join('; ').slice(0, 300) : undefined;
}

function isSealed(body: unknown): boolean {
  return (
    (body as VaultErrorBody | undefined)?.errors?.some((e) =>
      /sealed/i.test(e),
    ) ?? false
  );
}

function encodePath(path: string): string {
  return trimSlashes(path).split('/').map(encodeURIComponent).join('/');
}

function trimSlashes(value: string): string {
  return value.replace(/^\/+|\/+$/g, '');
}

/**
 * Vault KV v2 as a SecretStore. A reference is "<path>" or "<path>#<field>"
 * (field "value" by default). A write keeps the secret's other fields and
 * uses check-and-set, so a change made meanwhile is never overwritten.
 */
export function vaultStore(client: VaultClient): SecretStore {
  const mount = client.kvMountPath;
  const split = (reference: string) => {
    const [path, field = 'value'] = reference.split('#');
    return { path: path!, field };
  };
  return {
    type: 'vault',
    describe: (reference) => {
      const { path, field } = split(reference);
      return `Vault KV ${mount}/${trimSlashes(path)} field ${field}`;
    },
    async get(reference) {
      const { path, field } = split(reference);
      const secret = await client.readKv(path);
      const value = secret.data[field];
      if (typeof value !== 'string') {
        throw new RemoteError({
          service: 'Vault',
          action: `read KV secret ${mount}/${trimSlashes(path)}`,
          status: 404,
          detail: `it has no text field "${field}"`,
        });
      }
      return value;
    },
    async updatedAt(reference) {
      const { path } = split(reference);
      try {
        return new Date((await client.readKv(path)).createdTime);
      } catch (error) {
        if (error instanceof RemoteError && error.status === 404)
          return undefined;
        throw error;
      }
    },
    async set(reference, value) {
      const { path, field } = split(reference);
      let current: KvSecret | undefined;
      try {
        current = await client.readKv(path);
      } catch (error) {
        if (!(error instanceof RemoteError && error.status === 404))
          throw error;
      }
      await client.writeKv(
        path,
        { ...current?.data, [field]: value },
        current?.version ?? 0,
      );
    },
  };
}

/** A Transit key as a signer: the private key never leaves Vault. */
export function vaultSigner(client: VaultClient, key: string): RemoteSigner {
  return {
    algorithm: 'ed25519',
    publicKey: () => client.transitPublicKey(key),
    sign: (data) => client.transitSign(key, data),
  };
}
