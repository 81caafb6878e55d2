// Realistic filler for the corpus: source code, logs, configuration and
// prose, with the words that make a keyword pre-filter work (key, token,
// secret, password, URLs) at the rates they have in real repositories.

import { ALNUM, HEX, type Random } from './random.ts';

const NAMES = [
  'user',
  'order',
  'invoice',
  'session',
  'request',
  'payload',
  'config',
  'client',
  'cache',
  'result',
  'item',
  'record',
  'event',
  'handler',
  'queue',
  'message',
  'buffer',
  'schema',
  'settings',
  'customer',
  'product',
  'route',
];
const VERBS = [
  'get',
  'set',
  'load',
  'save',
  'parse',
  'build',
  'fetch',
  'send',
  'check',
  'render',
];
const WORDS = (
  'the a of to and in that is for it with as was on be by this are from or ' +
  'have an they which one you were her all she there would their we him been ' +
  'has when who will more no if out so said what up its about into than them ' +
  'can only other new some could time these two may then do first any my now ' +
  'such like our over man me even most made after also did many before must ' +
  'through back years where much your way well down should because each just ' +
  'deploy build release service request response cache user config server ' +
  'client database queue worker'
).split(' ');

export type FileKind =
  'ts' | 'py' | 'go' | 'log' | 'yaml' | 'json' | 'md' | 'env' | 'toml';

export const FILE_KINDS: FileKind[] = [
  'ts',
  'ts',
  'ts',
  'py',
  'py',
  'go',
  'log',
  'log',
  'yaml',
  'json',
  'md',
  'toml',
];

export const EXTENSIONS: Record<FileKind, string> = {
  ts: 'ts',
  py: 'py',
  go: 'go',
  log: 'log',
  yaml: 'yml',
  json: 'json',
  md: 'md',
  env: 'env',
  toml: 'toml',
};

function ident(r: Random) {
  const name = r.pick(NAMES);
  return r.next() < 0.5
    ? name
    : `${r.pick(VERBS)}${name[0]!.toUpperCase()}${name.slice(1)}`;
}

function sentence(r: Random, words = 8 + r.int(10)) {
  const out: string[] = [];
  for (let i = 0; i < words; i++) out.push(r.pick(WORDS));
  return out.join(' ');
}

export function fillerLine(kind: FileKind, r: Random): string {
  const indent = '  '.repeat(r.int(4));
  const roll = r.next();
  switch (kind) {
    case 'ts':
      if (roll < 0.15) return `${indent}// ${sentence(r)}`;
      if (roll < 0.3)
        return `${indent}const ${ident(r)} = await ${ident(r)}(${ident(r)}, { retries: ${r.int(5)} });`;
      if (roll < 0.4)
        return `${indent}if (!${ident(r)}.${ident(r)}) throw new Error('${sentence(r, 4)}');`;
      if (roll < 0.5)
        return `${indent}import { ${ident(r)} } from './${ident(r)}.js';`;
      if (roll < 0.52)
        return `${indent}const cacheKey = \`\${${ident(r)}.id}:\${${ident(r)}}\`;`;
      if (roll < 0.53)
        return `${indent}headers.authorization = \`Bearer \${token}\`;`;
      if (roll < 0.7)
        return `${indent}return ${ident(r)}.map((x) => x.${ident(r)}).filter(Boolean);`;
      if (roll < 0.8)
        return `${indent}export function ${ident(r)}(${ident(r)}: string, ${ident(r)}: number) {`;
      return `${indent}${ident(r)}.${ident(r)} = ${ident(r)}.${ident(r)} ?? ${r.int(1000)};`;
    case 'py':
      if (roll < 0.15) return `${indent}# ${sentence(r)}`;
      if (roll < 0.35)
        return `${indent}${ident(r)} = ${ident(r)}.${ident(r)}(${ident(r)}, timeout=${r.int(60)})`;
      if (roll < 0.45)
        return `${indent}def ${ident(r)}(self, ${ident(r)}, ${ident(r)}=None):`;
      if (roll < 0.46) return `${indent}token = os.environ.get("API_TOKEN")`;
      if (roll < 0.6)
        return `${indent}logger.info("${sentence(r, 5)} %s", ${ident(r)})`;
      return `${indent}for ${ident(r)} in ${ident(r)}.items():`;
    case 'go':
      if (roll < 0.15) return `${indent}// ${sentence(r)}`;
      if (roll < 0.4)
        return `${indent}${ident(r)}, err := ${ident(r)}.${ident(r)}(ctx, ${ident(r)})`;
      if (roll < 0.55)
        return `${indent}if err != nil { return fmt.Errorf("${sentence(r, 3)}: %w", err) }`;
      if (roll < 0.6)
        return `${indent}func (s *${ident(r)}) ${ident(r)}(key string) (*${ident(r)}, error) {`;
      return `${indent}${ident(r)} := make(map[string]*${ident(r)}, ${r.int(64)})`;
    case 'log': {
      const stamp = `2026-0${1 + r.int(9)}-1${r.int(9)}T${10 + r.int(13)}:${10 + r.int(49)}:${10 + r.int(49)}Z`;
      if (roll < 0.2) return `${stamp} INFO  ${ident(r)}: ${sentence(r)}`;
      if (roll < 0.3)
        return `${stamp} DEBUG GET https://api.example.com/v1/${ident(r)}/${r.int(99999)} 200 ${r.int(900)}ms`;
      if (roll < 0.38)
        return `${stamp} INFO  commit ${r.chars(HEX, 40)} deployed`;
      if (roll < 0.4)
        return `${stamp} WARN  cache miss key=${ident(r)}:${r.int(1e6)} requestId=${uuid(r)}`;
      return `${stamp} INFO  ${sentence(r)} took ${r.int(2000)}ms`;
    }
    case 'yaml':
      if (roll < 0.2) return `${indent}${ident(r)}: ${r.int(100)}`;
      if (roll < 0.4) return `${indent}${ident(r)}: "${sentence(r, 3)}"`;
      if (roll < 0.5) return `${indent}- name: ${ident(r)}`;
      if (roll < 0.55)
        return `${indent}url: https://${ident(r)}.internal.example/${ident(r)}`;
      return `${indent}# ${sentence(r)}`;
    case 'json':
      if (roll < 0.3) return `${indent}"${ident(r)}": "${sentence(r, 3)}",`;
      if (roll < 0.5) return `${indent}"${ident(r)}": ${r.int(10000)},`;
      if (roll < 0.6)
        return `${indent}"integrity": "sha512-${r.chars(ALNUM + '+/', 86)}==",`;
      return `${indent}"${ident(r)}": { "enabled": ${r.next() < 0.5} },`;
    case 'md':
      if (roll < 0.1) return `## ${sentence(r, 4)}`;
      if (roll < 0.2) return '';
      if (roll < 0.25)
        return `See [the docs](https://docs.example.com/${ident(r)}) for the key settings.`;
      return sentence(r, 12 + r.int(10));
    case 'env':
      return `${ident(r).toUpperCase()}_${r.pick(['HOST', 'PORT', 'MODE', 'LEVEL'])}=${r.int(9000)}`;
    case 'toml':
      if (roll < 0.3) return `[${ident(r)}]`;
      return `${ident(r)} = "${sentence(r, 2)}"`;
  }
}

export function uuid(r: Random): string {
  return [8, 4, 4, 4, 12].map((n) => r.chars(HEX, n)).join('-');
}
