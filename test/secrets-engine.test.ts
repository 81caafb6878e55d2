import { describe, expect, it } from 'vitest';

import type { SecretLintRuleCreator } from '@secretlint/types';

import { fakeKinds } from '../bench/corpus/fakes.ts';
import { emptyBaseline } from '../src/secrets/baseline.ts';
import { runScan, type SourceItem } from '../src/secrets/driver.ts';
import { SecretEngine } from '../src/secrets/engine.ts';
import { fingerprintOf, maskSecret } from '../src/secrets/mask.ts';
import { WINDOW } from '../src/secrets/prefilter.ts';
import { redact } from '../src/secrets/redact.ts';
import { formatHuman, toJson } from '../src/secrets/report.ts';
import { toSarif } from '../src/secrets/sarif.ts';
import { scanText } from '../src/secrets/scan.ts';
import { fake, findIn, places } from './helpers/secrets.ts';

/** Every 12-character piece of the secret's random part. */
function pieces(secret: string): string[] {
  const core = secret
    .split('\n')
    .filter((line) => !line.startsWith('-----'))
    .join('');
  const out: string[] = [];
  for (let i = 0; i + 12 <= core.length; i += 4)
    out.push(core.slice(i, i + 12));
  return out;
}

describe('findings never carry the secret', () => {
  it('in JSON, SARIF or human output, for every kind', async () => {
    const secrets = Object.keys(fakeKinds).map((kind) => fake(kind, 21));
    const text = secrets.map((s, i) => `line ${i} token = "${s}"`).join('\n');
    const report = await scanText('all.txt', Buffer.from(text));
    expect(report.findings.length).toBeGreaterThanOrEqual(secrets.length);
    const outputs = [
      JSON.stringify(toJson(report)),
      JSON.stringify(toSarif(report, '0.0.0')),
      formatHuman(report),
    ].join('\n');
    for (const secret of secrets) {
      for (const piece of pieces(secret)) {
        expect(outputs.includes(piece), piece).toBe(false);
      }
    }
  });

  it('masks by kind: a public prefix for tokens, nothing for passwords', () => {
    const token = fake('github-pat');
    expect(maskSecret(token, true)).toBe(
      `${token.slice(0, 4)}******** (40 chars)`,
    );
    const password = fake('generic-password', 4);
    expect(maskSecret(password, false)).toBe(
      `******** (${password.length} chars)`,
    );
    expect(maskSecret(fake('pk-ec'), false)).toMatch(
      /^-----BEGIN EC PRIVATE KEY-----… \(\d+ chars\)$/,
    );
  });

  it('fingerprints are sha256 over rule, path and value', () => {
    const a = fingerprintOf('gitwarden/jwt', 'a.txt', 'value');
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(fingerprintOf('gitwarden/jwt', 'a.txt', 'value')).toBe(a);
    expect(fingerprintOf('gitwarden/jwt', 'b.txt', 'value')).not.toBe(a);
    expect(fingerprintOf('secretlint/aws', 'a.txt', 'value')).not.toBe(a);
  });

  it('keeps a fingerprint when the line moves', async () => {
    const token = fake('github-pat', 8);
    const [first] = await findIn(`x = "${token}"\n`, 'a.ts');
    const [moved] = await findIn(`\n\n\n   x = "${token}"\n`, 'a.ts');
    expect(moved!.line).toBe(4);
    expect(moved!.fingerprint).toBe(first!.fingerprint);
  });
});

describe('long lines', () => {
  it(
    'finds a secret in the middle of a 4 MB minified line, at its column',
    { timeout: 60_000 },
    async () => {
      const token = fake('github-pat', 3);
      const filler =
        'var a=function(b){return b.map(function(c){return c+1})};';
      const half = filler.repeat(Math.ceil(2_000_000 / filler.length));
      const line = `${half}window.token="${token}";${half}`;
      const findings = await findIn(`${line}\n`, 'bundle.min.js');
      expect(places(findings)).toEqual([
        `secretlint/github@1:${line.indexOf(token) + 1}`,
      ]);
    },
  );

  it('finds a secret that straddles two windows once', async () => {
    const token = fake('npm-token', 4);
    // Keywords all along the line, so the whole line is cut into windows.
    const filler = (length: number) =>
      'a token b '.repeat(Math.ceil(length / 10)).slice(0, length);
    for (const at of [WINDOW - 10, WINDOW * 2 - 3_000]) {
      const line = `${filler(at - 1)} ${token} ${filler(WINDOW * 2)}`;
      for (const prefilter of [true, false]) {
        const findings = await findIn(line, 'long.txt', { prefilter });
        expect(places(findings)).toEqual([`secretlint/npm@1:${at + 1}`]);
      }
    }
  });
});

describe('chunks', () => {
  it('keep a private key whole where a chunk ends inside it', async () => {
    const key = fake('pk-rsa', 7);
    // Selected lines that fill most of a chunk, then the key.
    for (const filler of [14_500, 15_200, 15_900]) {
      const lines: string[] = [];
      for (let size = 0; size < filler; size += lines.at(-1)!.length + 1) {
        lines.push(`token_${lines.length} = lookup("name-${lines.length}")`);
      }
      const text = `${lines.join('\n')}\n${key}\n`;
      const findings = await findIn(text, 'big.txt');
      expect(places(findings)).toEqual([
        `secretlint/privatekey@${lines.length + 1}:1`,
      ]);
    }
  });
});

