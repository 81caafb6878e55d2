import { callJson, type HttpPolicy, type JsonCall } from '../http/call-json.ts';
import { RemoteError } from '../http/remote-error.ts';
import type { SecretStore } from './remote-provider.ts';

export const DEFAULT_DOPPLER_API_URL = 'https://api.doppler.com';

/**
 * Doppler through its REST API v3 (plain fetch; the README lists the
 * exact endpoints): retrieve one secret, download a config's secrets as
 * JSON, and update secrets. A service token (Bearer) is scoped to one
 * project and config; project and config are still sent, as the API
 * reference shows, so a personal or CI token works as well.
 */
export interface DopplerOptions extends HttpPolicy {
  /** From the adapter (DOPPLER_TOKEN); never read here. */
  token: string;
  project: string;
  config: string;
  /** Default https://api.doppler.com. */
  apiUrl?: string;
}

interface DopplerErrorBody {
  messages?: string[];
}

export class DopplerClient {
  readonly #options: DopplerOptions;

  constructor(options: DopplerOptions) {
    if (!options.token) {
      throw new RemoteError({
        service: 'Doppler',
        action: 'authenticate',
        status: 401,
        detail: 'no token given',
        hint: 'Set DOPPLER_TOKEN (or the variable the policy names) for gitwarden.',
      });
    }
    this.#options = options;
  }

  get scope(): string {
    return `${this.#options.project}/${this.#options.config}`;
  }

  /** One secret's value (its computed value: references resolved). */
  async getSecret(name: string): Promise<string> {
    const { data } = await this.#call<{
      name?: string;
      value?: { raw?: string | null; computed?: string | null };
    }>({
      action: `read secret ${name} from ${this.scope}`,
      method: 'GET',
      path: '/v3/configs/config/secret',
      query: { name },
    });
    const value = data?.value?.computed ?? data?.value?.raw;
    if (typeof value !== 'string') {
      throw new RemoteError({
        service: 'Doppler',
        action: `read secret ${name} from ${this.scope}`,
        status: 404,
        detail: 'the secret has no value',
      });
    }
    return value;
  }

  /** Every secret of the config, name to value. */
  async download(): Promise<Record<string, string>> {
    const { data } = await this.#call<Record<string, unknown>>({
      action: `download the secrets of ${this.scope}`,
      method: 'GET',
      path: '/v3/configs/config/secrets/download',
      query: { format: 'json' },
    });
    const secrets: Record<string, string> = {};
    for (const [name, value] of Object.entries(data ?? {})) {
      if (typeof value === 'string') secrets[name] = value;
    }
    return secrets;
  }

  /** Creates or replaces secrets in one request: all change, or none. */
  async setSecrets(values: Record<string, string>): Promise<void> {
    const names = Object.keys(values).join(', ');
    await this.#call({
      action: `update secret ${names} in ${this.scope}`,
      method: 'POST',
      path: '/v3/configs/config/secrets',
      body: {
        project: this.#options.project,
        config: this.#options.config,
        secrets: values,
      },
    });
  }

  #call<T>(request: {
    action: string;
    method: JsonCall['method'];
    path: string;
    query?: Record<string, string>;
    body?: unknown;
  }) {
    const { token, project, config } = this.#options;
    const base = (this.#options.apiUrl ?? DEFAULT_DOPPLER_API_URL).replace(
      /\/+$/,
      '',
    );
    const query =
      request.method === 'GET'
        ? `?${new URLSearchParams({ project, config, ...request.query })}`
        : '';
    return callJson<T>(
      {
        service: 'Doppler',
        action: request.action,
        method: request.method,
        url: `${base}${request.path}${query}`,
        headers: { authorization: `Bearer ${token}` },
        body: request.body,
        describe: (body) =>
          (body as DopplerErrorBody | undefined)?.messages
            ?.join('; ')
            .slice(0, 300),
        hint: (status) =>
          status === 403
            ? `The Doppler token may not do this in ${project}/${config}; a service token is scoped to one config and is read-only unless created with write access.`
            : undefined,
      },
      this.#options,
    );
  }
}

/** Doppler as a SecretStore; a reference is the secret's name. */
export function dopplerStore(client: DopplerClient): SecretStore {
  return {
    type: 'doppler',
    describe: (name) => `Doppler ${client.scope} secret ${name}`,
    get: (name) => client.getSecret(name),
    set: (name, value) => client.setSecrets({ [name]: value }),
  };
}
