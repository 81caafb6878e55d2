import { describe, expect, it } from 'vitest';

import { defaultPolicy } from '../src/policy/load.ts';
import { parsePolicy } from '../src/policy/parse.ts';
import {
  judgeCommit,
  trailerSyntax,
  type CommitFacts,
} from '../src/trailers/rule.ts';

const source = { kind: 'file', path: 'policy.yml' } as const;

const strict = parsePolicy(
  [
    'trailers:',
    '  required:',
    '    - key: Agent',
    '    - key: Task',
    '      pattern: "GW-\\\\d+"',
    '      description: an issue id',
    '  exempt:',
    '    authors: ["*[bot]@users.noreply.github.com"]',
    'agents:',
    '  claude: {}',
    '  copilot: {}',
    '  human: {}',
    'identities:',
    '  jane:',
    '    emails: [Jane@Example.com]',
    '    agents: [claude, human]',
    '  lead:',
    '    emails: [lead@example.com]',
    '    agents: ["*"]',
  ].join('\n'),
  source,
);

function commit(message: string, overrides: Partial<CommitFacts> = {}) {
  return {
    sha: 'a'.repeat(40),
    parentCount: 1,
    authorEmail: 'jane@example.com',
    committerEmail: 'ci@example.com',
    subject: message.split('\n', 1)[0]!,
    message,
    problems: [],
    ...overrides,
  };
}

const tip = { kind: 'tip' } as const;
const good = 'Fix\n\nAgent: claude\nTask: GW-2\n';

