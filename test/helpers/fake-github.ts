import type { components } from '@octokit/openapi-types';
import sodium from 'libsodium-wrappers';

import {
  startLoopback,
  type LoopbackRequest,
  type LoopbackServer,
  type Reply,
} from './loopback.ts';

type Schemas = components['schemas'];
type ActionsSecret = Schemas['actions-secret'];
type OrgSecret = Schemas['organization-actions-secret'];
type PublicKey = Schemas['actions-public-key'];
type BasicError = Schemas['basic-error'];

/**
 * A loopback GitHub REST API for tests, answering with the response shapes
 * of GitHub's OpenAPI description (typed by @octokit/openapi-types). It
 * checks the token, pages lists with Link headers, sends rate-limit
 * headers, and keeps Actions secrets for repositories, environments and
 * organizations; stored values are opened with the scope's private key so
 * a test can check what gitwarden sealed.
 *
 * Add endpoints with `fake.server.route(...)`, script failures with
 * `fake.server.fail({ path, reply: githubErrors.forbidden('x=read') })`.
 */
export interface FakeGitHub {
  url: string;
  token: string;
  server: LoopbackServer;
  /** Adds a secret with the given timestamps (ISO strings). */
  addSecret(scope: string, name: string, times?: SecretTimes): void;
  addEnvironment(ownerRepo: string, name: string): void;
  /** The plain value last stored for a secret, opened by the fake. */
  storedValue(scope: string, name: string): string | undefined;
  secretNames(scope: string): string[];
  close(): Promise<void>;
}

export interface SecretTimes {
  createdAt?: string;
  updatedAt?: string;
}

interface StoredSecret {
  created_at: string;
  updated_at: string;
  value?: string;
  visibility?: OrgSecret['visibility'];
}

interface Scope {
  keyId: string;
  keys: { publicKey: Uint8Array; privateKey: Uint8Array };
  secrets: Map<string, StoredSecret>;
}

export const githubErrors = {
  unauthorized: (): Reply => error(401, 'Bad credentials'),
  /** 403 for a token without a permission, as Apps and fine-grained tokens see it. */
  forbidden: (permission: string): Reply => ({
    ...error(403, 'Resource not accessible by integration'),
    headers: { 'x-accepted-github-permissions': permission },
  }),
  notFound: (): Reply => error(404, 'Not Found'),
  unprocessable: (message: string): Reply => error(422, message),
  serverError: (status = 502): Reply => error(status, 'Server Error'),
  /** Primary limit: remaining 0 and a reset time `resetInSeconds` away. */
  rateLimited: (resetInSeconds = 1): Reply => ({
    ...error(403, 'API rate limit exceeded for installation.'),
    headers: {
      'x-ratelimit-limit': '5000',
      'x-ratelimit-remaining': '0',
      'x-ratelimit-used': '5000',
      'x-ratelimit-reset': String(
        Math.floor(Date.now() / 1000) + resetInSeconds,
      ),
    },
  }),
  secondaryRateLimited: (retryAfterSeconds = 1): Reply => ({
    ...error(
      403,
      'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.',
    ),
    headers: { 'retry-after': String(retryAfterSeconds) },
  }),
  slow: (delayMs: number): Reply => ({ delayMs, body: {} }),
};

function error(status: number, message: string): Reply {
  const body: BasicError = {
    message,
    documentation_url: 'https://docs.github.com/rest',
    status: String(status),
  };
  return { status, body };
}

const epoch = '2026-01-01T00:00:00Z';

