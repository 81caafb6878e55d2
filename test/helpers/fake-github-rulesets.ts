import type { components } from '@octokit/openapi-types';

import { githubErrors, type FakeGitHub } from './fake-github.ts';
import type { LoopbackRequest, Reply } from './loopback.ts';

type Ruleset = components['schemas']['repository-ruleset'];
type Integration = components['schemas']['integration'];

/**
 * Repository rulesets, the repository itself and app lookups, added to
 * the loopback GitHub (test/helpers/fake-github.ts) in GitHub's response
 * shapes: the list omits rules and conditions as GitHub's does, names
 * must be unique (422), unknown rule types are refused (422).
 */
export interface FakeRulesets {
  rulesets: Map<number, Ruleset>;
  /** Puts a ruleset in place as if someone had made it by hand. */
  add(body: Partial<Ruleset> & { name: string }): Ruleset;
}

const RULE_TYPES = new Set([
  'creation',
  'update',
  'deletion',
  'required_linear_history',
  'required_signatures',
  'non_fast_forward',
  'pull_request',
  'required_status_checks',
]);

export function addRulesetRoutes(
  fake: FakeGitHub,
  options: {
    owner: string;
    repo: string;
    defaultBranch?: string;
    /** App slugs and ids; GitHub Actions is 15368 on github.com. */
    apps?: Record<string, number>;
  },
): FakeRulesets {
  const { server } = fake;
  const rulesets = new Map<number, Ruleset>();
  let nextId = 100;
  const apps = options.apps ?? { 'github-actions': 15368 };
  const full = `${options.owner}/${options.repo}`;
  const ours = (params: Record<string, string>) =>
    `${params.owner}/${params.repo}` === full;

  const store = (id: number, body: Partial<Ruleset> & { name: string }) => {
    const ruleset: Ruleset = {
      id,
      name: body.name,
      target: body.target ?? 'branch',
      source_type: 'Repository',
      source: full,
      enforcement: body.enforcement ?? 'active',
      bypass_actors: body.bypass_actors ?? [],
      conditions: body.conditions ?? { ref_name: { include: [], exclude: [] } },
      rules: body.rules ?? [],
      node_id: `RRS_${id}`,
      created_at: '2026-01-01T00:00:00Z',
      updated_at: new Date().toISOString(),
    };
    rulesets.set(id, ruleset);
    return ruleset;
  };

  server.route('GET', '/apps/{slug}', (_request, params) => {
    const id = apps[params.slug!];
    if (id === undefined) return githubErrors.notFound();
    const body: Partial<Integration> = {
      id,
      slug: params.slug,
      name: params.slug,
      node_id: `MDM6QXBw${id}`,
      events: ['check_run'],
    };
    return { body };
  });

  server.route('GET', '/repos/{owner}/{repo}', (_request, params) => {
    if (!ours(params)) return githubErrors.notFound();
    return {
      body: {
        id: 1296269,
        name: options.repo,
        full_name: full,
        private: true,
        default_branch: options.defaultBranch ?? 'main',
      },
    };
  });

  server.route('GET', '/repos/{owner}/{repo}/rulesets', (request, params) => {
    if (!ours(params)) return githubErrors.notFound();
    const list = [...rulesets.values()].map(
      ({
        rules: _rules,
        conditions: _conditions,
        bypass_actors: _b,
        ...summary
      }) => summary,
    );
    return pageOf(server.url, request, list);
  });

  server.route(
    'GET',
    '/repos/{owner}/{repo}/rulesets/{id}',
    (_request, params) => {
      const ruleset = ours(params)
        ? rulesets.get(Number(params.id))
        : undefined;
      return ruleset ? { body: ruleset } : githubErrors.notFound();
    },
  );

  server.route('POST', '/repos/{owner}/{repo}/rulesets', (request, params) => {
    if (!ours(params)) return githubErrors.notFound();
    const body = request.json<Partial<Ruleset>>();
    const invalid = validate(body, rulesets, undefined);
    if (invalid) return invalid;
    return { status: 201, body: store(nextId++, body as Ruleset) };
  });

  server.route(
    'PUT',
    '/repos/{owner}/{repo}/rulesets/{id}',
    (request, params) => {
      const id = Number(params.id);
      if (!ours(params) || !rulesets.has(id)) return githubErrors.notFound();
      const body = request.json<Partial<Ruleset>>();
      const invalid = validate(body, rulesets, id);
      if (invalid) return invalid;
      return { body: store(id, { ...rulesets.get(id)!, ...body } as Ruleset) };
    },
  );

  return { rulesets, add: (body) => store(nextId++, body) };
}

function validate(
  body: Partial<Ruleset> | undefined,
  rulesets: Map<number, Ruleset>,
  id: number | undefined,
): Reply | undefined {
  if (!body?.name || !body.enforcement) {
    return githubErrors.unprocessable(
      'Invalid request.\n\nname and enforcement are required.',
    );
  }
  for (const [other, ruleset] of rulesets) {
    if (other !== id && ruleset.name === body.name) {
      return githubErrors.unprocessable(
        'Validation Failed: Name must be unique',
      );
    }
  }
  for (const rule of body.rules ?? []) {
    if (!RULE_TYPES.has(rule.type)) {
      return githubErrors.unprocessable(`Invalid rule type: ${rule.type}`);
    }
  }
  return undefined;
}

/** GitHub's array pagination: per_page, page and a Link header. */
function pageOf<T>(
  baseUrl: string,
  request: LoopbackRequest,
  items: T[],
): Reply {
  const perPage = Math.min(
    100,
    Number(request.query.get('per_page') ?? 30) || 30,
  );
  const page = Math.max(1, Number(request.query.get('page') ?? 1) || 1);
  const last = Math.max(1, Math.ceil(items.length / perPage));
  const query = new URLSearchParams(request.query);
  query.set('page', String(page + 1));
  return {
    headers:
      page < last
        ? { link: `<${baseUrl}${request.path}?${query}>; rel="next"` }
        : {},
    body: items.slice((page - 1) * perPage, page * perPage),
  };
}
