import { describe, expect, it } from 'vitest';

import { annotationsFor } from '../src/github/annotations.ts';
import type { Finding } from '../src/github/checks/types.ts';
import { toSarif } from '../src/github/sarif.ts';
import { verifySummary } from '../src/github/summary.ts';
import type { VerifyResult } from '../src/github/verify.ts';

const sha = (n: number) => n.toString(16).padStart(40, '0');

function finding(n: number, extra: Partial<Finding> = {}): Finding {
  return {
    check: 'trailers',
    rule: 'trailer-missing',
    severity: 'error',
    message: `problem ${n}`,
    commit: sha(n),
    ...extra,
  };
}

function result(overrides: Partial<VerifyResult> = {}): VerifyResult {
  return {
    schema: 'gitwarden/verify-result@1',
    event: 'push',
    description: 'push to refs/heads/main',
    range: '000000000001..000000000002',
    head: sha(2),
    actor: { login: 'alice', role: 'pusher' },
    policy: 'built-in default',
    verdict: 'refused',
    commits: [],
    checks: [{ name: 'trailers', status: 'ran', notes: [] }],
    findings: [],
    decisions: [],
    notes: [],
    counts: { commits: 0, refused: 0, exempt: 0, errors: 0, warnings: 0 },
    ...overrides,
  };
}

describe('annotations', () => {
  it('place a finding on its file and line, or on the commit', () => {
    const annotations = annotationsFor([
      finding(1, { file: 'src/a.ts', line: 3, column: 5, severity: 'warning' }),
      finding(2, { fix: 'git commit --amend' }),
    ]);
    const commit = annotations.find((a) => a.level === 'error');
    const placed = annotations.find((a) => a.level === 'warning');
    expect(commit).toMatchObject({
      level: 'error',
      message: `${sha(2).slice(0, 12)}: problem 2\nFix: git commit --amend`,
      properties: { title: 'gitwarden trailers: trailer-missing' },
    });
    expect(commit?.properties.file).toBeUndefined();
    expect(placed).toMatchObject({
      level: 'warning',
      properties: { file: 'src/a.ts', startLine: 3, startColumn: 5 },
    });
  });

  it('stay within what GitHub shows, and count the rest', () => {
    const many = Array.from({ length: 25 }, (_, i) => finding(i));
    const annotations = annotationsFor(many);
    expect(annotations).toHaveLength(10);
    expect(annotations[9]?.message).toMatch(/^16 more error findings/);
    expect(annotationsFor(many.slice(0, 10))).toHaveLength(10);
  });
});

describe('the job summary', () => {
  it('keeps text from commits inside its cell and out of the HTML', () => {
    const text = verifySummary(
      result({
        commits: [
          {
            sha: sha(1),
            subject: 'evil <img src=x onerror=alert(1)> | ` next',
            author: 'Mallory <m@example.com>',
            verdict: 'refused',
            checks: { trailers: 'fail' },
          },
        ],
        findings: [
          finding(1, { fix: 'git commit --trailer "Task: <task>" | x' }),
        ],
      }),
      { commitUrl: (s) => `https://github.com/o/r/commit/${s}` },
    );
    const row = text.split('\n').find((line) => line.includes('evil'))!;
    expect(row).toContain("evil &lt;img src=x onerror=alert(1)&gt; \\| ' next");
    expect(row).toContain('Mallory &lt;m@example.com&gt;');
    // Five columns: the escaped pipe did not open a sixth.
    expect(row.split(' | ')).toHaveLength(5);
    expect(text).toContain('`git commit --trailer "Task: <task>" \\| x`');
    expect(text).toContain(
      `[\`${sha(1).slice(0, 12)}\`](https://github.com/o/r/commit/${sha(1)})`,
    );
  });

  it('lists at most maxRows commits and says how many more', () => {
    const commits = Array.from({ length: 5 }, (_, i) => ({
      sha: sha(i),
      subject: `c${i}`,
      author: 'a',
      verdict: 'pass' as const,
      checks: {},
    }));
    const text = verifySummary(result({ verdict: 'pass', commits }), {
      maxRows: 2,
    });
    expect(text.match(/^\| `/gm)).toHaveLength(2);
    expect(text).toContain('…and 3 more commits');
    expect(text).toMatch(/^## gitwarden verify: ✅ passed/);
  });

  it('shows checks that did not run and the notes', () => {
    const text = verifySummary(
      result({
        verdict: 'nothing',
        notes: ['no new commits: nothing judged'],
        checks: [{ name: 'trailers', status: 'off', notes: [] }],
      }),
    );
    expect(text).toMatch(/nothing to judge/);
    expect(text).toContain('- no new commits: nothing judged');
    expect(text).toContain('- trailers: off');
  });
});

describe('SARIF', () => {
  it('has a result for each finding with a place, none for commit-only ones', () => {
    const sarif = toSarif(
      [
        finding(1, {
          check: 'secrets',
          rule: 'aws-key',
          file: 'config/my x.env',
          line: 4,
          endLine: 4,
          fingerprint: 'f'.repeat(64),
        }),
        finding(2),
      ],
      {
        version: '0.1.0',
        revision: sha(2),
        repositoryUri: 'https://github.com/o/r',
      },
    );
    expect(sarif.version).toBe('2.1.0');
    const [run] = sarif.runs;
    expect(run?.tool.driver.rules).toEqual([
      { id: 'secrets/aws-key', shortDescription: { text: 'secrets/aws-key' } },
    ]);
    expect(run?.results).toEqual([
      {
        ruleId: 'secrets/aws-key',
        ruleIndex: 0,
        level: 'error',
        message: { text: 'problem 1' },
        partialFingerprints: { 'gitwarden/secret/v1': 'f'.repeat(64) },
        locations: [
          {
            physicalLocation: {
              artifactLocation: {
                uri: 'config/my%20x.env',
                uriBaseId: '%SRCROOT%',
              },
              region: { startLine: 4, endLine: 4 },
            },
          },
        ],
      },
    ]);
    expect(run?.versionControlProvenance).toEqual([
      { repositoryUri: 'https://github.com/o/r', revisionId: sha(2) },
    ]);
  });
});
