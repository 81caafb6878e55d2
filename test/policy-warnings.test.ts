import { describe, expect, it } from 'vitest';

import { defaultPolicy } from '../src/policy/load.ts';
import { parsePolicy } from '../src/policy/parse.ts';

const source = { kind: 'file', path: 'policy.yml' } as const;

const warningsOf = (lines: string[]) =>
  parsePolicy(lines.join('\n'), source).warnings;

describe('policy warnings: allowed, but almost certainly not meant', () => {
  it('names an identity that may speak for an agent the policy does not define', () => {
    const warnings = warningsOf([
      'agents:',
      '  claude: {}',
      'identities:',
      '  alice:',
      '    emails: [alice@example.com]',
      "    agents: [claude, claud, '*']",
    ]);
    expect(warnings).toEqual([
      "policy.yml:6:22: identities.alice.agents[1]: agent 'claud' is not defined under agents",
    ]);
  });

  it('takes agent names as written when the policy lists no agents', () => {
    const warnings = warningsOf([
      'identities:',
      '  alice:',
      '    emails: [alice@example.com]',
      '    agents: [claude]',
    ]);
    expect(warnings).toEqual([]);
  });

  it('names an identity that no commit can ever match', () => {
    const warnings = warningsOf([
      'identities:',
      '  ghost:',
      '    roles: [developer]',
    ]);
    expect(warnings).toEqual([
      'policy.yml:2:3: identities.ghost: names neither emails nor a github login, so no commit can be matched to it',
    ]);
  });

  it.each([
    ['renovate-bot', "it has no '@' and no wildcard"],
    ['team/*@example.com', "it contains '/'"],
    ['a b@example.com', 'it contains white space'],
  ])('names the exempt author glob %j, which can never match', (glob, why) => {
    const warnings = warningsOf([
      'trailers:',
      '  exempt:',
      `    authors: ["ci@example.com", "*@bots.example.com", "${glob}"]`,
    ]);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(
      /^policy\.yml:3:55: trailers\.exempt\.authors\[2\]: /,
    );
    expect(warnings[0]).toContain(`can never match an author email: ${why}`);
  });

  it('names a trailer required twice under different case', () => {
    const warnings = warningsOf([
      'trailers:',
      '  required:',
      '    - key: Agent',
      '    - key: Task',
      '    - key: task',
    ]);
    expect(warnings).toEqual([
      "policy.yml:5:12: trailers.required[2].key: 'task' is already required at trailers.required[1] (keys compare case-insensitively)",
    ]);
  });

  it('names an agent trailer that is not required', () => {
    const warnings = warningsOf([
      'trailers:',
      '  required:',
      '    - key: Task',
      '  agentKey: Model',
    ]);
    expect(warnings).toEqual([
      "policy.yml:4:13: trailers.agentKey: the agent trailer 'Model' is not in trailers.required, so a commit without it is never tied to an agent",
    ]);
  });

  it('names an empty list of required trailers', () => {
    expect(warningsOf(['trailers:', '  required: []'])).toEqual([
      'policy.yml:2:13: trailers.required: no trailer is required, so every commit passes',
    ]);
  });

  it('gives none for a policy that says what it means', () => {
    const warnings = warningsOf([
      'version: 1',
      'trailers:',
      '  required:',
      '    - key: Agent',
      '    - key: Task',
      "      pattern: '^GW-[0-9]+$'",
      '  exempt:',
      "    authors: ['*\\[bot\\]@users.noreply.github.com']",
      'agents:',
      '  claude: {}',
      'identities:',
      '  alice:',
      '    emails: [alice@example.com]',
      '    agents: [claude]',
    ]);
    expect(warnings).toEqual([]);
  });
});

describe('an empty policy file', () => {
  it.each([
    ['empty', ''],
    ['only comments', '# policy to come\n'],
    ['a lone null', '~\n'],
  ])('%s: loads as the built-in default, with a warning', (_name, text) => {
    const policy = parsePolicy(text, source);
    expect(policy.trailers).toEqual(defaultPolicy().trailers);
    expect(policy.warnings).toEqual([
      'policy.yml:1:1: the file is empty; the built-in default policy applies',
    ]);
  });
});