export async function startFakeGitHub(
  options: {
    token?: string;
    /** '/api/v3' to stand in for GitHub Enterprise Server. */
    pathPrefix?: string;
  } = {},
): Promise<FakeGitHub> {
  await sodium.ready;
  const loopback = await startLoopback();
  const prefix = options.pathPrefix ?? '';
  // Routes are declared without the prefix; GHES serves them under it.
  const server: LoopbackServer = {
    ...loopback,
    route: (method, pattern, handler) =>
      loopback.route(method, `${prefix}${pattern}`, handler),
  };
  const token =
    options.token ?? `fake-gh-${Math.random().toString(36).slice(2)}`;
  const scopes = new Map<string, Scope>();
  const environments = new Map<string, string[]>();
  let remaining = 5000;

  const scopeOf = (key: string): Scope => {
    let scope = scopes.get(key);
    if (!scope) {
      scope = {
        keyId: String(3380204578043523366n + BigInt(scopes.size)),
        keys: sodium.crypto_box_keypair(),
        secrets: new Map(),
      };
      scopes.set(key, scope);
    }
    return scope;
  };

  server.guard((request) => {
    const auth = request.headers.authorization ?? '';
    const given = auth.replace(/^(token|bearer)\s+/i, '');
    return given === token ? undefined : githubErrors.unauthorized();
  });
  server.decorate(() => ({
    'x-ratelimit-limit': '5000',
    'x-ratelimit-remaining': String(Math.max(0, --remaining)),
    'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 3600),
    'x-ratelimit-resource': 'core',
    'x-github-api-version-selected': '2022-11-28',
  }));

  // The three secret scopes share one shape; only the path prefix differs.
  const prefixes: [string, (p: Record<string, string>) => string][] = [
    [
      '/repos/{owner}/{repo}/actions/secrets',
      (p) => `repo:${p.owner}/${p.repo}`,
    ],
    [
      '/repos/{owner}/{repo}/environments/{environment}/secrets',
      (p) => `env:${p.owner}/${p.repo}/${p.environment}`,
    ],
    ['/orgs/{org}/actions/secrets', (p) => `org:${p.org}`],
  ];
  for (const [base, keyOf] of prefixes) {
    const isOrg = base.startsWith('/orgs');
    server.route('GET', base, (request, params) => {
      const scope = scopes.get(keyOf(params));
      const list = [...(scope?.secrets ?? new Map()).entries()].map(
        ([name, secret]) => describe(name, secret, isOrg),
      );
      return paginate(server.url, request, list, 'secrets');
    });
    server.route('GET', `${base}/public-key`, (_request, params) => {
      const scope = scopeOf(keyOf(params));
      const body: PublicKey = {
        key_id: scope.keyId,
        key: sodium.to_base64(
          scope.keys.publicKey,
          sodium.base64_variants.ORIGINAL,
        ),
      };
      return { body };
    });
    server.route('GET', `${base}/{name}`, (_request, params) => {
      const secret = scopes.get(keyOf(params))?.secrets.get(params.name!);
      if (!secret) return githubErrors.notFound();
      return { body: describe(params.name!, secret, isOrg) };
    });
    server.route('PUT', `${base}/{name}`, (request, params) => {
      const scope = scopeOf(keyOf(params));
      return putSecret(scope, params.name!, request, isOrg);
    });
  }

  server.route(
    'GET',
    '/repos/{owner}/{repo}/actions/organization-secrets',
    (request, params) => {
      // GitHub lists the organization's secrets visible to this repository;
      // the fake treats every organization secret as visible.
      const scope = scopes.get(`org:${params.owner}`);
      const list = [...(scope?.secrets ?? new Map()).entries()].map(
        ([name, secret]) => describe(name, secret, false),
      );
      return paginate(server.url, request, list, 'secrets');
    },
  );

  server.route(
    'GET',
    '/repos/{owner}/{repo}/environments',
    (request, params) => {
      const names = environments.get(`${params.owner}/${params.repo}`) ?? [];
      const list = names.map((name, id) => ({
        id: id + 1,
        node_id: `EN_${id + 1}`,
        name,
        url: `${server.url}/repos/${params.owner}/${params.repo}/environments/${name}`,
        html_url: `https://github.com/${params.owner}/${params.repo}/deployments/activity_log?environments_filter=${name}`,
        created_at: epoch,
        updated_at: epoch,
      }));
      return paginate(server.url, request, list, 'environments');
    },
  );

  return {
    url: `${server.url}${prefix}`,
    token,
    server,
    addSecret(scope, name, times = {}) {
      scopeOf(scope).secrets.set(name, {
        created_at: times.createdAt ?? times.updatedAt ?? epoch,
        updated_at: times.updatedAt ?? times.createdAt ?? epoch,
        visibility: 'private',
      });
    },
    addEnvironment(ownerRepo, name) {
      environments.set(ownerRepo, [
        ...(environments.get(ownerRepo) ?? []),
        name,
      ]);
    },
    storedValue(scope, name) {
      return scopes.get(scope)?.secrets.get(name)?.value;
    },
    secretNames(scope) {
      return [...(scopes.get(scope)?.secrets.keys() ?? [])];
    },
    close: () => server.close(),
  };
}

