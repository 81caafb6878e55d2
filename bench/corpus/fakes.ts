// Fake credentials of the right shape, made at run time from a seeded
// generator. No realistic secret is ever written in this repository: a
// prefix such as "gh" + "p_" is public knowledge, the random rest is made
// here. Used by the tests and by the recall corpus.

import {
  ALNUM,
  BASE64,
  BASE64URL,
  DIGITS,
  HEX,
  UPPER_DIGITS,
  type Random,
} from './random.ts';

export type Category =
  | 'cloud'
  | 'vcs'
  | 'chat'
  | 'registry'
  | 'ai'
  | 'payment'
  | 'private-key'
  | 'jwt'
  | 'url-credentials'
  | 'generic-password';

export interface FakeKind {
  category: Category;
  make(r: Random): string;
}

const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
/** Punctuation that defeated both secretlint and gitleaks. */
export const PASSWORD_ALPHABET = ALNUM + '!#%*@$^&~';
const URL_PASSWORD_ALPHABET = ALNUM + '!*$^&~_-';

const join = (...parts: string[]) => parts.join('');

function pem(label: string, magic: string, length: number, r: Random) {
  const body = magic + r.chars(BASE64, length - magic.length);
  const lines = body.match(/.{1,64}/g)!.join('\n');
  const dashes = '-'.repeat(5);
  return join(
    `${dashes}BEGIN ${label}${dashes}\n`,
    lines,
    `\n${dashes}END ${label}${dashes}`,
  );
}

const PK = join('PRIVATE', ' KEY');

