import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { RemoteError } from '../src/http/remote-error.ts';
import { DopplerClient, dopplerStore } from '../src/keys/doppler.ts';
import {
  dopplerErrors,
  startFakeDoppler,
  type FakeDoppler,
} from './helpers/fake-doppler.ts';
import { useSecretRegistry } from './helpers/secret-registry.ts';

const secrets = useSecretRegistry();
let doppler: FakeDoppler;

beforeEach(async () => {
  doppler = await startFakeDoppler();
});
afterEach(() => doppler.close());

function client(
  options: { token?: string; apiUrl?: string; config?: string } = {},
) {
  return new DopplerClient({
    token: options.token ?? doppler.token,
    project: doppler.project,
    config: options.config ?? doppler.config,
    apiUrl: options.apiUrl ?? doppler.url,
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

describe('Doppler', () => {
  it('reads one secret with the Bearer token, project and config', async () => {
    const value = secrets.make('stripe key');
    doppler.secrets.set('STRIPE_KEY', value);
    expect(await dopplerStore(client()).get('STRIPE_KEY')).toBe(value);
    const [request] = doppler.server.requests;
    expect(request!.path).toBe('/v3/configs/config/secret');
    expect(Object.fromEntries(request!.query)).toEqual({
      project: 'api',
      config: 'prd',
      name: 'STRIPE_KEY',
    });
    expect(request!.headers.authorization).toBe(`Bearer ${doppler.token}`);
  });

  it('downloads every secret of the config as JSON', async () => {
    const a = secrets.make('a');
    const b = secrets.make('b');
    doppler.secrets.set('A', a).set('B', b);
    expect(await client().download()).toEqual({ A: a, B: b });
    expect(doppler.server.requests[0]!.query.get('format')).toBe('json');
  });

  it('sets a secret', async () => {
    const value = secrets.make('rotated');
    await dopplerStore(client()).set('API_KEY', value);
    expect(doppler.secrets.get('API_KEY')).toBe(value);
    expect(doppler.server.requests[0]!.json()).toEqual({
      project: 'api',
      config: 'prd',
      secrets: { API_KEY: value },
    });
  });

  it('says when a secret does not exist', async () => {
    const error = await failure(dopplerStore(client()).get('MISSING'));
    expect(error.code).toBe('REMOTE_NOT_FOUND');
    expect(error.message).toContain('Could not find requested secret: MISSING');
  });

  it('reports a wrong token', async () => {
    const error = await failure(client({ token: 'dp.st.wrong' }).download());
    expect(error.code).toBe('REMOTE_UNAUTHORIZED');
    expect(error.message).toContain('Invalid Auth token');
    expect(doppler.server.requests).toHaveLength(1);
  });

  it('reports a config the token may not use', async () => {
    const error = await failure(client({ config: 'dev' }).download());
    expect(error.code).toBe('REMOTE_FORBIDDEN');
    expect(error.hint).toContain('scoped to one config');
  });

  it('waits as Retry-After asks on a 429, then succeeds', async () => {
    doppler.secrets.set('A', secrets.make());
    doppler.server.fail({ times: 2, reply: dopplerErrors.rateLimited(1) });
    await client().download();
    expect(doppler.server.requests).toHaveLength(3);
  });

  it('gives up when Retry-After asks for too long', async () => {
    doppler.server.fail({ reply: dopplerErrors.rateLimited(3600) });
    const error = await failure(client().download());
    expect(error.code).toBe('REMOTE_UNREACHABLE');
    expect(error.message).toContain('HTTP 429');
    expect(doppler.server.requests).toHaveLength(1);
  });

  it('retries a 5xx a bounded number of times', async () => {
    doppler.server.fail({ times: 10, reply: dopplerErrors.serverError(503) });
    const error = await failure(client().download());
    expect(error.code).toBe('REMOTE_UNREACHABLE');
    expect(doppler.server.requests).toHaveLength(4);
  });

  it('times out and reports an unreachable Doppler', async () => {
    doppler.server.fail({ times: 10, reply: dopplerErrors.slow(2_000) });
    const slow = await failure(client().download());
    expect(slow.message).toContain('no answer within 300 ms');
    const apiUrl = doppler.url;
    await doppler.close();
    const gone = await failure(client({ apiUrl }).download());
    expect(gone.code).toBe('REMOTE_UNREACHABLE');
    doppler = await startFakeDoppler();
  });
});
