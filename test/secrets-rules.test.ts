import { describe, expect, it } from 'vitest';

import { creator as preset } from '@secretlint/secretlint-rule-preset-recommend';

import { fakeKinds } from '../bench/corpus/fakes.ts';
import { createRandom, HEX, ALNUM } from '../bench/corpus/random.ts';
import { presetRules } from '../rules/preset.ts';
import { providerPatterns } from '../rules/providers.ts';
import { fake, findIn, places } from './helpers/secrets.ts';

// Every fake is built at run time from fragments; no realistic secret is
// written in this file.

/** A line (or lines) that holds the value the way it is usually written. */
function contextFor(kind: string, value: string): string {
  switch (kind) {
    case 'aws-secret-key':
      return `aws_secret_access_key = ${value}`;
    case 'azure-storage-key':
      return `conn = "DefaultEndpointsProtocol=https;AccountName=acme;AccountKey=${value};EndpointSuffix=core.windows.net"`;
    case 'generic-password':
      return `password: "${value}"`;
    case 'url-credentials':
      return `DATABASE_URL=${value}/app`;
    case 'jwt':
      return `session = "${value}"`;
    default:
      return fakeKinds[kind]!.category === 'private-key'
        ? value
        : `setting: "${value}"`;
  }
}

/** Where the secret itself starts in the text (1-based line:column). */
function expectedPlace(kind: string, text: string, value: string) {
  const lines = text.split('\n');
  let needle = value.split('\n')[0]!;
  if (kind === 'url-credentials') {
    needle = value.slice(value.lastIndexOf(':') + 1, value.lastIndexOf('@'));
  }
  const line = lines.findIndex((l) => l.includes(needle));
  return `${line + 1}:${lines[line]!.indexOf(needle) + 1}`;
}

describe('every kind of fake credential is found where it is', () => {
  for (const kind of Object.keys(fakeKinds)) {
    it(kind, async () => {
      for (const seed of [1, 2, 3]) {
        const value = fake(kind, seed);
        const text = `# settings\nname: demo\n${contextFor(kind, value)}\nend: true\n`;
        const findings = await findIn(text, 'config.yml');
        expect(findings, `seed ${seed}`).toHaveLength(1);
        const [finding] = findings;
        expect(`${finding!.line}:${finding!.column}`).toBe(
          expectedPlace(kind, text, value),
        );
      }
    });
  }
});