export const fakeKinds: Record<string, FakeKind> = {
  'aws-access-key-id': {
    category: 'cloud',
    make: (r) => join('AK', 'IA', r.chars(UPPER_DIGITS, 16)),
  },
  'aws-secret-key': {
    category: 'cloud',
    make: (r) => r.chars(ALNUM + '/+', 40),
  },
  'google-api-key': {
    category: 'cloud',
    make: (r) => join('AI', 'za', r.chars(ALNUM + '-_', 35)),
  },
  'azure-storage-key': {
    category: 'cloud',
    make: (r) => join(r.chars(BASE64, 86), '=='),
  },
  'digitalocean-token': {
    category: 'cloud',
    make: (r) => join('dop', '_v1_', r.chars(HEX, 64)),
  },
  'github-pat': {
    category: 'vcs',
    make: (r) => join('gh', 'p_', r.chars(ALNUM, 36)),
  },
  'github-fine-grained': {
    category: 'vcs',
    make: (r) =>
      join('github', '_pat_', r.chars(ALNUM, 22), '_', r.chars(ALNUM, 59)),
  },
  'gitlab-pat': {
    category: 'vcs',
    make: (r) => join('gl', 'pat-', r.chars(ALNUM + '-_', 20)),
  },
  'slack-bot-token': {
    category: 'chat',
    make: (r) =>
      join(
        'xo',
        'xb-',
        r.chars(DIGITS, 11),
        '-',
        r.chars(DIGITS, 12),
        '-',
        r.chars(ALNUM, 24),
      ),
  },
  'slack-webhook': {
    category: 'chat',
    make: (r) =>
      join(
        'https://hooks.',
        'slack.com/services/T',
        r.chars(UPPER_DIGITS, 8),
        '/B',
        r.chars(UPPER_DIGITS, 8),
        '/',
        r.chars(ALNUM, 24),
      ),
  },
  'discord-webhook': {
    category: 'chat',
    make: (r) =>
      join(
        'https://discord.com/api/',
        'webhooks/',
        r.chars(DIGITS, 18),
        '/',
        r.chars(ALNUM + '-_', 68),
      ),
  },
  'telegram-bot-token': {
    category: 'chat',
    make: (r) =>
      join(r.chars(DIGITS, 10), ':A', 'A', r.chars(ALNUM + '-_', 33)),
  },
  'npm-token': {
    category: 'registry',
    make: (r) => join('np', 'm_', r.chars(ALNUM, 36)),
  },
  'pypi-token': {
    category: 'registry',
    make: (r) => join('py', 'pi-', 'AgEIcHlwaS5vcmc', r.chars(BASE64URL, 70)),
  },
  'docker-pat': {
    category: 'registry',
    make: (r) => join('dckr', '_pat_', r.chars(ALNUM + '-_', 27)),
  },
  'openai-key': {
    category: 'ai',
    make: (r) =>
      join(
        'sk-',
        'proj-',
        r.chars(BASE64URL, 74),
        'T3Blbk',
        'FJ',
        r.chars(BASE64URL, 74),
      ),
  },
  'anthropic-key': {
    category: 'ai',
    make: (r) => join('sk-', 'ant-', 'api03-', r.chars(BASE64URL, 93), 'AA'),
  },
  'huggingface-token': {
    category: 'ai',
    make: (r) => join('h', 'f_', r.chars(LETTERS, 34)),
  },
  'groq-key': {
    category: 'ai',
    make: (r) => join('gs', 'k_', r.chars(ALNUM, 52)),
  },
  'stripe-live-key': {
    category: 'payment',
    make: (r) => join('sk', '_live_', r.chars(ALNUM, r.pick([24, 99]))),
  },
  'stripe-webhook-secret': {
    category: 'payment',
    make: (r) => join('wh', 'sec_', r.chars(ALNUM, 32)),
  },
  'square-token': {
    category: 'payment',
    make: (r) => join('sq0', 'atp-', r.chars(ALNUM + '-_', 22)),
  },
  'pk-rsa': {
    category: 'private-key',
    make: (r) => pem(`RSA ${PK}`, 'MIIEpAIBAAKCAQEA', 1588, r),
  },
  'pk-pkcs8': {
    category: 'private-key',
    make: (r) => pem(PK, 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASC', 1624, r),
  },
  'pk-ec': {
    category: 'private-key',
    make: (r) => pem(`EC ${PK}`, 'MHcCAQEEI', 160, r),
  },
  'pk-ed25519': {
    category: 'private-key',
    make: (r) => pem(PK, 'MC4CAQAwBQYDK2VwBCIEI', 64, r),
  },
  'pk-openssh': {
    category: 'private-key',
    make: (r) => pem(`OPENSSH ${PK}`, 'b3BlbnNzaC1rZXktdjEAAAAA', 400, r),
  },
  'pk-dsa': {
    category: 'private-key',
    make: (r) => pem(`DSA ${PK}`, 'MIIBuwIBAAKBgQ', 600, r),
  },
  'pk-encrypted': {
    category: 'private-key',
    make: (r) =>
      pem(`ENCRYPTED ${PK}`, 'MIIFHDBOBgkqhkiG9w0BBQ0wQTAp', 1700, r),
  },
  'pk-pgp': {
    category: 'private-key',
    make: (r) => pem(`PGP ${PK} BLOCK`, 'lQOYBF', 1000, r),
  },
  jwt: {
    category: 'jwt',
    make: (r) => {
      const encode = (value: object) =>
        Buffer.from(JSON.stringify(value)).toString('base64url');
      const header = encode({
        alg: r.pick(['HS256', 'RS256', 'ES256']),
        typ: 'JWT',
      });
      const payload = encode({
        sub: r.chars(HEX, 24),
        role: r.pick(['admin', 'service', 'user']),
        iat: 1_700_000_000 + r.int(10_000_000),
      });
      return `${header}.${payload}.${r.chars(BASE64URL, 43)}`;
    },
  },
  'url-credentials': {
    category: 'url-credentials',
    make: (r) => {
      const scheme = r.pick([
        'postgres',
        'mysql',
        'mongodb+srv',
        'redis',
        'amqp',
        'https',
        'smtp',
        'ldap',
        'ftp',
      ]);
      const user = r.pick(['app', 'svc_orders', 'deploy', 'reporting', '']);
      const host = r.pick([
        'db.internal',
        'cache.prod.example',
        'mq.corp.local',
        '10.0.3.7',
      ]);
      return `${scheme}://${user}:${r.chars(URL_PASSWORD_ALPHABET, 14 + r.int(8))}@${host}`;
    },
  },
  'generic-password': {
    category: 'generic-password',
    make: (r) => {
      // At least one punctuation character: what other scanners missed.
      const core = r.chars(PASSWORD_ALPHABET, 11 + r.int(8));
      return core + r.pick([...'!#%*@$^&~']) + r.chars(DIGITS, 1);
    },
  },
};
