import { describe, expect, it } from 'vitest';

import { resolveLedgerConfig } from '../src/ledger/config.ts';
import { parsePolicy } from '../src/policy/parse.ts';
import { makeKey } from './helpers/ledger.ts';

const source = { kind: 'file', path: 'policy.yml' } as const;

function problems(text: string): string {
  try {
    parsePolicy(text, source);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected the policy to be rejected');
}

describe('the ledger section of the policy', () => {
  it('accepts keys, a signer and settings, and resolves defaults', () => {
    const root = makeKey('root');
    const text = [
      'ledger:',
      '  enabled: true',
      '  origin: github.com/acme/app/ledger',
      '  remote: origin',
      '  rootKeys:',
      `    - name: security`,
      `      fingerprint: ${root.entry.fingerprint}`,
      `      publicKey: ${root.entry.publicKey}`,
      '  signer:',
      '    provider: command',
      '    command: [pass, show, ledger-key]',
      '  maxClockSkew: 60',
      '',
    ].join('\n');
    const policy = parsePolicy(text, source);
    const config = resolveLedgerConfig(policy.document.ledger);
    expect(config).toMatchObject({
      enabled: true,
      branch: 'gitwarden/ledger',
      ref: 'refs/heads/gitwarden/ledger',
      remote: 'origin',
      maxClockSkewMs: 60_000,
      anchorPath: '.gitwarden/ledger.checkpoint',
      signer: { provider: 'command', command: ['pass', 'show', 'ledger-key'] },
    });
    expect(config.rootKeys[0]).toMatchObject({
      name: 'security',
      role: 'root',
      fingerprint: root.fingerprint,
    });
  });

  it('names the field of each mistake', () => {
    expect(problems('ledger:\n  brnach: x\n')).toMatch(
      /policy\.yml:2:\d+: ledger\.brnach: unknown field/,
    );
    expect(problems('ledger:\n  signer:\n    provider: env\n')).toMatch(
      /ledger\.signer: missing required field 'variable'/,
    );
    expect(
      problems(
        'ledger:\n  writerKeys:\n    - fingerprint: abc\n      publicKey: x\n',
      ),
    ).toMatch(/ledger\.writerKeys\[0\]\.fingerprint: expected text matching/);
    expect(problems('ledger:\n  branch: "a..b"\n')).toMatch(/ledger\.branch/);
    expect(problems('ledger:\n  signer:\n    provider: vault\n')).toMatch(
      /ledger\.signer\.provider: expected one of "env", "file", "command"/,
    );
  });
});
