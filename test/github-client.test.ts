import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { createGitHubClient, type GitHubClient } from '../src/github/client.ts';
import {
  listSecrets,
  putSecret,
  type SecretScope,
} from '../src/github/actions-secrets.ts';
import { RemoteError } from '../src/http/remote-error.ts';
import {
  githubErrors,
  startFakeGitHub,
  type FakeGitHub,
} from './helpers/fake-github.ts';
import { useSecretRegistry } from './helpers/secret-registry.ts';

const repo: SecretScope = { kind: 'repository', owner: 'acme', repo: 'api' };
const secrets = useSecretRegistry();

let fake: FakeGitHub;
let client: GitHubClient;

function makeClient(options: { token?: string; url?: string } = {}) {
  return createGitHubClient({
    token: options.token ?? fake.token,
    baseUrl: options.url ?? fake.url,
    // One "second" of back-off or Retry-After lasts 5 ms here.
    secondMs: 5,
    timeoutMs: 300,
  });
}

beforeEach(async () => {
  fake = await startFakeGitHub();
  client = makeClient();
});
afterEach(() => fake.close());

async function failure(promise: Promise<unknown>): Promise<RemoteError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(RemoteError);
  secrets.watchError(error);
  return error as RemoteError;
}

const secretRequests = () =>
  fake.server.requests.filter((r) => r.path.endsWith('/actions/secrets'));

describe('GitHub client', () => {
  it('follows Link headers through every page', async () => {
    for (let i = 0; i < 250; i++) fake.addSecret('repo:acme/api', `S_${i}`);
    const list = await listSecrets(client, repo);
    expect(list.map((s) => s.name)).toEqual(
      Array.from({ length: 250 }, (_, i) => `S_${i}`),
    );
    expect(secretRequests().map((r) => r.query.get('page') ?? '1')).toEqual([
      '1',
      '2',
      '3',
    ]);
    expect(secretRequests()[0]!.query.get('per_page')).toBe('100');
  });

  it('sends the token and the API version GitHub documents', async () => {
    await listSecrets(client, repo);
    const [request] = fake.server.requests;
    expect(request!.headers.authorization).toBe(`token ${fake.token}`);
    expect(request!.headers['user-agent']).toMatch(/^gitwarden/);
  });

  it('retries a 5xx and succeeds', async () => {
    fake.addSecret('repo:acme/api', 'ONE');
    fake.server.fail({ times: 2, reply: githubErrors.serverError(502) });
    expect(await listSecrets(client, repo)).toHaveLength(1);
    expect(secretRequests()).toHaveLength(3);
  });

  it('gives up after bounded retries of a 5xx with a clear error', async () => {
    fake.server.fail({ times: 100, reply: githubErrors.serverError(503) });
    const error = await failure(listSecrets(client, repo));
    expect(error.code).toBe('REMOTE_UNREACHABLE');
    expect(error.message).toContain('HTTP 503');
    expect(error.message).toContain('list the secrets of repository acme/api');
    expect(secretRequests()).toHaveLength(4);
  });

  it('reports a wrong token without retrying', async () => {
    client = makeClient({ token: 'not-the-token' });
    const error = await failure(listSecrets(client, repo));
    expect(error.code).toBe('REMOTE_UNAUTHORIZED');
    expect(error.exitCode).toBe(2);
    expect(error.message).toContain('HTTP 401 (Bad credentials)');
    expect(fake.server.requests).toHaveLength(1);
  });

  it('names the permission GitHub says is missing', async () => {
    fake.server.fail({ reply: githubErrors.forbidden('secrets=read') });
    const error = await failure(listSecrets(client, repo));
    expect(error.code).toBe('REMOTE_FORBIDDEN');
    expect(error.missingPermission).toBe('secrets=read');
    expect(error.message).toContain('lacks the permission secrets=read');
  });

  it('lists alternative permission sets', async () => {
    fake.server.fail({
      reply: githubErrors.forbidden('secrets=read; organization_secrets=read'),
    });
    const error = await failure(listSecrets(client, repo));
    expect(error.missingPermission).toBe(
      'secrets=read or organization_secrets=read',
    );
  });

  it('reports 404 and 422 as such', async () => {
    fake.server.fail({ reply: githubErrors.notFound() });
    expect((await failure(listSecrets(client, repo))).code).toBe(
      'REMOTE_NOT_FOUND',
    );
    fake.server.fail({
      method: 'PUT',
      reply: githubErrors.unprocessable('Secret names must be unique'),
    });
    const error = await failure(
      putSecret(client, repo, 'X', secrets.make('value')),
    );
    expect(error.code).toBe('REMOTE_REJECTED');
    expect(error.message).toContain('Secret names must be unique');
  });

  it('waits out a secondary rate limit as Retry-After asks', async () => {
    fake.addSecret('repo:acme/api', 'ONE');
    fake.server.fail({ reply: githubErrors.secondaryRateLimited(2) });
    expect(await listSecrets(client, repo)).toHaveLength(1);
    expect(secretRequests()).toHaveLength(2);
  });

  it('stops after a bounded number of primary rate-limit waits', async () => {
    fake.server.fail({ times: 100, reply: githubErrors.rateLimited(1) });
    const error = await failure(listSecrets(client, repo));
    expect(error.code).toBe('REMOTE_UNREACHABLE');
    expect(error.message).toContain('rate limited');
    // The first try and two waits.
    expect(secretRequests()).toHaveLength(3);
  });

  it('times out a slow answer, retries, and succeeds', async () => {
    fake.addSecret('repo:acme/api', 'ONE');
    fake.server.fail({ reply: githubErrors.slow(2_000) });
    expect(await listSecrets(client, repo)).toHaveLength(1);
    expect(secretRequests()).toHaveLength(2);
  });

  it('says so when the server never answers in time', async () => {
    fake.server.fail({ times: 10, reply: githubErrors.slow(2_000) });
    const error = await failure(listSecrets(client, repo));
    expect(error.code).toBe('REMOTE_UNREACHABLE');
    expect(error.message).toMatch(/no answer|timeout|aborted/i);
  });

  it('reports an unreachable server', async () => {
    const url = fake.url;
    await fake.close();
    client = makeClient({ url });
    const error = await failure(listSecrets(client, repo));
    expect(error.code).toBe('REMOTE_UNREACHABLE');
    expect(error.message).toContain('no answer');
    fake = await startFakeGitHub();
  });

  it('talks to GitHub Enterprise Server under /api/v3', async () => {
    await fake.close();
    fake = await startFakeGitHub({ pathPrefix: '/api/v3' });
    fake.addSecret('repo:acme/api', 'GHES_ONE');
    const list = await listSecrets(makeClient(), repo);
    expect(list.map((s) => s.name)).toEqual(['GHES_ONE']);
    expect(fake.server.requests[0]!.path).toBe(
      '/api/v3/repos/acme/api/actions/secrets',
    );
  });
});