// One sample per provider pattern, built from its public prefix and random
// characters of the right class, in a line with no other keyword: the
// pre-filter must let it through on the pattern's own keywords.
const r = createRandom(99);
const providerSamples: Record<string, string> = {
  'google-api-key': 'AI' + 'za' + r.chars(ALNUM, 35),
  'azure-storage-key': 'Account' + 'Key=' + r.chars(ALNUM, 86) + '==',
  'azure-client-secret': r.chars(ALNUM, 3) + '8Q' + '~' + r.chars(ALNUM, 34),
  'digitalocean-token': 'doo' + '_v1_' + r.chars(HEX, 64),
  'alibaba-access-key-id': 'LT' + 'AI' + r.chars(ALNUM, 20),
  'heroku-api-key': 'HRKU' + '-AA' + r.chars(ALNUM, 58),
  'terraform-cloud-token':
    r.chars(ALNUM, 14) + '.atlas' + 'v1.' + r.chars(ALNUM, 64),
  'supabase-token': 'sb' + 'p_' + r.chars(HEX, 40),
  'gitlab-token': 'gl' + 'dt-' + r.chars(ALNUM, 20),
  'atlassian-token': 'AT' + 'BB' + r.chars(ALNUM, 32),
  'slack-refresh-token': 'xo' + 'xe-1-' + r.chars(ALNUM, 146),
  'discord-bot-token':
    'discord ' +
    'M' +
    r.chars(ALNUM, 23) +
    '.' +
    r.chars(ALNUM, 6) +
    '.' +
    r.chars(ALNUM, 27),
  'discord-webhook':
    'https://discord.com/api/' +
    'webhooks/' +
    '1'.repeat(18) +
    '/' +
    r.chars(ALNUM, 68),
  'telegram-bot-token': '1234567890' + ':A' + 'A' + r.chars(ALNUM, 33),
  'teams-webhook':
    'https://acme.webhook.office.com/' +
    'webhookb2/' +
    r.chars(HEX, 36) +
    '/IncomingWebhook/' +
    r.chars(HEX, 32) +
    '/' +
    r.chars(HEX, 36),
  'twilio-api-key': 'twilio ' + 'S' + 'K' + r.chars(HEX, 32),
  'mailgun-key': 'ke' + 'y-' + r.chars(HEX, 32),
  'pypi-token': 'py' + 'pi-AgEIcHlwaS5vcmc' + r.chars(ALNUM, 60),
  'rubygems-key': 'ruby' + 'gems_' + r.chars(HEX, 48),
  'nuget-key': 'oy' + '2' + r.chars('abcdefghijklmnopqrstuvwxyz0123456789', 43),
  'crates-token': 'ci' + 'o' + r.chars(ALNUM, 32),
  'artifactory-token': 'AK' + 'Cp' + r.chars(ALNUM, 69),
  'openai-key': 'sk-' + 'svcacct-' + r.chars(ALNUM, 60),
  'anthropic-admin-key': 'sk-' + 'ant-admin01-' + r.chars(ALNUM, 93) + 'AA',
  'replicate-token': 'r' + '8_' + r.chars(ALNUM, 37),
  'perplexity-key': 'pp' + 'lx-' + r.chars(ALNUM, 48),
  'xai-key': 'xa' + 'i-' + r.chars(ALNUM, 80),
  'openrouter-key': 'sk-' + 'or-v1-' + r.chars(HEX, 64),
  'langsmith-key': 'lsv' + '2_pt_' + r.chars(HEX, 32) + '_' + r.chars(HEX, 10),
  'stripe-webhook-secret': 'wh' + 'sec_' + r.chars(ALNUM, 32),
  'square-token': 'sq0' + 'csp-' + r.chars(ALNUM, 43),
  'braintree-token':
    'access_token' +
    '$production$' +
    r.chars('abcdefghijklmnopqrstuvwxyz0123456789', 16) +
    '$' +
    r.chars(HEX, 32),
  'razorpay-key': 'rzp' + '_live_' + r.chars(ALNUM, 14),
  'flutterwave-key': 'FLW' + 'SECK-' + r.chars('abcdefgh0123456789', 32) + '-X',
  'age-secret-key':
    'AGE-' +
    'SECRET-KEY-1' +
    r.chars('ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789', 58),
  'sentry-token': 'sntry' + 's_' + r.chars(ALNUM, 80),
  'newrelic-key':
    'NR' + 'AK-' + r.chars('ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789', 27),
  'postman-key': 'PM' + 'AK-' + r.chars(HEX, 24) + '-' + r.chars(HEX, 34),
  'doppler-token': 'dp' + '.pt.' + r.chars(ALNUM, 43),
  'pulumi-token': 'pu' + 'l-' + r.chars(HEX, 40),
};

describe('provider patterns', () => {
  it('have a sample each (this table grows with the patterns)', () => {
    expect(Object.keys(providerSamples).sort()).toEqual(
      providerPatterns.map((p) => p.id).sort(),
    );
  });

  for (const pattern of providerPatterns) {
    it(`${pattern.id} is found through its keywords`, async () => {
      const sample = providerSamples[pattern.id]!;
      const findings = await findIn(`x = 1\nvalue ${sample}\n`, 'notes.txt');
      expect(findings.map((f) => f.rule)).toContain(`gitwarden/${pattern.id}`);
    });
  }

  it('do not fire on the same shapes cut short or run on', async () => {
    const short = 'AI' + 'za' + r.chars(ALNUM, 20);
    const long = 'sk-' + 'or-v1-' + r.chars(HEX, 64) + 'abc';
    expect(await findIn(`a ${short}\nb ${long}\n`)).toEqual([]);
  });
});

describe("secretlint's preset", () => {
  it('has a keyword entry for every rule it runs, and no stale ones', () => {
    const ids = preset.rules.map((rule) => rule.meta.id).sort();
    expect(Object.keys(presetRules).sort()).toEqual(ids);
  });
});