describe('the trailer rule', () => {
  it('passes a commit with both trailers from an identity that may', () => {
    const verdict = judgeCommit(commit(good), strict, tip);
    expect(verdict.status).toBe('pass');
    expect(verdict.binding).toBe('pass');
    expect(verdict.violations).toEqual([]);
  });

  it('reports a missing trailer with the amend command for the tip', () => {
    const verdict = judgeCommit(commit('Fix\n\nAgent: claude\n'), strict, tip);
    expect(verdict.status).toBe('fail');
    expect(verdict.violations).toMatchObject([
      { trailer: 'Task', problem: 'missing', found: null },
    ]);
    expect(verdict.violations[0]!.fix).toBe(
      'git commit --amend --no-edit --trailer "Task: <task>"',
    );
  });

  it('matches a pattern against the whole value', () => {
    const verdict = judgeCommit(
      commit('Fix\n\nAgent: claude\nTask: xGW-2y\n'),
      strict,
      tip,
    );
    expect(verdict.violations).toMatchObject([
      { trailer: 'Task', problem: 'pattern', found: 'xGW-2y' },
    ]);
    expect(verdict.violations[0]!.message).toMatch(/an issue id/);
    // A wrong value is replaced, not joined by a second one.
    expect(verdict.violations[0]!.fix).toMatch(
      /^git -c trailer\.ifexists=replace commit --amend/,
    );
  });

  it('judges every occurrence: a second bad value fails', () => {
    const verdict = judgeCommit(
      commit('Fix\n\nAgent: claude\nTask: GW-2\nTask: later\n'),
      strict,
      tip,
    );
    expect(verdict.violations).toMatchObject([
      { problem: 'pattern', found: 'later' },
    ]);
  });

  it('an empty value does not count as present', () => {
    const verdict = judgeCommit(
      commit('Fix\n\nAgent:\nTask: GW-1\n'),
      defaultPolicy(),
      tip,
    );
    expect(verdict.violations).toMatchObject([
      { trailer: 'Agent', problem: 'empty', found: '' },
    ]);
  });

  it('refuses an agent the policy does not list', () => {
    const verdict = judgeCommit(
      commit('Fix\n\nAgent: Claude\nTask: GW-2\n'),
      strict,
      tip,
    );
    expect(verdict.violations.map((v) => v.problem)).toEqual(['unknown-agent']);
    expect(verdict.binding).toBe('fail');
    // '*' is any agent the policy lists, not any agent at all.
    const lead = judgeCommit(
      commit('Fix\n\nAgent: rogue\nTask: GW-2\n', {
        authorEmail: 'lead@example.com',
      }),
      strict,
      tip,
    );
    expect(lead.binding).toBe('fail');
  });

  it('binds the agent to the identity, emails ignoring case', () => {
    const copilot = 'Fix\n\nAgent: copilot\nTask: GW-2\n';
    const jane = judgeCommit(commit(copilot), strict, tip);
    expect(jane.binding).toBe('fail');
    expect(jane.violations[0]!.message).toMatch(
      /jane@example\.com may not commit as "copilot" \(allowed: claude, human\)/,
    );
    const lead = judgeCommit(
      commit(copilot, { authorEmail: 'LEAD@example.com' }),
      strict,
      tip,
    );
    expect(lead.binding).toBe('pass');
    const stranger = judgeCommit(
      commit(good, { authorEmail: 'who@example.com' }),
      strict,
      tip,
    );
    expect(stranger.violations[0]!.message).toMatch(
      /not an identity the policy names/,
    );
  });

  it('every agent named must be allowed', () => {
    const verdict = judgeCommit(
      commit('Fix\n\nAgent: claude\nAgent: copilot\nTask: GW-2\n'),
      strict,
      tip,
    );
    expect(verdict.violations).toMatchObject([
      { problem: 'identity', found: 'copilot' },
    ]);
  });

  it('judges the committer when the policy says so', () => {
    const policy = parsePolicy(
      [
        'trailers: { identity: committer }',
        'identities:',
        '  ci: { emails: [ci@example.com], agents: [bot] }',
      ].join('\n'),
      source,
    );
    const verdict = judgeCommit(
      commit('Fix\n\nAgent: bot\nTask: 1\n'),
      policy,
      tip,
    );
    expect(verdict.identity).toBe('ci@example.com');
    expect(verdict.binding).toBe('pass');
  });

  it('reports the binding as not configured without identities', () => {
    const verdict = judgeCommit(commit(good), defaultPolicy(), tip);
    expect(verdict.status).toBe('pass');
    expect(verdict.binding).toBe('not-configured');
  });

  it('exempts merges by parent count, never by subject', () => {
    const merge = judgeCommit(
      commit('Add things', { parentCount: 2 }),
      strict,
      tip,
    );
    expect(merge).toMatchObject({ status: 'exempt', exempt: 'merge' });
    const lookalike = judgeCommit(commit("Merge branch 'x'"), strict, tip);
    expect(lookalike.status).toBe('fail');
  });

  it('exempts authors by email glob, brackets literal', () => {
    const bot = judgeCommit(
      commit('Bump', {
        authorEmail: 'dependabot[bot]@users.noreply.github.com',
      }),
      strict,
      tip,
    );
    expect(bot).toMatchObject({ status: 'exempt', exempt: 'author' });
    const notBot = judgeCommit(
      commit('Bump', { authorEmail: 'robot@users.noreply.github.com' }),
      strict,
      tip,
    );
    expect(notBot.status).toBe('fail');
  });

  it('tells how to fix an older commit and a root commit', () => {
    const older = judgeCommit(commit('Fix\n'), strict, {
      kind: 'older',
      sha: 'b'.repeat(40),
      root: false,
    });
    expect(older.violations[0]!.fix).toBe(
      'git rebase -i bbbbbbb~1, mark bbbbbbb as "edit", then ' +
        'git commit --amend --no-edit --trailer "Agent: <agent>" --trailer "Task: <task>" && git rebase --continue',
    );
    const root = judgeCommit(commit('Fix\n'), strict, {
      kind: 'older',
      sha: 'c'.repeat(40),
      root: true,
    });
    expect(root.violations[0]!.fix).toMatch(/^git rebase -i --root,/);
    const pending = judgeCommit(commit('Fix\n'), strict, { kind: 'pending' });
    expect(pending.violations[0]!.fix).toBe(
      'git commit --trailer "Agent: <agent>" --trailer "Task: <task>"',
    );
  });

  it('tells git about each required key and the agent key once', () => {
    const policy = parsePolicy(
      'trailers: { agentKey: Assisted-by, required: [{ key: Task }, { key: task }] }',
      source,
    );
    expect(trailerSyntax(policy)).toEqual({
      keys: ['Task', 'Assisted-by'],
      separators: ':',
      commentChar: '#',
    });
  });

  it('accepts only ASCII punctuation as separators', () => {
    for (const ok of [':', ':#', '=']) {
      const policy = parsePolicy(`trailers: { separators: "${ok}" }`, source);
      expect(policy.trailers.separators).toBe(ok);
    }
    for (const bad of ['\u00a7', 'a', ' :']) {
      expect(() =>
        parsePolicy(`trailers: { separators: "${bad}" }`, source),
      ).toThrow(/trailers\.separators: expected text matching/);
    }
  });
});
