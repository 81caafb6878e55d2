import { startLoopback, type LoopbackServer, type Reply } from './loopback.ts';

/**
 * A loopback Doppler speaking the documented REST API v3 for what
 * gitwarden uses: retrieve a secret, download secrets as JSON, update
 * secrets. It checks the Bearer token and the project/config the token is
 * scoped to, and takes scripted faults through `fake.server.fail(...)`.
 */
export interface FakeDoppler {
  url: string;
  token: string;
  project: string;
  config: string;
  server: LoopbackServer;
  secrets: Map<string, string>;
  close(): Promise<void>;
}

export const dopplerErrors = {
  forbidden: (): Reply => ({
    status: 403,
    body: {
      messages: ['You do not have access to this config'],
      success: false,
    },
  }),
  rateLimited: (retryAfterSeconds = 1): Reply => ({
    status: 429,
    headers: { 'retry-after': String(retryAfterSeconds) },
    body: { messages: ['Rate limit exceeded'], success: false },
  }),
  serverError: (status = 500): Reply => ({
    status,
    body: { messages: ['Internal error'], success: false },
  }),
  slow: (delayMs: number): Reply => ({ delayMs, body: {} }),
};

export async function startFakeDoppler(
  options: { token?: string; project?: string; config?: string } = {},
): Promise<FakeDoppler> {
  const server = await startLoopback();
  const token =
    options.token ?? `dp.st.fake${Math.random().toString(36).slice(2)}`;
  const project = options.project ?? 'api';
  const config = options.config ?? 'prd';
  const secrets = new Map<string, string>();

  server.guard((request) => {
    if (request.headers.authorization !== `Bearer ${token}`) {
      return {
        status: 401,
        body: { messages: ['Invalid Auth token'], success: false },
      };
    }
    const scope =
      request.method === 'GET'
        ? {
            project: request.query.get('project'),
            config: request.query.get('config'),
          }
        : request.json<{ project?: string; config?: string }>();
    if (scope?.project !== project || scope.config !== config) {
      return dopplerErrors.forbidden();
    }
    return undefined;
  });

  server.route('GET', '/v3/configs/config/secret', (request) => {
    const name = request.query.get('name') ?? '';
    const value = secrets.get(name);
    if (value === undefined) {
      return {
        status: 404,
        body: {
          messages: [`Could not find requested secret: ${name}`],
          success: false,
        },
      };
    }
    return {
      body: {
        success: true,
        name,
        value: { raw: value, computed: value, note: '' },
      },
    };
  });

  server.route('GET', '/v3/configs/config/secrets/download', (request) => {
    if (request.query.get('format') !== 'json') {
      return {
        status: 400,
        body: { messages: ['Unsupported format'], success: false },
      };
    }
    return { body: Object.fromEntries(secrets) };
  });

  server.route('POST', '/v3/configs/config/secrets', (request) => {
    const body = request.json<{ secrets?: Record<string, unknown> }>();
    const entries = Object.entries(body?.secrets ?? {});
    if (!entries.length || entries.some(([, v]) => typeof v !== 'string')) {
      return {
        status: 400,
        body: { messages: ['Invalid secrets'], success: false },
      };
    }
    for (const [name, value] of entries) secrets.set(name, value as string);
    return {
      body: {
        success: true,
        secrets: Object.fromEntries(
          entries.map(([name, value]) => [
            name,
            { raw: value, computed: value, note: '' },
          ]),
        ),
      },
    };
  });

  return {
    url: server.url,
    token,
    project,
    config,
    server,
    secrets,
    close: () => server.close(),
  };
}
