import { defineRule, indexesOf, type Report } from './lib/rule.ts';

// secretlint's own private key rule wants a body of 100+ characters that
// starts with DER magic (MI...), so short EC and Ed25519 keys (MH..., MC...)
// slip through. This one takes every "PRIVATE KEY" armour whatever the
// algorithm, as a block or as one line with \n escapes (JSON, env files),
// plus PuTTY key files.

/** Longest body looked at; the largest RSA keys are under 4 KB. */
const MAX_BODY = 16_384;
const MIN_BASE64 = 40;

const HEADER =
  /-{4,5} ?BEGIN ((?:[A-Z0-9]{1,12} ){0,4}PRIVATE KEY(?: BLOCK)?) ?-{4,5}/y;
const ESCAPES = /\\[nr]|["']|\s/g;
const HEADER_LINES =
  /(?:Proc-Type|DEK-Info|Comment|Version|Hash|Charset):[^\n\\]*/g;

export const privateKey = defineRule({
  id: 'gitwarden/private-key',
  group: 'tokens',
  titles: {
    PrivateKey: 'private key (PEM armour, any algorithm)',
    PuttyKey: 'PuTTY private key file',
  },
  keywords: ['private key', 'putty-user-key-file'],
  *find(content) {
    for (const at of indexesOf(content, 'BEGIN ')) {
      const found = pemBlock(content, at);
      if (found) yield found;
    }
    for (const at of indexesOf(content, 'PuTTY-User-Key-File-')) {
      const found = puttyKey(content, at);
      if (found) yield found;
    }
  },
});

function pemBlock(content: string, beginAt: number): Report | undefined {
  // The armour starts with 4-5 dashes, maybe a space, then BEGIN.
  let start = beginAt;
  if (content[start - 1] === ' ') start--;
  while (start > 0 && beginAt - start < 6 && content[start - 1] === '-') {
    start--;
  }
  HEADER.lastIndex = start;
  const header = HEADER.exec(content);
  if (!header) return undefined;

  const bodyStart = HEADER.lastIndex;
  // A NUL never occurs in text; the engine puts one between files.
  const window = content
    .slice(bodyStart, bodyStart + MAX_BODY)
    .split('\0', 1)[0]!;
  const endAt = window.search(/-{4,5} ?END /);
  const body = endAt === -1 ? leadingBody(window) : window.slice(0, endAt);
  if (!isKeyBody(body)) return undefined;

  let end = bodyStart + body.length;
  if (endAt !== -1) {
    const footer = /-{4,5} ?END [A-Z0-9 ]{0,60}-{4,5}/y;
    footer.lastIndex = end;
    if (footer.exec(content)) end = footer.lastIndex;
  }
  return { messageId: 'PrivateKey', start, end };
}

/** Without an END line, the run of base64-looking lines after BEGIN. */
function leadingBody(window: string): string {
  const separator = String.raw`(?:\\[nr]|[\r\n\t "'])`;
  const run = '[A-Za-z0-9+/=]{4,}';
  // Runs of base64 with separators between them: one way to split a
  // text, so no backtracking.
  const match = new RegExp(
    `^${separator}*${run}(?:${separator}+${run}){0,200}`,
  ).exec(window);
  return match ? match[0] : '';
}

function isKeyBody(body: string): boolean {
  const withoutHeaders = body.replace(HEADER_LINES, '');
  const compact = withoutHeaders.replace(ESCAPES, '');
  if (compact.length < MIN_BASE64) return false;
  // Documentation elides keys ("MIIEow...") or puts a stand-in there.
  if (body.includes('...') || /[<>{}]|your|example/i.test(body)) return false;
  const base64 = compact.replace(/[^A-Za-z0-9+/=]/g, '').length;
  return base64 / compact.length >= 0.95;
}

function puttyKey(content: string, at: number): Report | undefined {
  const window = content.slice(at, at + MAX_BODY);
  const lines = /Private-Lines: *(\d{1,3})/.exec(window);
  if (!lines) return undefined;
  const mac = window.indexOf('Private-MAC:', lines.index);
  const end = mac === -1 ? lines.index + lines[0].length : mac;
  const body = window.slice(lines.index + lines[0].length, end);
  if (!isKeyBody(body)) return undefined;
  return { messageId: 'PuttyKey', start: at, end: at + end };
}
