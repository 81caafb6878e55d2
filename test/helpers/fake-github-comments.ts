import type { components } from '@octokit/openapi-types';

import { githubErrors, type FakeGitHub } from './fake-github.ts';

type Reaction = components['schemas']['reaction'];
type IssueComment = components['schemas']['issue-comment'];

const CONTENTS = new Set([
  '+1',
  '-1',
  'laugh',
  'confused',
  'heart',
  'hooray',
  'rocket',
  'eyes',
]);

/**
 * Issue comments and reactions on the loopback GitHub, in GitHub's
 * shapes: what the command action writes, kept for the test to read.
 */
export function addCommentRoutes(fake: FakeGitHub) {
  const reactions: { commentId: number; content: string }[] = [];
  const comments: { issue: number; body: string }[] = [];
  const bot = { login: 'github-actions[bot]', id: 41898282, type: 'Bot' };

  fake.server.route(
    'POST',
    '/repos/{owner}/{repo}/issues/comments/{comment_id}/reactions',
    (request, params) => {
      const content = request.json<{ content?: string }>()?.content ?? '';
      if (!CONTENTS.has(content)) {
        return githubErrors.unprocessable(
          `Invalid reaction content: ${content}`,
        );
      }
      reactions.push({ commentId: Number(params.comment_id), content });
      const body: Partial<Reaction> = {
        id: reactions.length,
        node_id: `REA_${reactions.length}`,
        content: content as Reaction['content'],
        created_at: new Date().toISOString(),
      };
      return { status: 201, body: { ...body, user: bot } };
    },
  );

  fake.server.route(
    'POST',
    '/repos/{owner}/{repo}/issues/{number}/comments',
    (request, params) => {
      const text = request.json<{ body?: string }>()?.body;
      if (!text)
        return githubErrors.unprocessable(
          'Invalid request.\n\nbody is required.',
        );
      comments.push({ issue: Number(params.number), body: text });
      const body: Partial<IssueComment> = {
        id: 1000 + comments.length,
        node_id: `IC_${comments.length}`,
        body: text,
        html_url: `https://github.com/${params.owner}/${params.repo}/pull/${params.number}#issuecomment-${1000 + comments.length}`,
        created_at: new Date().toISOString(),
        updated_at: new Date().toISOString(),
        author_association: 'NONE',
      };
      return { status: 201, body: { ...body, user: bot } };
    },
  );

  return { reactions, comments };
}
