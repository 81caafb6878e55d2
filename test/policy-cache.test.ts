import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';

import { cleanupTempDirs, makeRepo, runCli } from './helpers/repo.ts';

afterAll(cleanupTempDirs);

// The cache is a property of the built command (running from source has
// no build id), so these tests go through the CLI.
function repoWithPolicy(policy: string) {
  const repo = makeRepo();
  repo.write('.gitwarden/policy.yml', policy);
  repo.commit('policy\n\nAgent: claude\nTask: T-1\n');
  repo.commit('change\n\nAgent: claude\nTask: lower-case\n');
  return repo;
}

function cacheFiles(dir: string): string[] {
  const root = join(dir, '.git', 'gitwarden', 'policy-cache');
  return readdirSync(root, { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.json'))
    .map((name) => join(root, name));
}

const POLICY = `trailers:
  required:
    - key: Agent
    - key: Task
      pattern: "^T-[0-9]+$"
`;

describe('the parsed-policy cache', () => {
  it('keeps a validated policy under its blob id and gives the same verdict', () => {
    const repo = repoWithPolicy(POLICY);
    const first = runCli(['check', '--range', 'HEAD~1..HEAD'], {
      cwd: repo.dir,
    });
    expect(first.code).toBe(1);
    const [file] = cacheFiles(repo.dir);
    const blob = repo.git(['rev-parse', 'HEAD~1:.gitwarden/policy.yml']);
    expect(file).toMatch(new RegExp(`${blob}\\.json$`));

    const second = runCli(['check', '--range', 'HEAD~1..HEAD'], {
      cwd: repo.dir,
    });
    expect(second).toEqual(first);
  });

  it('reads the cache instead of the YAML once it exists', () => {
    const repo = repoWithPolicy(POLICY);
    runCli(['check', '--range', 'HEAD~1..HEAD'], { cwd: repo.dir });
    const [file] = cacheFiles(repo.dir);
    // Rewrite the cached document: a verdict that follows it proves the
    // cache was read (the blob itself still says T-n).
    const cached = JSON.parse(readFileSync(file!, 'utf8'));
    cached.document.trailers.required[1].pattern = '^[a-z-]+$';
    writeFileSync(file!, JSON.stringify(cached));
    const result = runCli(['check', '--range', 'HEAD~1..HEAD'], {
      cwd: repo.dir,
    });
    expect(result.code).toBe(0);
  });

  it('falls back to parsing when a cache entry is corrupt', () => {
    const repo = repoWithPolicy(POLICY);
    runCli(['check', '--range', 'HEAD~1..HEAD'], { cwd: repo.dir });
    const [file] = cacheFiles(repo.dir);
    writeFileSync(file!, '{"document": tru');
    const result = runCli(['check', '--range', 'HEAD~1..HEAD'], {
      cwd: repo.dir,
    });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('does not match ^T-[0-9]+$');
  });

  it('never caches a broken policy', () => {
    const repo = repoWithPolicy('trailers:\n  requird: []\n');
    for (let run = 0; run < 2; run++) {
      const result = runCli(['check', '--range', 'HEAD~1..HEAD'], {
        cwd: repo.dir,
      });
      expect(result.code).toBe(2);
      expect(result.stderr).toContain("unknown field 'requird'");
    }
    expect(() => cacheFiles(repo.dir)).toThrow();
  });
});
