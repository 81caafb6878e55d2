import { isSecretName } from './lib/names.ts';
import { defineRule, isNameChar, type Report } from './lib/rule.ts';
import { looksLikeCredential } from './lib/values.ts';

// A value assigned to a credential's name, in any of the usual syntaxes:
//   password = "..."   DB_PASSWORD=...   "apiKey": "..."   token: ...
//   <password>...</password>   Authorization: Bearer ...
//   - name: AWS_SECRET_ACCESS_KEY
//     value: ...
// Neither secretlint nor gitleaks found passwords with punctuation
// (! # % * @ $); here the value is whatever the quotes enclose, judged by
// entropy and by not being a placeholder or a reference.

const HINT = /pass|pwd|secret|token|credential|key|bearer/gi;
const MAX_NAME = 64;
const MAX_VALUE = 512;
const SPACE = /[ \t]/;

export const genericAssignment = defineRule({
  id: 'gitwarden/generic-secret',
  group: 'names',
  titles: {
    Assignment: 'credential assigned to a secret-like name',
    Bearer: 'bearer token',
  },
  keywords: ['pass', 'pwd', 'secret', 'token', 'credential', 'key', 'bearer'],
  *find(content) {
    const hint = new RegExp(HINT.source, HINT.flags);
    let match: RegExpExecArray | null;
    while ((match = hint.exec(content))) {
      const [start, end] = expandName(content, match.index, match[0].length);
      hint.lastIndex = Math.max(end, match.index + 1);
      const name = content.slice(start, end);
      if (/^bearer$/i.test(name)) {
        const found = bearerToken(content, end);
        if (found) yield found;
        continue;
      }
      // Cheap checks (is a value assigned here?) before the name's words.
      const found =
        assignedValue(content, start, end) ?? valueOnNextLine(content, end);
      if (found && isSecretName(name)) yield found;
    }
  },
});

function expandName(content: string, at: number, length: number) {
  let start = at;
  while (start > 0 && at - start < MAX_NAME) {
    if (!isNameChar(content.charCodeAt(start - 1))) break;
    start--;
  }
  let end = at + length;
  while (end < content.length && end - at < MAX_NAME) {
    if (!isNameChar(content.charCodeAt(end))) break;
    end++;
  }
  return [start, end] as const;
}

function skipSpaces(content: string, at: number): number {
  let position = at;
  while (position - at < 16 && SPACE.test(content[position] ?? '')) position++;
  return position;
}

/** `name = value`, `name: value`, `"name": "value"`, `<name>value</name>`. */
function assignedValue(
  content: string,
  nameStart: number,
  nameEnd: number,
): Report | undefined {
  let at = nameEnd;
  const opener = content[nameStart - 1];
  if (opener === '<' && content[at] === '>') {
    const close = content.indexOf('</', at + 1);
    if (close === -1 || close - at > MAX_VALUE) return undefined;
    return judge(content, at + 1, close);
  }
  if (content[at] === '"' || content[at] === "'") at++;
  at = skipSpaces(content, at);
  const connector = /^(?::=|=>|=(?!=)|:(?!:)|\?\?=|\|\|=)/.exec(
    content.slice(at, at + 3),
  );
  if (!connector) return undefined;
  at = skipSpaces(content, at + connector[0].length);
  if (connector[0] === ':') {
    // TypeScript, Rust, Kotlin, Swift: `token: string = "..."` has a type
    // between the name and the literal.
    const typed =
      /^[A-Za-z_&][\w.<>[\]&|?]{0,40}[ \t]{0,4}=(?!=)[ \t]{0,4}/.exec(
        content.slice(at, at + 64),
      );
    if (typed) at += typed[0].length;
  }
  return quotedOrBareValue(content, at);
}

// A quoted value: anything but its quote (backslash escapes allowed), on
// one line. A bare value: up to whitespace, a quote or a separator.
const QUOTED: Record<string, RegExp> = {
  '"': /(?:[^"\\\n]|\\.){0,512}"/y,
  "'": /(?:[^'\\\n]|\\.){0,512}'/y,
  '`': /(?:[^`\\\n]|\\.){0,512}`/y,
};
// Brackets end a bare value too: `secret: string)`, `key: Schemas['x']`.
const BARE = /[^\s"'`,;()[\]{}<>]{0,513}/y;

/** CamelCase words with at most a short number: a type, not a secret. */
const TYPE_NAME = /^[A-Z][a-z]+(?:[A-Z][a-z]+|[0-9]{1,2})*(?:[A-Z][a-z]*)?$/;

function quotedOrBareValue(content: string, at: number): Report | undefined {
  const quoted = QUOTED[content[at] ?? ''];
  if (quoted) {
    quoted.lastIndex = at + 1;
    if (!quoted.exec(content)) return undefined;
    return judge(content, at + 1, quoted.lastIndex - 1);
  }
  BARE.lastIndex = at;
  BARE.exec(content);
  const end = BARE.lastIndex;
  // A call or an index in code: `password = createRandom(3)`, `x = a[0]`.
  if (content[end] === '(' || content[end] === '[') return undefined;
  // An unquoted type in code: `privateKey: Uint8Array`, `token: CryptoKey`.
  if (TYPE_NAME.test(content.slice(at, end))) return undefined;
  return judge(content, at, end);
}

/**
 *   - name: DB_PASSWORD
 *     value: "..."
 * The name stands alone at the end of its line; the value follows.
 */
function valueOnNextLine(content: string, nameEnd: number): Report | undefined {
  let at = nameEnd;
  if (content[at] === '"' || content[at] === "'") at++;
  at = skipSpaces(content, at);
  if (content[at] === '\r') at++;
  if (content[at] !== '\n') return undefined;
  const next = /^[ \t]*-?[ \t]*value[ \t]*[:=][ \t]*/.exec(
    content.slice(at + 1, at + 1 + 64),
  );
  if (!next) return undefined;
  return quotedOrBareValue(content, at + 1 + next[0].length);
}

function bearerToken(content: string, at: number): Report | undefined {
  const start = skipSpaces(content, at);
  if (start === at) return undefined;
  let end = start;
  while (end < content.length && end - start <= MAX_VALUE) {
    if (!/[A-Za-z0-9._~+/=-]/.test(content[end]!)) break;
    end++;
  }
  const value = content.slice(start, end);
  if (value.length < 20 || !looksLikeCredential(value)) return undefined;
  return { messageId: 'Bearer', start, end };
}

function judge(content: string, start: number, end: number) {
  const value = content.slice(start, end);
  if (!looksLikeCredential(value)) return undefined;
  return { messageId: 'Assignment', start, end } satisfies Report;
}