function describe(
  name: string,
  secret: StoredSecret,
  isOrg: boolean,
): ActionsSecret | OrgSecret {
  const base: ActionsSecret = {
    name,
    created_at: secret.created_at,
    updated_at: secret.updated_at,
  };
  return isOrg ? { ...base, visibility: secret.visibility ?? 'private' } : base;
}

function putSecret(
  scope: Scope,
  name: string,
  request: LoopbackRequest,
  isOrg: boolean,
): Reply {
  const body = request.json<{
    encrypted_value?: string;
    key_id?: string;
    visibility?: OrgSecret['visibility'];
  }>();
  if (!body?.encrypted_value || !body.key_id) {
    return githubErrors.unprocessable(
      'Invalid request.\n\nencrypted_value and key_id are required.',
    );
  }
  if (body.key_id !== scope.keyId) {
    return githubErrors.unprocessable(
      'Bad key_id: the public key has changed.',
    );
  }
  if (isOrg && !body.visibility) {
    return githubErrors.unprocessable(
      'Invalid request.\n\n"visibility" wasn\'t supplied.',
    );
  }
  let value: string;
  try {
    const opened = sodium.crypto_box_seal_open(
      sodium.from_base64(body.encrypted_value, sodium.base64_variants.ORIGINAL),
      scope.keys.publicKey,
      scope.keys.privateKey,
    );
    value = sodium.to_string(opened);
  } catch {
    return githubErrors.unprocessable('Could not decrypt the secret value.');
  }
  const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  const existing = scope.secrets.get(name);
  scope.secrets.set(name, {
    created_at: existing?.created_at ?? now,
    updated_at: now,
    value,
    visibility: body.visibility ?? existing?.visibility,
  });
  // GitHub answers 201 for a new secret and 204 for a replaced one.
  return { status: existing ? 204 : 201, body: existing ? undefined : {} };
}

/**
 * GitHub's list pagination: per_page (default 30, at most 100) and page,
 * a `total_count`, and a Link header with next/last/first/prev.
 */
function paginate<T>(
  baseUrl: string,
  request: LoopbackRequest,
  items: T[],
  key: string,
): Reply {
  const perPage = Math.min(
    100,
    Number(request.query.get('per_page') ?? 30) || 30,
  );
  const page = Math.max(1, Number(request.query.get('page') ?? 1) || 1);
  const last = Math.max(1, Math.ceil(items.length / perPage));
  const link = (n: number) => {
    const query = new URLSearchParams(request.query);
    query.set('page', String(n));
    return `<${baseUrl}${request.path}?${query}>`;
  };
  const links: string[] = [];
  if (page < last)
    links.push(`${link(page + 1)}; rel="next"`, `${link(last)}; rel="last"`);
  if (page > 1)
    links.push(`${link(1)}; rel="first"`, `${link(page - 1)}; rel="prev"`);
  return {
    headers: links.length ? { link: links.join(', ') } : {},
    body: {
      total_count: items.length,
      [key]: items.slice((page - 1) * perPage, page * perPage),
    },
  };
}
