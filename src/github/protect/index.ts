import type { GitHubClient } from '../client.ts';
import { githubCall } from '../errors.ts';
import {
  desiredRulesets,
  type ProtectionPlan,
  type RulesetBody,
} from './desired.ts';
import { rulesetDrift, type LiveRuleset } from './drift.ts';

export * from './desired.ts';
export { rulesetDrift, type LiveRuleset } from './drift.ts';

export interface ProtectOptions {
  client: GitHubClient;
  owner: string;
  repo: string;
  plan: ProtectionPlan;
  /** Only report drift (`protect --check`); change nothing. */
  check: boolean;
}

export interface RulesetReport {
  name: string;
  id: number | undefined;
  /** What was found, and (without --check) what was done about it. */
  status: 'in-sync' | 'drifted' | 'missing' | 'created' | 'updated';
  drift: string[];
}

export interface ProtectReport {
  repository: string;
  check: boolean;
  rulesets: RulesetReport[];
  /** True when every ruleset now matches the policy. */
  inSync: boolean;
}

/**
 * Reads gitwarden's rulesets, compares them with what the policy says,
 * and (unless checking) creates or replaces the ones that fall short.
 */
export async function protect(options: ProtectOptions): Promise<ProtectReport> {
  const { client, owner, repo } = options;
  const live = await liveRulesets(client, owner, repo);
  const reports: RulesetReport[] = [];
  for (const desired of desiredRulesets(options.plan)) {
    const current = live.find((ruleset) => ruleset.name === desired.name);
    const drift = rulesetDrift(desired, current);
    if (drift.length === 0) {
      reports.push({
        name: desired.name,
        id: current?.id,
        status: 'in-sync',
        drift,
      });
    } else if (options.check) {
      reports.push({
        name: desired.name,
        id: current?.id,
        status: current ? 'drifted' : 'missing',
        drift,
      });
    } else {
      const id = await write(client, owner, repo, desired, current?.id);
      reports.push({
        name: desired.name,
        id,
        status: current ? 'updated' : 'created',
        drift,
      });
    }
  }
  return {
    repository: `${owner}/${repo}`,
    check: options.check,
    rulesets: reports,
    inSync: reports.every(
      (r) => r.status !== 'drifted' && r.status !== 'missing',
    ),
  };
}

/** The repository's own rulesets in full (the list omits their rules). */
async function liveRulesets(
  client: GitHubClient,
  owner: string,
  repo: string,
): Promise<LiveRuleset[]> {
  const list = await githubCall(`list the rulesets of ${owner}/${repo}`, () =>
    client.paginate('GET /repos/{owner}/{repo}/rulesets', {
      owner,
      repo,
      includes_parents: false,
      per_page: 100,
    }),
  );
  const full: LiveRuleset[] = [];
  for (const summary of list) {
    const { data } = await githubCall(
      `read ruleset ${summary.id} of ${owner}/${repo}`,
      () =>
        client.request('GET /repos/{owner}/{repo}/rulesets/{ruleset_id}', {
          owner,
          repo,
          ruleset_id: summary.id,
        }),
    );
    full.push(data as unknown as LiveRuleset);
  }
  return full;
}

async function write(
  client: GitHubClient,
  owner: string,
  repo: string,
  body: RulesetBody,
  id: number | undefined,
): Promise<number> {
  // Our rule and actor types are narrower than octokit's unions spell out.
  const payload = {
    name: body.name,
    target: body.target,
    enforcement: body.enforcement,
    conditions: body.conditions,
    rules: body.rules as never,
    bypass_actors: body.bypass_actors as never,
  };
  if (id === undefined) {
    const { data } = await githubCall(
      `create ruleset "${body.name}" on ${owner}/${repo}`,
      () =>
        client.request('POST /repos/{owner}/{repo}/rulesets', {
          owner,
          repo,
          ...payload,
        }),
    );
    return data.id;
  }
  await githubCall(`update ruleset "${body.name}" on ${owner}/${repo}`, () =>
    client.request('PUT /repos/{owner}/{repo}/rulesets/{ruleset_id}', {
      owner,
      repo,
      ruleset_id: id,
      ...payload,
    }),
  );
  return id;
}

/**
 * The id of the GitHub App whose check runs count: GitHub Actions on
 * github.com and on GitHub Enterprise Server alike, looked up by slug.
 */
export async function appId(
  client: GitHubClient,
  slug: string,
): Promise<number> {
  const { data } = await githubCall(`look up the ${slug} app`, () =>
    client.request('GET /apps/{app_slug}', { app_slug: slug }),
  );
  if (!data) throw new Error(`GitHub returned no app for ${slug}`);
  return data.id;
}

/** The repository's default branch. */
export async function defaultBranchOf(
  client: GitHubClient,
  owner: string,
  repo: string,
): Promise<string> {
  const { data } = await githubCall(`read ${owner}/${repo}`, () =>
    client.request('GET /repos/{owner}/{repo}', { owner, repo }),
  );
  return data.default_branch;
}
