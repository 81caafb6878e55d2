import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';

import { workTreeRoot } from '../git/worktree.ts';
import { PolicyError } from '../policy/errors.ts';
import { DEFAULT_POLICY_PATH, loadPolicyFile } from '../policy/load.ts';
import { applyFile, planFile, type FilePlan } from './files.ts';
import {
  huskyHooksPath,
  isInside,
  readHookConfig,
  type HookConfig,
} from './hook-config.ts';
import { activateHusky, installCommand, type Activation } from './husky.ts';
import { readPackageJson, wireHusky } from './package-json.ts';
import { gitwardenPackage, hookScript } from './package-root.ts';
import { schemaReference, starterPolicy } from './starter-policy.ts';
import { filesToCommit, hookStep, policyStep } from './steps.ts';
import {
  HOOKS,
  type HookSpec,
  type InitMode,
  type InitOptions,
  type InitReport,
  type InitStep,
} from './types.ts';

export * from './types.ts';

/**
 * Sets a repository up for gitwarden: a starter policy and the commit-msg
 * and pre-push hooks, through husky in a Node.js project and in git's hooks folder
 * elsewhere. Every decision is made before anything is written, so a
 * problem found on the way (a broken package.json) changes nothing, and
 * running it again changes nothing.
 */
export async function initRepository(
  options: InitOptions,
): Promise<InitReport> {
  const force = options.force ?? false;
  const userGitEnv = options.userGitEnv ?? {};
  const root = await workTreeRoot(options.repo);
  const own = gitwardenPackage();
  const config = await readHookConfig(root, userGitEnv);
  const pkg = await readPackageJson(join(root, 'package.json'));
  const husky = huskyHooksPath(root, config);
  // A project with its own core.hooksPath keeps it; husky would take it.
  const mode: InitMode =
    husky || (pkg && !config.hooksPath) ? 'husky' : 'hooks-folder';
  const name = (path: string) =>
    isInside(path, root) ? relative(root, path) : path;

  // 1. Decide.
  const policy = await planFile(
    {
      path: join(root, DEFAULT_POLICY_PATH),
      content: starterPolicy(schemaReference(Boolean(pkg), own.version)),
      // The team's own policy is theirs: init installs hooks around it.
      acceptable: () => true,
    },
    force,
  );
  const shared = mode === 'hooks-folder' && isSharedHooksFolder(root, config);
  const hooks: { spec: HookSpec; plan: FilePlan }[] = [];
  for (const spec of HOOKS) {
    const plan = await planFile(
      {
        path:
          mode === 'husky'
            ? join(root, '.husky', spec.name)
            : join(config.hooksDir, spec.name),
        content: hookScript(spec.name),
        // husky v9 runs .husky/<hook> through sh; git runs the others.
        executable: mode === 'hooks-folder' || husky === 'legacy',
        acceptable: (existing) => existing.includes(spec.marker),
      },
      force,
    );
    if (shared && !force && ['create', 'update'].includes(plan.action)) {
      plan.action = 'refuse';
    }
    hooks.push({ spec, plan });
  }
  const wiring =
    pkg && mode === 'husky'
      ? wireHusky(pkg, {
          husky: own.huskyRange,
          gitwarden: `^${own.version}`,
        })
      : undefined;

  // 2. Write.
  await applyFile(policy);
  for (const { plan } of hooks) await applyFile(plan);
  if (pkg && wiring?.text !== undefined) await writeFile(pkg.path, wiring.text);

  // 3. Activate, and say what was done and what is left to do.
  const steps: InitStep[] = [
    policyStep(policy, name),
    ...hooks.map(({ spec, plan }) => hookStep(spec, plan, name, shared)),
  ];
  if (wiring) {
    steps.push({
      action: wiring.changes.length ? 'updated' : 'unchanged',
      target: 'package.json',
      detail: wiring.changes.length
        ? wiring.changes.join(', ')
        : 'prepare script and devDependencies already in place',
    });
  }
  const warnings = await policyWarnings(policy, name);
  const next: string[] = [];
  if (mode === 'husky') {
    const activation: Activation = husky
      ? { warnings: [] }
      : await activateHusky(root, config, userGitEnv);
    if (activation.step) steps.push(activation.step);
    warnings.push(...activation.warnings);
    const gitwardenInstalled = existsSync(
      join(root, 'node_modules', '.bin', 'gitwarden'),
    );
    if (activation.install) {
      next.push(
        `run \`${activation.install}\` to install husky and gitwarden; husky's prepare script then activates the hook`,
      );
    } else if (!gitwardenInstalled) {
      next.push(
        `run \`${installCommand(root)}\` to install gitwarden, which the hook runs`,
      );
    }
  }
  const toCommit = filesToCommit(steps);
  if (toCommit.length) next.push(`commit ${toCommit.join(', ')}`);
  const inGitDir = hooks.some(
    ({ plan }) =>
      plan.action === 'create' && isInside(plan.path, config.commonDir),
  );
  if (inGitDir) {
    next.push(
      'in every other clone, run `gitwarden init` once: git does not share its hooks folder',
    );
  }

  const changes = ['created', 'updated', 'replaced', 'ran'];
  return {
    root,
    mode,
    steps,
    next,
    warnings,
    changed: steps.some((step) => changes.includes(step.action)),
    refused: steps.some((step) => step.action === 'refused'),
  };
}

/**
 * A core.hooksPath outside the repository (often a global one) may serve
 * other repositories too: writing there needs --force.
 */
function isSharedHooksFolder(root: string, config: HookConfig): boolean {
  return (
    !isInside(config.hooksDir, root) &&
    !isInside(config.hooksDir, config.commonDir)
  );
}

/** A policy of the team's own is kept; if it is broken, init says so. */
async function policyWarnings(
  plan: FilePlan,
  name: (path: string) => string,
): Promise<string[]> {
  if (plan.action !== 'keep') return [];
  try {
    await loadPolicyFile(plan.path);
    return [];
  } catch (error) {
    if (!(error instanceof PolicyError)) throw error;
    const count = error.problems.length;
    const problems = `${count} problem${count > 1 ? 's' : ''}`;
    return [
      `${name(plan.path)} has ${problems}; see \`gitwarden policy validate\``,
    ];
  }
}
