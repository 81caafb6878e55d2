// People and agents commit in a clone and push to a real bare remote that
// carries gitwarden's pre-receive hook: the server judges every push by
// the roles and the trailer rule of the policy on main. The local
// commit-msg hook (from `gitwarden init`) gives early, advisory feedback.
import { randomBytes } from 'node:crypto';
import { chmodSync, copyFileSync } from 'node:fs';
import { join } from 'node:path';

import {
  actor,
  baseEnv,
  cli,
  commitAs,
  git,
  gitwarden,
  heading,
  note,
  root,
  tryGit,
  write,
} from './lib.mjs';

export const policy = `# The demo's policy: who may commit as which agent, and push where.
version: 1
trailers:
  required:
    - key: Agent
      pattern: "^[a-z][a-z0-9-]*$"
    - key: Task
      pattern: "^[A-Z]+-[0-9]+$"
agents:
  claude: { description: coding agent, owner: alice }
  copilot: { description: pair-programming agent, owner: bob }
identities:
  alice:
    logins: [alice]
    emails: [alice@example.com]
    roles: [owner]
    agents: ["*"]
  bob:
    logins: [bob]
    emails: [bob@example.com]
    roles: [developer]
    agents: [copilot]
  claude-bot:
    logins: [claude-bot]
    emails: [claude-bot@example.com]
    roles: [agent]
    agents: [claude]
`;

export const people = {
  alice: actor('Alice', 'alice@example.com', 'alice'),
  bob: actor('Bob', 'bob@example.com', 'bob'),
  claude: actor('Claude', 'claude-bot@example.com', 'claude-bot'),
  mallory: actor('Mallory', 'mallory@example.com', 'mallory'),
};

/**
 * Pushes as `who`. Over the local transport the hook inherits the
 * environment, so REMOTE_USER plays the part a web server's login has.
 * The local pre-push hook would stop most of these pushes first; it is
 * skipped (--no-verify) to show what the server enforces regardless.
 */
function push(ctx, who, refspec, extra = []) {
  const args = ['push', '--no-verify', ...extra, 'origin', refspec];
  const result = tryGit(args, ctx.clone, {
    ...who.env,
    PATH: ctx.path,
    GITWARDEN: `${process.execPath} ${cli}`,
  });
  const verdict = result.code === 0 ? 'accepted' : 'REFUSED by the server';
  note(`${who.name} pushes ${refspec}: ${verdict}`);
  for (const line of result.output.split('\n')) {
    if (line.startsWith('remote: gitwarden')) console.log(`     ${line}`);
    else if (line.startsWith('remote:   ')) console.log(`     ${line}`);
  }
  return result.code === 0;
}

/** A `gitwarden` command on PATH for the commit-msg hook to find. */
function installShim(ctx) {
  const bin = join(ctx.scratch, 'bin');
  write(
    join(bin, 'gitwarden'),
    `#!/bin/sh\nexec "${process.execPath}" "${cli}" "$@"\n`,
  );
  chmodSync(join(bin, 'gitwarden'), 0o755);
  return `${bin}:${process.env.PATH}`;
}

