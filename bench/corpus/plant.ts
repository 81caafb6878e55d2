// How planted secrets and look-alikes are written into the corpus: each
// in a few of the ways people really write them.

import { fakeKinds } from './fakes.ts';
import { ALNUM, BASE64, HEX, type Random } from './random.ts';
import { uuid } from './text.ts';

const stamp = (r: Random) =>
  `2026-0${1 + r.int(9)}-1${r.int(9)}T1${r.int(9)}:2${r.int(9)}:3${r.int(9)}Z`;

const envName = (kind: string) => kind.toUpperCase().replace(/-/g, '_');
const camel = (kind: string) =>
  kind.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

/** Lines holding a planted secret of `kind`. */
export function plantLines(kind: string, value: string, r: Random): string[] {
  const category = fakeKinds[kind]!.category;
  if (category === 'private-key') return privateKeyLines(value, r);
  const ways: (() => string[])[] = {
    'aws-secret-key': [
      () => [`aws_secret_access_key = ${value}`],
      () => [`  AWS_SECRET_ACCESS_KEY: "${value}"`],
      () => [`    secretAccessKey: '${value}',`],
      () => [`const awsSecret = \`${value}\`;`],
      () => [
        '        - name: AWS_SECRET_ACCESS_KEY',
        `          value: "${value}"`,
      ],
    ],
    'azure-storage-key': [
      () => [
        `AZURE_STORAGE_CONNECTION_STRING="DefaultEndpointsProtocol=https;AccountName=acme${r.int(99)};AccountKey=${value};EndpointSuffix=core.windows.net"`,
      ],
    ],
    jwt: [
      () => [`${stamp(r)} DEBUG outgoing Authorization: Bearer ${value}`],
      () => [`  "access_token": "${value}",`],
      () => [`redirect: https://app.example.com/callback?token=${value}`],
    ],
    'url-credentials': [
      () => [`DATABASE_URL=${value}/orders`],
      () => [`  url: "${value}/db"`],
      () => [`${stamp(r)} INFO  connecting to ${value}:5432`],
    ],
    'generic-password': [
      () => [`  password: ${value}`],
      () => [`  "db_password": "${value}",`],
      () => [`SMTP_PASSWORD=${value}`],
      () => [`PASSWORD = "${value}"`],
      () => [`    const adminPassword = '${value}';`],
      () => [`password = "${value}"`],
      () => [`  <password>${value}</password>`],
      () => [`    passwd: "${value}"`],
    ],
  }[kind] ?? [
    () => [`  ${envName(kind)}: "${value}"`],
    () => [`export ${envName(kind)}=${value}`],
    () => [`const ${camel(kind)} = '${value}';`],
    () => [`  "${camel(kind)}": "${value}",`],
    () => [`${stamp(r)} DEBUG using credential ${value} for upload`],
  ];
  return r.pick(ways)();
}

function privateKeyLines(value: string, r: Random): string[] {
  const lines = value.split('\n');
  switch (r.int(3)) {
    case 0:
      return lines;
    case 1:
      return ['tls:', '  key: |', ...lines.map((line) => `    ${line}`)];
    default:
      return [`  "private_key": "${lines.join('\\n')}\\n",`];
  }
}

/** The secret key of AWS's documentation, in pieces. */
const AWS_DOC_SECRET = ['wJalrXUtnFEMI', '/K7MDENG/bPxRfiCY', 'EXAMPLEKEY'];

/** Look-alikes that no scanner should report, by kind. */
export const decoyKinds: Record<string, (r: Random) => string[]> = {
  'git-sha': (r) => [
    `${stamp(r)} INFO  merged commit ${r.chars(HEX, 40)} into main`,
  ],
  sri: (r) => [
    `<script src="/app.js" integrity="sha384-${r.chars(BASE64, 64)}" crossorigin="anonymous"></script>`,
  ],
  uuid: (r) => [`  requestId: ${uuid(r)}`, `  "id": "${uuid(r)}",`],
  'cache-key': (r) => [`  cacheKey: "${r.chars(HEX, 32)}"`],
  'password-hash': (r) => [
    `  password_hash: "$2b$12$${r.chars(ALNUM + './', 53)}"`,
  ],
  checksum: (r) => [`checksum = "sha256:${r.chars(HEX, 64)}"`],
  'placeholder-password': (r) => [
    r.pick([
      'password: changeme',
      'password: "********"',
      'DB_PASSWORD=<your-password>',
      'password = "${DB_PASSWORD}"',
    ]),
  ],
  'placeholder-token': (r) => [
    r.pick([
      'API_KEY=<your-api-key>',
      'token: ${TOKEN}',
      `AWS_SECRET_ACCESS_KEY=${'x'.repeat(40)}`,
      `SLACK_TOKEN=${'xo'}xb-your-bot-token`,
      'GITHUB_TOKEN: ${{ secrets.GITHUB_TOKEN }}',
      'SECRET_KEY=replace-me-in-production',
    ]),
  ],
  'public-key': (r) => {
    const body = r.chars(BASE64, 392).match(/.{1,64}/g)!;
    const dashes = '-'.repeat(5);
    return r.next() < 0.5
      ? [
          `${dashes}BEGIN PUBLIC KEY${dashes}`,
          ...body,
          `${dashes}END PUBLIC KEY${dashes}`,
        ]
      : [
          `ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI${r.chars(BASE64, 43)} deploy@ci`,
        ];
  },
  'example-key': (r) =>
    r.pick([
      [`aws_access_key_id = ${'AKIA'}IOSFODNN7${'EXAMPLE'}`],
      [['aws_secret_access_key', '=', AWS_DOC_SECRET.join('')].join(' ')],
      [
        `example: ${'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9'}.${'eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ'}.${r.chars(ALNUM, 43)}`,
      ],
    ]),
  'source-map': (r) => [
    `//# sourceMappingURL=data:application/json;base64,${Buffer.from(`{"version":3,"sources":["${r.chars(ALNUM, 8)}.ts"],"mappings":"${r.chars(ALNUM, 40)}"}`).toString('base64')}`,
  ],
  'data-uri': (r) => [
    `  background: url("data:image/png;base64,iVBORw0KGgo${r.chars(BASE64, 200)}");`,
  ],
};
