import { readChanges, type CommitChanges } from '../git/paths.ts';
import {
  defaultBranch,
  resolveRange,
  type ResolvedRange,
} from '../git/range.ts';
import { isZeroSha } from '../git/repo.ts';
import { withAllowedSignersFile } from '../git/signatures.ts';
import type { Action } from '../policy/roles.ts';
import { MAX_LISTED, type AccessDecision, type Refusal } from './decision.ts';
import { AccessEngine, type Identity } from './engine.ts';
import {
  findIdentity,
  identityForCommit,
  needsSignatures,
} from './identity.ts';
import { loadAccessAt, type LoadedAccess } from './load.ts';

export interface RefUpdate {
  oldSha: string;
  newSha: string;
  /** The ref on the receiving side. */
  ref: string;
}

/**
 * A further check over the same commits (the trailer check): returns
 * refusals for one ref update. Adding one to the hooks is one entry in
 * `PushOptions.checks`.
 */
export type PushCheck = (context: {
  repo: string;
  range: ResolvedRange;
  loaded: LoadedAccess;
}) => Promise<Refusal[]>;

export interface PushOptions {
  repo: string;
  updates: RefUpdate[];
  /** The pusher as the server names them, or the local git identity. */
  claim: { value: string; via: string };
  point: AccessDecision['point'];
  /** The remote pushed to (pre-push): its default branch is the base. */
  remote?: string;
  /** A break-glass request; honoured only for `access.override.roles`. */
  override?: { reason: string; source: string };
  checks?: PushCheck[];
  now?: Date;
}

/**
 * Judges every ref update of one push and returns one decision per ref.
 * Each ref is judged by the policy on its own base (the target before the
 * push; for a new ref the default branch's), never by the pushed one.
 */
export async function judgePush(
  options: PushOptions,
): Promise<AccessDecision[]> {
  const cache = new Map<string, Promise<LoadedAccess>>();
  const load = (revision: string | undefined) => {
    const key = revision ?? '';
    let loaded = cache.get(key);
    if (!loaded) {
      loaded = loadAccessAt(options.repo, revision);
      cache.set(key, loaded);
    }
    return loaded;
  };
  // Started now, awaited when the first commits are read: git runs it
  // while the first ref is being resolved.
  const base = defaultBranch(options.repo, options.remote);
  base.catch(() => {});
  const decisions: AccessDecision[] = [];
  for (const update of options.updates) {
    decisions.push(await judgeUpdate(options, update, load, base));
  }
  return decisions;
}

async function judgeUpdate(
  options: PushOptions,
  update: RefUpdate,
  load: (revision: string | undefined) => Promise<LoadedAccess>,
  base: Promise<string | undefined>,
): Promise<AccessDecision> {
  const range = await resolveRange(options.repo, {
    kind: 'push',
    ...update,
    ...(options.remote ? { remote: options.remote } : {}),
  });
  const loaded = await load(range.policyRevision);
  const { access } = loaded;
  const engine = new AccessEngine(access);
  const identity = findIdentity(access, options.claim.value, options.claim.via);
  const action = refAction(update, range);
  const decision: AccessDecision = {
    type: 'gitwarden.access',
    version: 1,
    time: (options.now ?? new Date()).toISOString(),
    point: options.point,
    ref: update.ref,
    oldSha: update.oldSha,
    newSha: update.newSha,
    action,
    verdict: 'allowed',
    identity: {
      claimed: identity.claimed,
      via: identity.via,
      name: identity.name ?? null,
      roles: identity.roles,
    },
    policy: {
      revision: range.policyRevision ?? null,
      sources: loaded.sources,
    },
    commits: 0,
    paths: 0,
    refusals: [],
    refusedCount: 0,
    override: null,
    askRoles: [],
  };

  const refusals: Refusal[] = [];
  const refuse = (refusal: Refusal) => {
    if (refusals.length < MAX_LISTED) refusals.push(refusal);
    decision.refusedCount++;
  };

  if (access.configured) {
    const verdict = engine.decide(identity, { action, ref: update.ref });
    if (!verdict.allowed) {
      refuse({ action, rule: verdict.rule?.id, reason: verdict.reason });
      decision.askRoles = engine.rolesGranting({ action, ref: update.ref });
    }
    const commits = await changesOf(options.repo, range, await base, {
      signatures: needsSignatures(access),
      identities: access.identities,
    });
    decision.commits = commits.length;
    judgePaths(engine, identity, commits, update.ref, decision, refuse);
  }
  for (const check of options.checks ?? []) {
    for (const refusal of await check({ repo: options.repo, range, loaded })) {
      refuse(refusal);
    }
  }

  decision.refusals = refusals;
  if (decision.refusedCount === 0) {
    decision.verdict = access.configured ? 'allowed' : 'not-configured';
  } else if (canOverride(options, identity, engine)) {
    decision.verdict = 'overridden';
    decision.override = {
      reason: options.override!.reason,
      by: identity.name!,
      source: options.override!.source,
    };
  } else {
    decision.verdict = 'refused';
  }
  return decision;
}