describe('Actions secrets', () => {
  it('seals the value to the repository key; GitHub can open it', async () => {
    const value = secrets.make('repository value');
    expect(await putSecret(client, repo, 'DEPLOY', value)).toBe('created');
    expect(fake.storedValue('repo:acme/api', 'DEPLOY')).toBe(value);
    expect(await putSecret(client, repo, 'DEPLOY', value)).toBe('updated');
    const put = fake.server.requests.find((r) => r.method === 'PUT')!;
    expect(put.body).not.toContain(value);
    expect(Object.keys(put.json<object>()).sort()).toEqual([
      'encrypted_value',
      'key_id',
    ]);
  });

  it('stores environment and organization secrets', async () => {
    const envValue = secrets.make('environment value');
    const orgValue = secrets.make('organization value');
    await putSecret(
      client,
      { kind: 'environment', owner: 'acme', repo: 'api', environment: 'prod' },
      'DB',
      envValue,
    );
    await putSecret(
      client,
      { kind: 'organization', org: 'acme' },
      'NPM',
      orgValue,
    );
    expect(fake.storedValue('env:acme/api/prod', 'DB')).toBe(envValue);
    expect(fake.storedValue('org:acme', 'NPM')).toBe(orgValue);
  });

  it('lists created and updated times', async () => {
    fake.addSecret('env:acme/api/prod', 'OLD', {
      createdAt: '2025-01-01T00:00:00Z',
      updatedAt: '2025-02-01T00:00:00Z',
    });
    const [secret] = await listSecrets(client, {
      kind: 'environment',
      owner: 'acme',
      repo: 'api',
      environment: 'prod',
    });
    expect(secret).toEqual({
      name: 'OLD',
      createdAt: '2025-01-01T00:00:00Z',
      updatedAt: '2025-02-01T00:00:00Z',
    });
  });
});
