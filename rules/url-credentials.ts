import { defineRule, indexesOf, type Report } from './lib/rule.ts';
import { isPlaceholder, isReference } from './lib/values.ts';

// scheme://user:password@host for any scheme. secretlint's basicauth rule
// knows http(s) and ftp(s) only and a password of [-A-Za-z0-9_], and its
// connection-string rule knows three databases; redis://, amqp://,
// smtp://, ldap:// and passwords with punctuation went unseen.

const MAX_USERINFO = 512;
// Characters that end a URL in text: whitespace, quotes, brackets.
const URL_END = /[\s"'`<>()[\]{}|\\]/;

const COMMON_WORDS = new Set([
  'pass',
  'pwd',
  'passwd',
  'password',
  'secret',
  'root',
  'admin',
  'user',
  'username',
  'guest',
  'test',
  'postgres',
  'mysql',
  'redis',
  'rabbitmq',
  'changeme',
  'default',
  'letmein',
]);

export const urlCredentials = defineRule({
  id: 'gitwarden/url-credentials',
  group: 'urls',
  titles: { UrlPassword: 'password in a URL' },
  keywords: ['://'],
  *find(content) {
    for (const at of indexesOf(content, '://')) {
      const found = credentialsAt(content, at);
      if (found) yield found;
    }
  },
});

function credentialsAt(content: string, at: number): Report | undefined {
  let schemeStart = at;
  while (schemeStart > 0 && at - schemeStart < 32) {
    const char = content[schemeStart - 1]!;
    if (!/[A-Za-z0-9+.-]/.test(char)) break;
    schemeStart--;
  }
  if (schemeStart === at || !/[A-Za-z]/.test(content[schemeStart]!)) {
    return undefined;
  }

  // The user information ends at the last "@" before the path.
  const from = at + 3;
  let atSign = -1;
  for (let i = from; i < content.length && i - from < MAX_USERINFO; i++) {
    const char = content[i]!;
    if (char === '@') atSign = i;
    else if (char === '/' || char === '?' || char === '#') break;
    else if (URL_END.test(char)) break;
  }
  if (atSign === -1) return undefined;
  const userinfo = content.slice(from, atSign);
  const colon = userinfo.indexOf(':');
  if (colon === -1) return undefined;

  const user = userinfo.slice(0, colon);
  const password = userinfo.slice(colon + 1);
  if (!/^[A-Za-z0-9[]/.test(content[atSign + 1] ?? '')) return undefined;
  if (!isRealPassword(user, password)) return undefined;
  const start = from + colon + 1;
  return { messageId: 'UrlPassword', start, end: start + password.length };
}

function isRealPassword(user: string, password: string): boolean {
  if (password.length < 6 || password === user) return false;
  if (COMMON_WORDS.has(password.toLowerCase())) return false;
  if (/^[*x.•]+$/i.test(password) || /^%[0-9A-F]{2}$/i.test(password)) {
    return false;
  }
  return !isPlaceholder(password) && !isReference(password);
}
