import { isAbsolute } from 'node:path';

import type { FilePlan } from './files.ts';
import type { HookSpec, InitStep } from './types.ts';

const ACTIONS = {
  create: 'created',
  unchanged: 'unchanged',
  keep: 'kept',
  update: 'updated',
  replace: 'replaced',
  refuse: 'refused',
} as const;

type Name = (path: string) => string;

export function policyStep(plan: FilePlan, name: Name): InitStep {
  return fileStep(plan, name, 'starter policy', 'your policy');
}

export function hookStep(
  hook: HookSpec,
  plan: FilePlan,
  name: Name,
  shared: boolean,
): InitStep {
  const step = fileStep(
    plan,
    name,
    hook.what,
    `your ${hook.name} hook, which already runs gitwarden`,
  );
  if (plan.action === 'update') step.detail = 'made executable';
  if (plan.action !== 'refuse') return step;
  step.detail = shared
    ? `core.hooksPath points outside this repository, to a folder other repositories may share; add the hook there yourself (copy hooks/${hook.name}), or run gitwarden init --force`
    : `a ${hook.name} hook of your own is there; add this line to it: ${hook.line}  (or run gitwarden init --force to replace it; yours is then moved to ${name(`${plan.path}.bak`)})`;
  return step;
}

function fileStep(
  plan: FilePlan,
  name: Name,
  what: string,
  theirs: string,
): InitStep {
  const detail =
    plan.action === 'keep'
      ? `${theirs}, left as it is`
      : plan.action === 'replace'
        ? `${what}; the old one is now ${name(plan.backup!)}`
        : what;
  return { action: ACTIONS[plan.action], target: name(plan.path), detail };
}

/** The files init wrote into the work tree, which the team commits. */
export function filesToCommit(steps: readonly InitStep[]): string[] {
  const written = ['created', 'replaced', 'updated'];
  return steps
    .filter((step) => written.includes(step.action) && step.target !== 'husky')
    .map((step) => step.target)
    .filter((target) => !isAbsolute(target) && !target.startsWith('.git/'));
}
