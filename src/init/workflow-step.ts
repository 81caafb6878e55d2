import { existsSync } from 'node:fs';
import { join } from 'node:path';

import { gitText } from '../git/run.ts';
import { planFile, type FilePlan } from './files.ts';
import type { GitwardenPackage } from './package-root.ts';
import type { InitOptions, InitStep } from './types.ts';
import { actionsPin, WORKFLOW_PATH, workflowText } from './workflow.ts';

/** Decides whether and how init writes .github/workflows/gitwarden.yml. */
export async function planWorkflow(
  root: string,
  own: GitwardenPackage,
  options: InitOptions,
  force: boolean,
): Promise<{ plan?: FilePlan; warnings: string[] }> {
  const wanted = options.github ?? (await looksHostedOnGithub(root));
  if (!wanted) return { warnings: [] };
  const pin = options.actionsPin ?? (await actionsPin(own));
  if (!pin) {
    return {
      warnings: [
        `${WORKFLOW_PATH} was not written: this gitwarden has no release commit to pin its actions to; install a released gitwarden and run init again`,
      ],
    };
  }
  const plan = await planFile(
    {
      path: join(root, WORKFLOW_PATH),
      content: workflowText(pin),
      // A workflow of the team's own that already runs verify is kept.
      acceptable: (existing) => existing.includes('/actions/verify@'),
    },
    force,
  );
  const warnings = pin.released
    ? []
    : [
        `${WORKFLOW_PATH} pins gitwarden's actions to ${pin.commit.slice(0, 12)}, this checkout's HEAD and not a release: that commit must be on ${pin.repository} for the workflow to run`,
      ];
  return { plan, warnings };
}

export function workflowStep(
  plan: FilePlan,
  name: (path: string) => string,
): InitStep {
  const actions = {
    create: 'created',
    unchanged: 'unchanged',
    keep: 'kept',
    update: 'updated',
    replace: 'replaced',
    refuse: 'refused',
  } as const;
  const detail =
    plan.action === 'keep'
      ? 'your workflow, which already runs gitwarden verify, left as it is'
      : plan.action === 'refuse'
        ? 'a workflow of your own is there; add the gitwarden verify step to it, or run gitwarden init --force (yours is moved aside)'
        : plan.action === 'replace'
          ? `GitHub Actions workflow; the old one is now ${name(plan.backup!)}`
          : 'GitHub Actions workflow: gitwarden verify on every push and pull request';
  return { action: actions[plan.action], target: name(plan.path), detail };
}

async function looksHostedOnGithub(root: string): Promise<boolean> {
  if (existsSync(join(root, '.github'))) return true;
  const remotes = await gitText(['remote', '-v'], { cwd: root }).catch(
    () => '',
  );
  return /github/i.test(remotes);
}
