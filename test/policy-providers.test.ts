import { describe, expect, it } from 'vitest';

import { GitwardenError } from '../src/errors.ts';
import { parsePolicy } from '../src/policy/parse.ts';
import {
  assertSigningKeySource,
  isProduction,
  maxAgeDays,
  providerSources,
} from '../src/policy/providers.ts';

const source = { kind: 'file', path: 'policy.yml' } as const;

function problemsOf(text: string): string {
  try {
    parsePolicy(text, source);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected the policy to be rejected');
}

const valid = `
providers:
  production: true
  sources:
    vault-main:
      type: vault
      address: https://vault.example.com:8200
      namespace: team-a
      holds: [DEPLOY_TOKEN]
    doppler-prd:
      type: doppler
      project: api
      config: prd
rotation:
  maxAgeDays: 60
  secrets:
    DEPLOY_TOKEN:
      generator: scripts/new-token.sh
      check: [scripts/check-token.sh, --quiet]
      store: { github: repository }
      maxAgeDays: 30
    DB_PASSWORD:
      generator: [openssl, rand, -hex, '32']
      store: { provider: vault-main, key: 'apps/db#password' }
`;

describe('providers and rotation in the policy', () => {
  it('accepts providers and rotation entries', () => {
    const { document } = parsePolicy(valid, source);
    expect(Object.keys(providerSources(document))).toEqual([
      'env',
      'vault-main',
      'doppler-prd',
    ]);
    expect(isProduction(document, undefined)).toBe(true);
    expect(maxAgeDays(document, 'DEPLOY_TOKEN')).toBe(30);
    expect(maxAgeDays(document, 'OTHER')).toBe(60);
    expect(maxAgeDays({})).toBe(90);
  });

  it('names an unknown provider with file, line and what exists', () => {
    const text = valid.replace('provider: vault-main', 'provider: vault-typo');
    const message = problemsOf(text);
    expect(message).toMatch(
      /policy\.yml:\d+:\d+: rotation\.secrets\.DB_PASSWORD\.store\.provider: unknown provider "vault-typo" \(providers\.sources defines: env, vault-main, doppler-prd\)/,
    );
  });

  it('refuses a store that is not writable, or names no target', () => {
    expect(
      problemsOf(valid.replace('provider: vault-main', 'provider: env')),
    ).toContain('rotation can store only in vault or doppler');
    expect(
      problemsOf(
        valid.replace('store: { github: repository }', 'store: { key: x }'),
      ),
    ).toContain('expected exactly one of "github" or "provider"');
    expect(
      problemsOf(
        valid.replace(
          'store: { github: repository }',
          'store: { github: environment }',
        ),
      ),
    ).toContain('expected "environment" with github: environment');
  });

  it('requires the settings each provider type needs', () => {
    const message = problemsOf(
      valid.replace('      address: https://vault.example.com:8200\n', ''),
    );
    expect(message).toContain('providers.sources.vault-main');
    expect(message).toContain('address');
  });

  it('turns production on from GITWARDEN_ENV too', () => {
    expect(isProduction({}, 'production')).toBe(true);
    expect(isProduction({}, 'development')).toBe(false);
    expect(isProduction({}, undefined)).toBe(false);
  });

  it('refuses a signing key from a plain file in production only', () => {
    const file = { type: 'file' } as const;
    expect(() => assertSigningKeySource('disk', file, false)).not.toThrow();
    let error: unknown;
    try {
      assertSigningKeySource('disk', file, true);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(GitwardenError);
    expect((error as GitwardenError).code).toBe('KEY_SOURCE_REFUSED');
    expect((error as GitwardenError).hint).toContain('Vault Transit');
    for (const type of ['env', 'vault', 'doppler', 'command'] as const) {
      expect(() => assertSigningKeySource('x', { type }, true)).not.toThrow();
    }
  });
});
