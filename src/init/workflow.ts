import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { gitText } from '../git/run.ts';
import type { GitwardenPackage } from './package-root.ts';

/** Where init writes the workflow, relative to the work tree. */
export const WORKFLOW_PATH = '.github/workflows/gitwarden.yml';

/**
 * The exact commit of gitwarden's actions a workflow pins to. A release
 * records it in dist/release.json when the package is packed (the commit
 * cannot name itself, the packed build can); a git checkout of gitwarden
 * uses its HEAD and says it is unreleased.
 */
export interface ActionsPin {
  /** owner/name of gitwarden's GitHub repository. */
  repository: string;
  commit: string;
  /** The version the comment beside the pin names, e.g. v0.1.0. */
  version: string;
  released: boolean;
}

/** actions/checkout v5.0.0, verified against its repository's tag. */
const CHECKOUT =
  'actions/checkout@08c6903cd8c0fde910a37f88322edcfb5dd907a8 # v5.0.0';

export async function actionsPin(
  pkg: GitwardenPackage,
): Promise<ActionsPin | undefined> {
  const manifest = JSON.parse(
    readFileSync(join(pkg.root, 'package.json'), 'utf8'),
  ) as { repository?: string | { url?: string } };
  const repository = githubRepository(manifest.repository);
  if (!repository) return undefined;

  const release = join(pkg.root, 'dist', 'release.json');
  if (existsSync(release)) {
    const info = JSON.parse(readFileSync(release, 'utf8')) as {
      commit?: string | null;
      version?: string;
      tag?: string | null;
      dirty?: boolean;
    };
    const version = `v${info.version ?? pkg.version}`;
    if (info.commit && /^[0-9a-f]{40}$/.test(info.commit)) {
      return {
        repository,
        commit: info.commit,
        version,
        released: info.tag === version && info.dirty === false,
      };
    }
  }
  const head = await gitText(['rev-parse', '--verify', '--quiet', 'HEAD'], {
    cwd: pkg.root,
    okCodes: [1, 128],
  }).catch(() => '');
  if (!/^[0-9a-f]{40}$/.test(head)) return undefined;
  return {
    repository,
    commit: head,
    version: `v${pkg.version}`,
    released: false,
  };
}

/** `owner/name` from package.json's repository field, if it is GitHub's. */
export function githubRepository(
  field: string | { url?: string } | undefined,
): string | undefined {
  const url = typeof field === 'string' ? field : field?.url;
  const match = /github(?:\.com)?[:/]([\w.-]+\/[\w.-]+?)(?:\.git)?$/.exec(
    url ?? '',
  );
  return match?.[1];
}

/**
 * The workflow for an adopting repository. Least privilege: nothing at the
 * top, `contents: read` for the job. Every action is pinned to a full
 * commit sha with its version beside it. It runs on `pull_request`, never
 * `pull_request_target`, so a fork's code never runs with this
 * repository's secrets, and the ledger branch (written only by the ledger
 * action) is left out.
 */
export function workflowText(pin: ActionsPin): string {
  const verify = `${pin.repository}/actions/verify@${pin.commit} # ${pin.version}`;
  return `# gitwarden: judges every commit each push, pull request and merge group
# brings (Agent/Task trailers, roles, secrets in added lines) under the
# policy of the base branch, and fails when anything is refused. Make the
# "gitwarden verify" check required on protected branches (gitwarden
# protect does it through the API). Written by \`gitwarden init\`.
name: gitwarden

on:
  push:
    branches-ignore:
      # gitwarden's ledger branch: appended to by the ledger action only,
      # under the ledger's own rules.
      - gitwarden/ledger
    tags:
      - '**'
  pull_request:
  merge_group:
  workflow_dispatch:

permissions: {}

jobs:
  verify:
    name: gitwarden verify
    runs-on: ubuntu-latest
    timeout-minutes: 15
    permissions:
      contents: read
    steps:
      - uses: ${CHECKOUT}
        with:
          # The whole history: a new branch's commits are those no other
          # branch has, which only a full clone can tell.
          fetch-depth: 0
          persist-credentials: false
      - uses: ${verify}
        id: verify
`;
}