describe('many files in one secretlint run', () => {
  it('keeps each file to itself', async () => {
    const engine = new SecretEngine();
    const dashes = '-'.repeat(5);
    const key = fake('pk-rsa', 6);
    const outcomes = await engine.scanUnits([
      // A private key's BEGIN with no END, then a file with a real key.
      {
        path: 'a.txt',
        text: `${dashes}BEGIN RSA PRIVATE KEY${dashes}\nAAAA\n`,
      },
      { path: 'b.txt', text: `one\n${key}\n` },
      // A secretlint-disable block that never ends...
      {
        path: 'c.txt',
        text: `# secretlint-disable\ntoken = "${fake('github-pat', 1)}"\n`,
      },
      // ...must not hide the next file's secret.
      { path: 'd.txt', text: `token = "${fake('github-pat', 2)}"\n` },
    ]);
    expect(outcomes.map((o) => places(o.findings))).toEqual([
      [],
      ['secretlint/privatekey@2:1'],
      [],
      ['secretlint/github@1:10'],
    ]);
  });
});

describe('accepting findings', () => {
  const token = fake('slack-bot-token', 2);

  it('honours gitwarden:allow and secretlint-disable-line on the line', async () => {
    const engine = new SecretEngine();
    const text = [
      `a = "${token}" // gitwarden:allow test fixture`,
      `b = "${token}" # secretlint-disable-line`,
      `c = "${token}"`,
    ].join('\n');
    const [outcome] = await engine.scanUnits([{ path: 'x.ts', text }]);
    expect(places(outcome!.findings)).toEqual(['secretlint/slack@3:6']);
    expect(outcome!.inlineAccepted).toBe(1);
  });

  it('ignores allow comments when the policy turns them off', async () => {
    const engine = new SecretEngine({ inlineAllow: false });
    const text = `a = "${token}" // gitwarden:allow\nb = "${token}" # secretlint-disable-line`;
    const [outcome] = await engine.scanUnits([{ path: 'x.ts', text }]);
    expect(outcome!.findings).toHaveLength(2);
  });

  it('leaves out findings whose fingerprint is in the baseline', async () => {
    const [finding] = await findIn(`a = "${token}"\n`, 'x.ts');
    const baseline = emptyBaseline('test');
    baseline.fingerprints.add(finding!.fingerprint);
    const result = await runScan(
      source([
        {
          path: 'x.ts',
          text: `a = "${token}"\nb = "${fake('slack-bot-token', 3)}"\n`,
        },
      ]),
      { engine: {}, maxFileSize: 1e6, baseline },
    );
    expect(places(result.findings)).toEqual(['secretlint/slack@2:6']);
    expect(result.accepted.baseline).toBe(1);
  });
});

describe('a rule that throws', () => {
  const throwing: SecretLintRuleCreator = {
    messages: {},
    meta: {
      id: 'test/throws',
      recommended: false,
      type: 'scanner',
      supportedContentTypes: ['text'],
    },
    create: () => ({
      file() {
        throw new Error('rule exploded');
      },
    }),
  };

  it('makes the unit incomplete, never clean', async () => {
    const engine = new SecretEngine({
      extraRules: [{ id: 'test/throws', rule: throwing }],
    });
    const [outcome] = await engine.scanUnits([
      { path: 'x.ts', text: 'token = "abc"\n' },
    ]);
    expect(outcome!.error).toMatch(
      /a secret rule failed \(Error: rule exploded\)/,
    );
    const result = await runScan(
      source([{ path: 'x.ts', text: 'token = 1\n' }]),
      {
        engine: { extraRules: [{ id: 'test/throws', rule: throwing }] },
        maxFileSize: 1e6,
      },
    );
    expect(result.errors).toEqual([
      {
        path: 'x.ts',
        commit: undefined,
        message: expect.stringContaining('rule exploded'),
      },
    ]);
  });
});

describe('scanning threads', () => {
  it(
    'find what this thread finds, in the same order',
    { timeout: 60_000 },
    async () => {
      const units = Array.from({ length: 600 }, (_, i) => ({
        path: `f${i}.txt`,
        text: `${'filler line with some words\n'.repeat(400)}k = "${fake('github-pat', i + 1)}"\n`,
      }));
      const here = await runScan(source(units), {
        engine: {},
        maxFileSize: 1e6,
        parallel: 'never',
      });
      const threads = await runScan(source(units), {
        engine: {},
        maxFileSize: 1e6,
        parallel: 'always',
      });
      expect(here.findings).toHaveLength(600);
      expect(threads.findings).toEqual(here.findings);
      expect(threads.errors).toEqual([]);
    },
  );
});

describe('redaction', () => {
  it('replaces each secret, and only the secret', async () => {
    const token = fake('github-pat', 9);
    const password = fake('generic-password', 9);
    const text = `ok\nGH=${token} tail\nconfig: {password: "${password}"}\n`;
    const report = await scanText('log', Buffer.from(text));
    expect(redact(text, report.findings)).toBe(
      'ok\nGH=[REDACTED:secretlint/github] tail\nconfig: {password: "[REDACTED:gitwarden/generic-secret]"}\n',
    );
  });
});

async function* source(
  units: { path: string; text: string }[],
): AsyncGenerator<SourceItem> {
  for (const unit of units) yield { kind: 'unit', unit };
}