function judgePaths(
  engine: AccessEngine,
  pusher: Identity,
  commits: CommitChanges[],
  ref: string,
  decision: AccessDecision,
  refuse: (refusal: Refusal) => void,
) {
  const seen = new Set<string>();
  // One verdict per (effective roles, path): 2,000 commits touching the
  // same file ask the engine once.
  const verdicts = new Map<string, boolean>();
  for (const commit of commits) {
    const { identity, note } = identityForCommit(
      engine.policy,
      pusher,
      commit.signature,
      commit.signature !== undefined,
    );
    if (note && identity.roles.length === 0) {
      refuse({ action: 'modify', commit: commit.sha, reason: note });
    }
    const key = `${identity.name ?? ''}\0${identity.roles.join('\0')}`;
    for (const path of commit.paths) {
      seen.add(path);
      const cacheKey = `${key}\0${path}`;
      if (verdicts.get(cacheKey) === true) continue;
      const verdict = engine.decide(identity, { action: 'modify', ref, path });
      verdicts.set(cacheKey, verdict.allowed);
      if (!verdict.allowed) {
        refuse({
          action: 'modify',
          path,
          commit: commit.sha,
          rule: verdict.rule?.id,
          reason: note ? `${verdict.reason} (${note})` : verdict.reason,
        });
      }
    }
  }
  decision.paths = seen.size;
}

function canOverride(
  options: PushOptions,
  identity: Identity,
  engine: AccessEngine,
): boolean {
  const policy = engine.policy;
  if (!options.override || !policy.overrideEnabled) return false;
  if (identity.name === undefined || !options.override.reason.trim()) {
    return false;
  }
  return identity.roles.some((role) => policy.overrideRoles.includes(role));
}

/**
 * The one action a ref update needs (README "Roles"): tags are created
 * with `tag`, and moving an existing tag counts as a force-push.
 */
export function refAction(update: RefUpdate, range: ResolvedRange): Action {
  if (range.deletion) return 'delete';
  const created = isZeroSha(update.oldSha);
  if (update.ref.startsWith('refs/tags/')) {
    return created ? 'tag' : 'force-push';
  }
  if (created) return 'create';
  return range.forced ? 'force-push' : 'push';
}

/**
 * The commits of one ref update with their changed paths. Commits already
 * on the default branch are left out: they were judged when they reached
 * the protected branch, and merging it into a feature branch must not
 * charge the merger with every change on it. (For the default branch
 * itself this excludes its old tip, which the range already does.)
 */
async function changesOf(
  repo: string,
  range: ResolvedRange,
  base: string | undefined,
  options: {
    signatures: boolean;
    identities: LoadedAccess['access']['identities'];
  },
): Promise<CommitChanges[]> {
  if (range.revisions.length === 0) return [];
  const revisions = [...range.revisions];
  if (base) {
    if (!revisions.includes('--not')) revisions.push('--not');
    revisions.push(base);
  }
  if (!options.signatures) return readChanges(repo, revisions);
  return withAllowedSignersFile(options.identities, (config) =>
    readChanges(repo, revisions, { signatures: true, config }),
  );
}
