import { describe, expect, it } from 'vitest';

import { PolicyError } from '../src/policy/errors.ts';
import { parsePolicy } from '../src/policy/parse.ts';
import { decodePolicy, MAX_POLICY_BYTES } from '../src/policy/read.ts';

const source = { kind: 'file', path: 'policy.yml' } as const;

/** The problems a broken policy is refused with, one string per line. */
function problemsOf(text: string): string[] {
  try {
    parsePolicy(text, source);
  } catch (error) {
    expect(error).toBeInstanceOf(PolicyError);
    expect((error as PolicyError).exitCode).toBe(2);
    return (error as Error).message.split('\n');
  }
  throw new Error('expected the policy to be rejected');
}

// Each broken policy, and the exact line it must be refused with:
// file:line:column: field: what was expected.
const broken: [name: string, text: string, problem: string][] = [
  [
    'YAML syntax error',
    'trailers: [unclosed\n',
    /^policy\.yml:2:1: YAML syntax error: /.source,
  ],
  [
    'duplicate top-level key',
    'version: 1\nversion: 1\n',
    'policy.yml:2:1: version: duplicate key (each key may appear once in a mapping)',
  ],
  [
    'duplicate key inside a list item',
    'trailers:\n  required:\n    - key: A\n      key: B\n',
    'policy.yml:4:7: trailers.required[0].key: duplicate key',
  ],
  [
    'unknown field, pointed at the key, not its value',
    'trailers:\n  requird:\n    - key: Agent\n',
    "policy.yml:2:3: trailers.requird: unknown field 'requird'; expected one of: enabled, required, agentKey, separators, identity, exempt",
  ],
  [
    'unknown field in a list item',
    'trailers:\n  required:\n    - key: Task\n      patern: x\n',
    "policy.yml:4:7: trailers.required[0].patern: unknown field 'patern'; expected one of: key, pattern, description",
  ],
  [
    'unknown top-level section',
    'version: 1\ntrailer: {}\n',
    "policy.yml:2:1: trailer: unknown field 'trailer'",
  ],
  [
    'wrong type: text for a boolean',
    'trailers:\n  enabled: "yes"\n',
    'policy.yml:2:12: trailers.enabled: expected true or false, found text "yes"',
  ],
  [
    'wrong type: text for a list',
    'trailers:\n  required: Agent\n',
    'policy.yml:2:13: trailers.required: expected a list, found text "Agent"',
  ],
  [
    'wrong type: list for a mapping',
    'agents: [claude]\n',
    'policy.yml:1:9: agents: expected a mapping (key: value lines), found a list',
  ],
  [
    'value outside an enum',
    'trailers:\n  identity: owner\n',
    'policy.yml:2:13: trailers.identity: expected one of "author", "committer", found text "owner"',
  ],
  [
    'unsupported version',
    'version: 2\n',
    'policy.yml:1:10: version: expected 1, found the number 2',
  ],
  [
    'missing required field',
    'trailers:\n  required:\n    - pattern: x\n',
    "policy.yml:3:7: trailers.required[0]: missing required field 'key'",
  ],
  [
    'trailer key with a space',
    'trailers:\n  required:\n    - key: Co Author\n',
    'policy.yml:3:12: trailers.required[0].key: expected text matching ^[A-Za-z0-9-]+$, found text "Co Author"',
  ],
  [
    'bad agent name, pointed at the key',
    'agents:\n  "bad name": {}\n',
    "policy.yml:2:3: agents.bad name: 'bad name' is not a valid name here; expected a name matching ^[A-Za-z0-9._-]+$",
  ],
  [
    'bad regular expression',
    'trailers:\n  required:\n    - key: Task\n      pattern: "(["\n',
    /^policy\.yml:4:16: trailers\.required\[0\]\.pattern: expected a valid regular expression \(.*character class/
      .source,
  ],
  [
    'glob with an unclosed bracket',
    'trailers:\n  exempt:\n    authors: ["[abc@example.com"]\n',
    "policy.yml:3:15: trailers.exempt.authors[0]: expected a valid glob pattern (unclosed '[')",
  ],
  [
    'glob with an unclosed brace',
    'trailers:\n  exempt:\n    authors:\n      - "{a,b@example.com"\n',
    "policy.yml:4:9: trailers.exempt.authors[0]: expected a valid glob pattern (unclosed '{')",
  ],
  [
    'glob with an unmatched closing brace',
    'trailers:\n  exempt:\n    authors: ["a}@example.com"]\n',
    "policy.yml:3:15: trailers.exempt.authors[0]: expected a valid glob pattern (unmatched '}')",
  ],
  [
    'top level is a list',
    '- trailers\n- agents\n',
    'policy.yml:1:1: expected a mapping of sections at the top level (version, trailers, agents, identities, ...), found a list',
  ],
  [
    'top level is a scalar',
    'just some text\n',
    'policy.yml:1:1: expected a mapping of sections at the top level (version, trailers, agents, identities, ...), found text "just some text"',
  ],
  [
    'two YAML documents',
    'version: 1\n---\ntrailers: {}\n',
    "policy.yml:2:1: a second YAML document starts here; a policy is one document (remove the '---' line or split the file)",
  ],
  [
    'a custom tag',
    'version: !custom 1\n',
    'policy.yml:1:10: unsupported YAML tag !custom; a policy uses plain values only',
  ],
  [
    'a YAML 1.1 tag that would build an object',
    'agents: !!set {claude}\n',
    'policy.yml:1:9: unsupported YAML tag !!set; a policy uses plain values only',
  ],
  [
    'an alias to an anchor that does not exist',
    'agents:\n  claude: *nowhere\n',
    /^policy\.yml:2:11: YAML (syntax )?error: .*nowhere/.source,
  ],
  [
    'tab indentation',
    'trailers:\n\trequired: []\n',
    'policy.yml:2:1: tab used for indentation; YAML indents with spaces',
  ],
  [
    'a NUL byte',
    'version: 1\nagents:\n  a\0b: {}\n',
    'policy.yml:3:4: contains a NUL byte',
  ],
];

describe('a broken policy is refused with one line per problem', () => {
  it.each(broken)('%s', (_name, text, expected) => {
    const [first] = problemsOf(text);
    if (expected.startsWith('^')) expect(first).toMatch(new RegExp(expected));
    else expect(first?.startsWith(expected), first).toBe(true);
  });

  it('lists every problem of the file, each with its own place', () => {
    const text = [
      'version: 2',
      'trailers:',
      '  enabled: maybe',
      '  requird: []',
      '  required:',
      '    - key: Task',
      '      pattern: "GW-("',
      'agents: []',
    ].join('\n');
    expect(problemsOf(text)).toEqual([
      'policy.yml:1:10: version: expected 1, found the number 2',
      'policy.yml:3:12: trailers.enabled: expected true or false, found text "maybe"',
      "policy.yml:4:3: trailers.requird: unknown field 'requird'; expected one of: enabled, required, agentKey, separators, identity, exempt",
      'policy.yml:7:16: trailers.required[0].pattern: expected a valid regular expression (/GW-(/u: Unterminated group)',
      'policy.yml:8:9: agents: expected a mapping (key: value lines), found a list',
    ]);
  });

  it('names the revision for a policy read from history', () => {
    try {
      parsePolicy('versio: 1\n', {
        kind: 'revision',
        revision: 'main',
        path: '.gitwarden/policy.yml',
      });
      expect.unreachable();
    } catch (error) {
      expect((error as Error).message).toMatch(
        /^main:\.gitwarden\/policy\.yml:1:1: versio: unknown field/,
      );
    }
  });
});

describe('YAML that expands without bound', () => {
  // "Billion laughs": each line holds nine aliases of the one before, so
  // the last would expand to 9^12 strings.
  function aliasBomb(levels: number): string {
    let text = `a0: &a0 [${Array(9).fill('lol').join(', ')}]\n`;
    for (let level = 1; level <= levels; level++) {
      const previous = Array(9)
        .fill(`*a${level - 1}`)
        .join(', ');
      text += `a${level}: &a${level} [${previous}]\n`;
    }
    return text;
  }

  it('is refused as a problem at the first alias, not expanded', () => {
    expect(problemsOf(aliasBomb(12))).toEqual([
      'policy.yml:2:10: too many YAML aliases (more than 100 expansions); a policy needs few, if any',
    ]);
  });

  it('still allows the few anchors a real policy may use', () => {
    const text = [
      'identities:',
      '  alice:',
      '    emails: [alice@example.com]',
      '    agents: &pair [claude, codex]',
      '  bob:',
      '    emails: [bob@example.com]',
      '    agents: *pair',
    ].join('\n');
    const policy = parsePolicy(text, source);
    expect(policy.identities.bob?.agents).toEqual(['claude', 'codex']);
  });
});

describe('policy bytes', () => {
  const bytes = (...parts: (string | number[])[]) =>
    Buffer.concat(
      parts.map((part) =>
        typeof part === 'string' ? Buffer.from(part) : Buffer.from(part),
      ),
    );

  function decodeProblem(input: Buffer): string {
    try {
      decodePolicy(input, 'policy.yml');
    } catch (error) {
      expect(error).toBeInstanceOf(PolicyError);
      return (error as Error).message;
    }
    throw new Error('expected the bytes to be refused');
  }

  it('refuses text that is not UTF-8, naming the line and column', () => {
    const latin1 = bytes('version: 1\nagents:\n  caf', [0xe9], ': {}\n');
    expect(decodeProblem(latin1)).toBe(
      'policy.yml:3:6: not UTF-8 text (byte 0xe9); save the policy as UTF-8',
    );
  });

  it('counts columns in characters after valid multi-byte text', () => {
    const text = bytes('# héllo wörld ', [0xc3, 0x28], '\n');
    expect(decodeProblem(text)).toBe(
      'policy.yml:1:15: not UTF-8 text (byte 0xc3); save the policy as UTF-8',
    );
  });

  it('recognises UTF-16 and says how to fix it', () => {
    const utf16 = Buffer.concat([
      Buffer.from([0xff, 0xfe]),
      Buffer.from('version: 1\n', 'utf16le'),
    ]);
    expect(decodeProblem(utf16)).toBe(
      'policy.yml:1:1: the file is UTF-16 text; save it as UTF-8',
    );
  });

  it('accepts a UTF-8 byte order mark', () => {
    const text = decodePolicy(bytes([0xef, 0xbb, 0xbf], 'version: 1\n'), 'p');
    expect(parsePolicy(text, source).document.version).toBe(1);
  });

  it('refuses a file too large to be a policy before parsing it', () => {
    const huge = Buffer.alloc(MAX_POLICY_BYTES + 1, 0x20);
    expect(decodeProblem(huge)).toMatch(
      /^policy\.yml:1:1: the file is 1048577 bytes; a policy may be at most 1048576/,
    );
  });
});

describe('globs that can never match', () => {
  it('refuses a deny rule whose path pattern matches nothing', () => {
    const text = [
      'access:',
      '  deny:',
      '    - actions: [modify]',
      "      paths: ['secrets/[z-a]*']",
      '',
    ].join('\n');
    expect(() => parsePolicy(text, { kind: 'file', path: 'p.yml' })).toThrow(
      /access\.deny\[0\]\.paths\[0\]: expected a valid glob pattern \(it can never match anything\)/,
    );
  });
});

describe('patterns that could stall a hook', () => {
  it('refuses a trailer pattern with nested repetition', () => {
    const text = [
      'trailers:',
      '  required:',
      '    - key: Task',
      '      pattern: "(a+)+$"',
      '',
    ].join('\n');
    expect(() => parsePolicy(text, { kind: 'file', path: 'p.yml' })).toThrow(
      /trailers\.required\[0\]\.pattern: expected a valid regular expression \(it can backtrack catastrophically/,
    );
  });

  it('accepts the usual linear patterns', () => {
    const text = [
      'trailers:',
      '  required:',
      '    - key: Task',
      '      pattern: "^[A-Z]+-[0-9]+$"',
      '    - key: Agent',
      '      pattern: "^(claude|copilot)(-[a-z0-9]+)?$"',
      '',
    ].join('\n');
    expect(
      parsePolicy(text, { kind: 'file', path: 'p.yml' }).trailers.required,
    ).toHaveLength(2);
  });
});