describe('generic credential assignments', () => {
  const secret = fake('generic-password', 5);
  const found = [
    `password = "${secret}"`,
    `DB_PASSWORD=${secret}`,
    `  "apiKey": "${secret}",`,
    `token: ${secret}`,
    `<password>${secret}</password>`,
    `export SECRET_KEY='${secret}'`,
    `const clientSecret: string = "${secret}";`,
    `password := "${secret}"`,
    `$password = '${secret}';`,
    `aws_secret_access_key = \`${secret}\``,
    `db.connect(host="db", password="${secret}")`,
    `api_key = "${secret}"  # toml`,
    `SMTP_PASS=${secret}`,
  ];
  for (const line of found) {
    it(`finds ${line.replace(secret, 'S')}`, async () => {
      const findings = await findIn(`first\n${line}\n`, 'settings.txt');
      expect(places(findings)).toEqual([
        `gitwarden/generic-secret@2:${line.indexOf(secret) + 1}`,
      ]);
    });
  }

  it('finds a value under its name on the next line (Kubernetes env)', async () => {
    const text = `env:\n  - name: DB_PASSWORD\n    value: "${secret}"\n`;
    const findings = await findIn(text, 'deploy.yaml');
    expect(places(findings)).toEqual([
      `gitwarden/generic-secret@3:${text.split('\n')[2]!.indexOf(secret) + 1}`,
    ]);
  });

  it('finds bearer tokens in headers', async () => {
    const token = r.chars(ALNUM, 40);
    const findings = await findIn(
      `curl -H "Authorization: Bearer ${token}" x\n`,
    );
    expect(findings.map((f) => f.messageId)).toEqual(['Bearer']);
  });

  const uuid = () => [8, 4, 4, 4, 12].map((n) => r.chars(HEX, n)).join('-');
  const decoys = [
    'password = "changeme"',
    'password: ${DB_PASSWORD}',
    'token = getToken()',
    'password = process.env.DB_PASSWORD',
    `cacheKey: "${r.chars(HEX, 32)}"`,
    `primary_key = "${secret}"`,
    'password_policy: "min-length-12-upper"',
    'token_url = "https://auth.example.com/oauth/token"',
    'max_tokens = 4096',
    'password: "<your-password>"',
    'password: ""',
    `public_key = "${secret}"`,
    `if (password === "${secret}") {`,
    'password: string;',
    `integrity="sha384-${r.chars(ALNUM, 64)}"`,
    `id: ${uuid()}`,
    'secret_name: prod-db-credentials',
    "'secret.dismiss': 'false-positive',",
    'function verify(user: string, password: string): boolean {',
    'function tail(result: CommandResult, secrets: string[]): string {',
    'token: (variable: string) => string | undefined;',
    "type ActionsSecret = Schemas['actions-secret'];",
    'keys: { publicKey: Uint8Array; privateKey: Uint8Array };',
    'const password = createRandom(31).chars(ALPHABET, 14);',
    'TOKEN: matchString,',
    'this._passThroughOptions = !!passThrough;',
    'const token = byLastLine',
    'password: URLPatternComponentResult;',
    'lastSignificantToken = "?InterpolationInTemplate";',
    'pass: matchResult?.pass ?? false,',
    'password: ********',
    'api_key: xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
    "token: '{{ vault_token }}'",
    `next_page_token = "${r.chars(ALNUM, 24)}"`,
  ];
  for (const line of decoys) {
    it(`leaves alone ${line}`, async () => {
      expect(await findIn(`${line}\n`, 'app.ts')).toEqual([]);
    });
  }
});

describe('credentials in URLs', () => {
  // Punctuation that needs no escaping in a URL's user information.
  const password = createRandom(31).chars(ALNUM + '!*^~', 14) + '!7';
  for (const scheme of [
    'postgres',
    'mysql',
    'redis',
    'amqp',
    'smtp',
    'ldap',
    'ftp',
    'https',
    'mongodb+srv',
    'sftp',
  ]) {
    it(`finds the password of ${scheme}://`, async () => {
      const line = `url: ${scheme}://svc_user:${password}@host.internal:1234/x`;
      const findings = await findIn(`${line}\n`);
      expect(findings).toHaveLength(1);
      expect(findings[0]!.column).toBe(line.indexOf(password) + 1);
      expect(findings[0]!.endColumn).toBe(
        line.indexOf(password) + password.length + 1,
      );
    });
  }
  for (const line of [
    'https://user:password@example.com',
    'postgres://user:${DB_PASS}@db/app',
    'http://localhost:8080/path',
    'redis://:@cache:6379',
    'https://user@host.example/x',
    'git@github.com:org/repo.git',
    'amqp://guest:guest@localhost',
  ]) {
    it(`leaves alone ${line}`, async () => {
      expect(await findIn(`${line}\n`)).toEqual([]);
    });
  }
});