export function run(ctx) {
  heading('set up: a bare remote with the pre-receive hook, and a clone');
  ctx.path = installShim(ctx);
  git(
    ['init', '--quiet', '--bare', '--initial-branch=main', ctx.remote],
    ctx.scratch,
  );
  git(['config', 'receive.advertisePushOptions', 'true'], ctx.remote);
  git(['clone', '--quiet', ctx.remote, ctx.clone], ctx.scratch);
  gitwarden(['init'], { cwd: ctx.clone, env: { PATH: ctx.path } });
  write(join(ctx.clone, '.gitwarden', 'policy.yml'), policy);
  gitwarden(['policy', 'validate'], { cwd: ctx.clone });
  write(join(ctx.clone, 'README.md'), '# scratch\n');
  commitAs(
    people.alice,
    ctx.clone,
    'Add the policy\n\nAgent: claude\nTask: OPS-1',
  );
  // The administrator pushes the policy first, then turns enforcement on.
  git(['push', '--quiet', '--no-verify', 'origin', 'main'], ctx.clone, {
    ...people.alice.env,
    PATH: ctx.path,
  });
  const hook = join(ctx.remote, 'hooks', 'pre-receive');
  copyFileSync(join(root, 'hooks', 'pre-receive'), hook);
  chmodSync(hook, 0o755);
  note('main holds the policy; the remote now runs hooks/pre-receive');

  heading('the local commit-msg hook refuses a commit without trailers');
  git(['checkout', '--quiet', '-b', 'agent/app'], ctx.clone);
  write(join(ctx.clone, 'src', 'app.js'), 'export const answer = 42;\n');
  git(['add', '--all'], ctx.clone);
  const local = tryGit(['commit', '--quiet', '-m', 'Add the app'], ctx.clone, {
    ...people.claude.env,
    PATH: ctx.path,
  });
  note(`git commit exited ${local.code}; the hook said:`);
  for (const line of local.output.split('\n')) console.log(`     ${line}`);

  heading(
    'local hooks are advisory: --no-verify skips it, the server does not',
  );
  commitAs(people.claude, ctx.clone, 'Add the app');
  push(ctx, people.claude, 'agent/app');
  git(
    [
      'commit',
      '--quiet',
      '--amend',
      '--no-verify',
      '-m',
      'Add the app\n\nAgent: claude\nTask: APP-7',
    ],
    ctx.clone,
    people.claude.env,
  );
  push(ctx, people.claude, 'agent/app');

  heading('roles: an agent stays on agent/**, a developer does not push main');
  push(ctx, people.claude, 'agent/app:refs/heads/main');
  git(['checkout', '--quiet', '-b', 'feature/notes', 'origin/main'], ctx.clone);
  write(join(ctx.clone, 'notes.md'), 'notes\n');
  commitAs(people.bob, ctx.clone, 'Write notes\n\nAgent: copilot\nTask: DOC-3');
  push(ctx, people.bob, 'feature/notes:refs/heads/main');
  push(ctx, people.bob, 'feature/notes');

  heading('a person commits as an agent they may not speak for');
  write(join(ctx.clone, 'notes.md'), 'more notes\n');
  commitAs(people.bob, ctx.clone, 'More notes\n\nAgent: claude\nTask: DOC-4');
  push(ctx, people.bob, 'feature/notes');
  git(['reset', '--quiet', '--hard', 'HEAD~1'], ctx.clone);

  heading('a merge is known by its parents; a stranger has no rights');
  git(
    ['merge', '--quiet', '--no-verify', '--no-edit', 'agent/app'],
    ctx.clone,
    people.bob.env,
  );
  push(ctx, people.bob, 'feature/notes');
  write(join(ctx.clone, 'x.md'), 'x\n');
  commitAs(people.mallory, ctx.clone, 'Sneak in\n\nAgent: claude\nTask: X-1');
  push(ctx, people.mallory, 'feature/notes');
  git(['reset', '--quiet', '--hard', 'HEAD~1'], ctx.clone);

  heading('an agent pastes a credential into a file; the server scans it');
  git(['checkout', '--quiet', 'agent/app'], ctx.clone);
  // A fake token of the right shape, made now: never a literal on disk
  // in this repository.
  const alphabet =
    'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
  const token = `ghp_${[...randomBytes(36)].map((b) => alphabet[b % 62]).join('')}`;
  write(join(ctx.clone, 'deploy.sh'), `export GITHUB_TOKEN=${token}\n`);
  commitAs(
    people.claude,
    ctx.clone,
    'Add deploy settings\n\nAgent: claude\nTask: APP-8',
  );
  push(ctx, people.claude, 'agent/app');
  note('the refusal names file, line and a masked form, never the token');
  git(['reset', '--quiet', '--hard', 'HEAD~1'], ctx.clone);
  git(['checkout', '--quiet', 'feature/notes'], ctx.clone);

  heading('break-glass: an owner overrides a refusal with a stated reason');
  write(join(ctx.clone, 'hotfix.md'), 'fix\n');
  commitAs(people.alice, ctx.clone, 'Hotfix without a task');
  push(ctx, people.alice, 'HEAD:refs/heads/main', [
    '-o',
    'gitwarden-override=production is down; task filed afterwards',
  ]);

  heading("gitwarden judges this project's own latest commits");
  const count = Number(git(['rev-list', '--count', 'HEAD'], root));
  const range = count > 5 ? 'HEAD~5..HEAD' : 'HEAD';
  gitwarden(['check', '--range', range], { cwd: root, env: baseEnv });
}
