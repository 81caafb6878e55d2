/**
 * Event payloads in the shapes GitHub sends (webhook docs and the
 * `@octokit/webhooks` schemas): the fields gitwarden reads plus the ones
 * around them, so a parser that picked the wrong field would be caught.
 */
const ZERO = '0'.repeat(40);

const repository = (
  defaultBranch = 'main',
  fullName = 'octo-org/octo-repo',
) => ({
  id: 1296269,
  node_id: 'MDEwOlJlcG9zaXRvcnkxMjk2MjY5',
  name: fullName.split('/')[1],
  full_name: fullName,
  private: false,
  owner: { login: fullName.split('/')[0], id: 1, type: 'Organization' },
  html_url: `https://github.com/${fullName}`,
  fork: false,
  default_branch: defaultBranch,
  master_branch: defaultBranch,
});

const user = (login: string) => ({
  login,
  id: 583231,
  node_id: 'MDQ6VXNlcjU4MzIzMQ==',
  type: 'User',
  site_admin: false,
});

export interface PushOptions {
  ref: string;
  before: string;
  after: string;
  forced?: boolean;
  /** The commits the payload lists; GitHub caps the list (2048, or 20). */
  listed?: string[];
  defaultBranch?: string;
  pusher?: string;
}

export function pushPayload(options: PushOptions) {
  const created = options.before === ZERO;
  const deleted = options.after === ZERO;
  const commit = (id: string) => ({
    id,
    tree_id: id,
    distinct: true,
    message: 'listed commit',
    timestamp: '2026-01-01T00:00:00Z',
    url: `https://github.com/octo-org/octo-repo/commit/${id}`,
    author: {
      name: 'Test Author',
      email: 'author@example.com',
      username: 'author',
    },
    committer: {
      name: 'Test Committer',
      email: 'committer@example.com',
      username: 'committer',
    },
    added: [],
    removed: [],
    modified: [],
  });
  const pusher = options.pusher ?? 'octocat';
  return {
    ref: options.ref,
    before: options.before,
    after: options.after,
    repository: repository(options.defaultBranch),
    pusher: { name: pusher, email: `${pusher}@example.com` },
    sender: user(pusher),
    created,
    deleted,
    forced: options.forced ?? false,
    base_ref: null,
    compare: `https://github.com/octo-org/octo-repo/compare/${options.before.slice(0, 12)}...${options.after.slice(0, 12)}`,
    commits: (options.listed ?? (deleted ? [] : [options.after])).map(commit),
    head_commit: deleted ? null : commit(options.after),
  };
}

export interface PullRequestOptions {
  number?: number;
  base: string;
  head: string;
  /** The synthetic merge commit actions/checkout checks out. */
  merge?: string;
  baseRef?: string;
  headRef?: string;
  author?: string;
  /** The head's repository; another name makes it a fork; null: deleted. */
  headRepo?: string | null;
  action?: string;
}

export function pullRequestPayload(options: PullRequestOptions) {
  const number = options.number ?? 7;
  const base = repository(options.baseRef ?? 'main');
  const headRepo =
    options.headRepo === null
      ? null
      : {
          ...repository('main', options.headRepo ?? base.full_name),
          fork:
            options.headRepo !== undefined &&
            options.headRepo !== base.full_name,
        };
  const author = options.author ?? 'pr-author';
  return {
    action: options.action ?? 'synchronize',
    number,
    pull_request: {
      url: `https://api.github.com/repos/octo-org/octo-repo/pulls/${number}`,
      id: 1,
      number,
      state: 'open',
      title: 'A change',
      user: user(author),
      body: null,
      merge_commit_sha: options.merge ?? null,
      head: {
        label: `${author}:${options.headRef ?? 'feature'}`,
        ref: options.headRef ?? 'feature',
        sha: options.head,
        user: user(author),
        repo: headRepo,
      },
      base: {
        label: `octo-org:${options.baseRef ?? 'main'}`,
        ref: options.baseRef ?? 'main',
        sha: options.base,
        user: user('octo-org'),
        repo: base,
      },
      author_association: 'CONTRIBUTOR',
    },
    before: options.base,
    after: options.head,
    repository: base,
    sender: user(author),
  };
}

export function mergeGroupPayload(options: {
  base: string;
  head: string;
  baseRef?: string;
}) {
  const baseRef = options.baseRef ?? 'main';
  return {
    action: 'checks_requested',
    merge_group: {
      head_sha: options.head,
      head_ref: `refs/heads/gh-readonly-queue/${baseRef}/pr-7-${options.base}`,
      base_sha: options.base,
      base_ref: `refs/heads/${baseRef}`,
      head_commit: {
        id: options.head,
        tree_id: options.head,
        message: 'Merge pull request #7',
        timestamp: '2026-01-01T00:00:00Z',
        author: { name: 'Test Author', email: 'author@example.com' },
        committer: { name: 'GitHub', email: 'noreply@github.com' },
      },
    },
    repository: repository(baseRef),
    sender: user('merge-queue-user'),
  };
}

export function dispatchPayload(ref: string, defaultBranch = 'main') {
  return {
    inputs: {},
    ref,
    repository: repository(defaultBranch),
    sender: user('octocat'),
    workflow: '.github/workflows/gitwarden.yml',
  };
}

export function issueCommentPayload(options: {
  body: string;
  commenter: string;
  number?: number;
  onPullRequest?: boolean;
  action?: string;
  association?: string;
}) {
  const number = options.number ?? 7;
  return {
    action: options.action ?? 'created',
    issue: {
      number,
      title: 'A change',
      user: user('pr-author'),
      state: 'open',
      ...(options.onPullRequest === false
        ? {}
        : {
            pull_request: {
              url: `https://api.github.com/repos/octo-org/octo-repo/pulls/${number}`,
              html_url: `https://github.com/octo-org/octo-repo/pull/${number}`,
            },
          }),
    },
    comment: {
      id: 11,
      node_id: 'IC_kwDOA',
      body: options.body,
      user: user(options.commenter),
      author_association: options.association ?? 'MEMBER',
      created_at: '2026-01-01T00:00:00Z',
    },
    repository: repository(),
    sender: user(options.commenter),
  };
}

export { ZERO };