describe('private keys', () => {
  it('finds a key written on one line with \\n escapes (JSON)', async () => {
    const key = fake('pk-ec', 3).replace(/\n/g, '\\n');
    const json = `{\n  "type": "service_account",\n  "private_key": "${key}\\n",\n  "client_email": "x@y"\n}\n`;
    const findings = await findIn(json, 'key.json');
    expect(places(findings)).toEqual([`gitwarden/private-key@3:19`]);
  });

  it('finds a key with CRLF line endings', async () => {
    const key = fake('pk-ed25519', 4).replace(/\n/g, '\r\n');
    expect(await findIn(`x\r\n${key}\r\n`)).toHaveLength(1);
  });

  it('leaves alone public keys, certificates and elided examples', async () => {
    const body = createRandom(5)
      .chars(ALNUM, 300)
      .match(/.{1,64}/g)!
      .join('\n');
    const dashes = '-'.repeat(5);
    const text = [
      `${dashes}BEGIN PUBLIC KEY${dashes}\n${body}\n${dashes}END PUBLIC KEY${dashes}`,
      `${dashes}BEGIN CERTIFICATE${dashes}\n${body}\n${dashes}END CERTIFICATE${dashes}`,
      `${dashes}BEGIN RSA PRIVATE` +
        ` KEY${dashes}\nMIIEow...\n${dashes}END RSA PRIVATE KEY${dashes}`,
      `${dashes}BEGIN PRIVATE` +
        ` KEY${dashes}\n<your key here>\n${dashes}END PRIVATE KEY${dashes}`,
    ].join('\n\n');
    expect(await findIn(text, 'docs.md')).toEqual([]);
  });
});

describe('JSON Web Tokens', () => {
  it('leaves alone source maps and the documentation sample', async () => {
    const map = Buffer.from(
      '{"version":3,"sources":["a.ts"],"mappings":"AAAA"}',
    ).toString('base64');
    const encode = (v: object) =>
      Buffer.from(JSON.stringify(v)).toString('base64url');
    const sample = `${encode({ alg: 'HS256', typ: 'JWT' })}.${encode({ sub: '1234567890', name: 'John Doe', iat: 1516239022 })}.${r.chars(ALNUM, 43)}`;
    const text = `//# sourceMappingURL=data:application/json;base64,${map}\nexample: ${sample}\n`;
    expect(await findIn(text, 'bundle.js')).toEqual([]);
  });
});

describe('configuration files', () => {
  it('flags a committed .env file, not its shared templates', async () => {
    for (const path of ['.env', 'config/.env.production', 'deploy/app.env']) {
      expect(places(await findIn('DEBUG=1\n', path))).toEqual([
        'gitwarden/dotenv-file@1:1',
      ]);
    }
    for (const path of [
      '.env.example',
      'x/.env.sample',
      '.env.template',
      'envoy.yaml',
    ]) {
      expect(await findIn('DEBUG=1\n', path)).toEqual([]);
    }
  });

  it('flags a literal where a workflow should use ${{ secrets.NAME }}', async () => {
    const value = r.chars(ALNUM, 24);
    const workflow = [
      'jobs:',
      '  publish:',
      '    env:',
      `      NPM_TOKEN: ${value}`,
      '      GITHUB_TOKEN: ${{ secrets.GITHUB_TOKEN }}',
      '      NODE_ENV: production',
    ].join('\n');
    const findings = await findIn(workflow, '.github/workflows/release.yml');
    expect(places(findings)).toEqual([
      'gitwarden/workflow-secret-literal@4:18',
    ]);
  });

  it('flags .npmrc credentials, not environment references', async () => {
    const auth = Buffer.from(`deploy:${r.chars(ALNUM, 16)}`).toString('base64');
    const npmrc = [
      `//registry.example.com/:_auth=${auth}`,
      '//registry.npmjs.org/:_authToken=${NPM_TOKEN}',
      'always-auth=true',
    ].join('\n');
    const findings = await findIn(npmrc, '.npmrc');
    expect(places(findings)).toEqual(['gitwarden/npmrc-credential@1:31']);
  });
});

describe('the pre-filter', () => {
  it('finds exactly what scanning every line finds', async () => {
    const lines: string[] = ['intro text'];
    Object.keys(fakeKinds).forEach((kind, index) => {
      lines.push(
        `filler ${index} lorem ipsum`,
        contextFor(kind, fake(kind, 11)),
      );
    });
    const text = lines.join('\n');
    const filtered = await findIn(text, 'mixed.txt');
    const everything = await findIn(text, 'mixed.txt', { prefilter: false });
    expect(filtered.length).toBe(Object.keys(fakeKinds).length);
    expect(places(filtered)).toEqual(places(everything));
  });
});
