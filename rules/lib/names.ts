// Whether a variable, key or setting name says it holds a credential:
// DB_PASSWORD, apiKey, client-secret, "auth_token". Names are split into
// words (snake, kebab, dotted and camel case) and judged by their words,
// so cacheKey, primary_key, tokenizer or password_policy are not taken.

const SECRET_WORDS = new Set([
  'password',
  'passwd',
  'pwd',
  'passphrase',
  'pass',
  'secret',
  'token',
  'credential',
  'credentials',
  'apikey',
  'accesskey',
  'secretkey',
  'privatekey',
  'authkey',
  'clientsecret',
  'bearer',
]);

/** Words that make "... key" a credential's name (api key, signing key). */
const KEY_QUALIFIERS = new Set([
  'api',
  'access',
  'secret',
  'private',
  'auth',
  'encryption',
  'signing',
  'master',
  'account',
  'storage',
  'app',
  'client',
  'consumer',
  'service',
  'admin',
  'hmac',
  'jwt',
  'session',
  'crypto',
  'cipher',
  'aes',
  'shared',
  'webhook',
  'subscription',
  'license',
  'sendgrid',
  'stripe',
  'openai',
  'anthropic',
  'mailgun',
  'mistral',
  'cohere',
  'gemini',
  'google',
  'azure',
  'twilio',
]);

/** A last word that names something about a secret, not the secret. */
const NOT_THE_VALUE = new Set([
  'url',
  'uri',
  'endpoint',
  'path',
  'file',
  'filename',
  'dir',
  'name',
  'names',
  'id',
  'ids',
  'type',
  'types',
  'length',
  'len',
  'size',
  'count',
  'field',
  'prompt',
  'label',
  'header',
  'policy',
  'expiry',
  'expires',
  'expiration',
  'ttl',
  'hint',
  'regex',
  'pattern',
  'placeholder',
  'format',
  'hash',
  'hashed',
  'digest',
  'mode',
  'enabled',
  'required',
  'min',
  'max',
  'reset',
  'confirmation',
  'env',
  'var',
  'input',
  'location',
  'store',
  'manager',
  'provider',
  'version',
  'class',
  'kind',
  'changed',
  'at',
  'on',
  'ref',
  'arn',
  'limit',
  'usage',
  'cost',
  'index',
  'rotation',
  'strength',
  'validator',
  'error',
  'message',
]);

/** Words that mean the value is public or not a credential at all. */
const DISQUALIFIERS = new Set([
  'public',
  'publishable',
  'csrf',
  'xsrf',
  'page',
  'next',
  'cursor',
  'continuation',
  'max',
  'num',
  'tokenizer',
  'bypass',
  'compass',
  'passport',
]);

export function nameWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

export function isSecretName(name: string): boolean {
  const words = nameWords(name);
  if (words.length === 0 || words.length > 8) return false;
  if (words.some((word) => DISQUALIFIERS.has(word))) return false;
  const last = words[words.length - 1]!;
  if (NOT_THE_VALUE.has(last)) return false;

  const joined = words.join('');
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    // "pass" names a password only at the end (DB_PASS, smtp_pass), not in
    // passThrough or passCount.
    if (word === 'pass' && i < words.length - 1) continue;
    if (SECRET_WORDS.has(word)) return true;
    if (word === 'key' && i > 0 && KEY_QUALIFIERS.has(words[i - 1]!)) {
      return true;
    }
  }
  // Run-together names: APIKEY, secretkey, dbpassword.
  return (
    /apikey|accesskey|secretkey|privatekey|password|passwd|secret|token/.test(
      joined,
    ) && words.length === 1
  );
}
