// The GitHub Actions part of `npm run demo`: runs the bundled actions
// (actions/NAME/dist/index.js) the way the runner does, against a
// repository that plays GitHub (a bare `origin`) and checkouts made as
// actions/checkout makes them, with a realistic push and pull-request
// payload, and prints the job summaries the actions wrote.
//
//   node scripts/demo-actions.mjs [scratch-folder]
//   import { demoActions } from './demo-actions.mjs'; await demoActions(dir)
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

const gitEnv = {
  ...process.env,
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_AUTHOR_NAME: 'Ada Example',
  GIT_AUTHOR_EMAIL: 'ada@example.com',
  GIT_COMMITTER_NAME: 'Ada Example',
  GIT_COMMITTER_EMAIL: 'ada@example.com',
};

const git = (cwd, ...args) =>
  execFileSync('git', args, { cwd, env: gitEnv, encoding: 'utf8' }).trim();

function commit(cwd, file, message) {
  writeFileSync(join(cwd, file), `${message}\n`);
  git(cwd, 'add', file);
  git(cwd, 'commit', '--quiet', '--cleanup=verbatim', '-m', message);
  return git(cwd, 'rev-parse', 'HEAD');
}

/** A fresh folder checked out as actions/checkout does (depth 1). */
function checkout(scratch, origin, name, sha, ref) {
  const dir = join(scratch, name);
  mkdirSync(dir);
  git(dir, 'init', '--quiet');
  git(dir, 'remote', 'add', 'origin', `file://${origin}`);
  git(
    dir,
    'fetch',
    '--quiet',
    '--no-tags',
    '--depth=1',
    'origin',
    `+${sha}:${ref}`,
  );
  git(dir, 'checkout', '--quiet', '--detach', sha);
  return dir;
}

/** Runs one bundled action with the runner's files and variables. */
function runAction(
  scratch,
  action,
  { event, payload, workspace, sha, ref, inputs = {} },
) {
  const home = mkdtempSync(join(scratch, `runner-${action}-`));
  const files = {
    GITHUB_EVENT_PATH: join(home, 'event.json'),
    GITHUB_OUTPUT: join(home, 'output'),
    GITHUB_STEP_SUMMARY: join(home, 'summary.md'),
  };
  writeFileSync(files.GITHUB_EVENT_PATH, JSON.stringify(payload, null, 2));
  writeFileSync(files.GITHUB_OUTPUT, '');
  writeFileSync(files.GITHUB_STEP_SUMMARY, '');
  mkdirSync(join(home, 'temp'));
  const env = Object.fromEntries(
    Object.entries(gitEnv).filter(
      ([key]) => !/^(GITHUB_|INPUT_|RUNNER_)/.test(key),
    ),
  );
  const result = spawnSync(
    process.execPath,
    [join(root, 'actions', action, 'dist', 'index.js')],
    {
      cwd: workspace,
      encoding: 'utf8',
      env: {
        ...env,
        ...files,
        GITHUB_ACTIONS: 'true',
        GITHUB_EVENT_NAME: event,
        GITHUB_WORKSPACE: workspace,
        GITHUB_SHA: sha,
        GITHUB_REF: ref,
        GITHUB_REPOSITORY: 'octo-org/demo',
        GITHUB_SERVER_URL: 'https://github.com',
        RUNNER_TEMP: join(home, 'temp'),
        ...inputEnv(action, inputs),
      },
    },
  );
  const annotations = result.stdout
    .split('\n')
    .filter((line) => /^::(error|warning|notice)/.test(line));
  console.log(`$ ${action} (${event}) -> exit ${result.status}`);
  for (const line of annotations) console.log(`  ${line}`);
  console.log('\n--- job summary ---');
  console.log(readFileSync(files.GITHUB_STEP_SUMMARY, 'utf8').trim());
  console.log('-------------------\n');
  if (result.status === null || result.status >= 2) {
    throw new Error(
      `the ${action} action could not run:\n${result.stdout}${result.stderr}`,
    );
  }
  return outputsOf(readFileSync(files.GITHUB_OUTPUT, 'utf8'));
}

/** Every input of the action: its action.yml defaults, then the given ones. */
function inputEnv(action, inputs) {
  const yaml = readFileSync(
    join(root, 'actions', action, 'action.yml'),
    'utf8',
  );
  const env = {};
  // action.yml is ours and simple: "  name:" then an indented "default:".
  let name;
  for (const line of yaml.split('\n')) {
    const key = /^ {2}([a-z][\w-]*):\s*$/.exec(line);
    if (key) name = key[1];
    const value = /^ {4}default:\s*'?(.*?)'?\s*$/.exec(line);
    if (name && value) env[`INPUT_${name.toUpperCase()}`] = value[1];
  }
  for (const [key, value] of Object.entries(inputs)) {
    env[`INPUT_${key.toUpperCase()}`] = value;
  }
  return env;
}

/** GITHUB_OUTPUT's `name<<DELIMITER` blocks. */
function outputsOf(text) {
  const outputs = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const head = /^([^<]+)<<(.+)$/.exec(lines[i]);
    if (!head) continue;
    const value = [];
    for (i++; i < lines.length && lines[i] !== head[2]; i++)
      value.push(lines[i]);
    outputs[head[1]] = value.join('\n');
  }
  return outputs;
}

const repository = { full_name: 'octo-org/demo', default_branch: 'main' };
const user = (login) => ({ login, type: 'User' });

export async function demoActions(scratch) {
  const origin = join(scratch, 'github-origin.git');
  git(scratch, 'init', '--quiet', '--bare', '--initial-branch=main', origin);
  git(origin, 'config', 'uploadpack.allowAnySHA1InWant', 'true');
  const dev = join(scratch, 'github-dev');
  mkdirSync(dev);
  git(dev, 'init', '--quiet', '--initial-branch=main');
  git(dev, 'remote', 'add', 'origin', `file://${origin}`);
  // The ledger's writer key lives outside the repository; the policy on
  // main trusts its public half.
  const keyFile = join(scratch, 'keys', 'ci.key');
  mkdirSync(dirname(keyFile), { recursive: true, mode: 0o700 });
  const entry = JSON.parse(
    gitwarden(scratch, 'ledger', 'keygen', '--out', keyFile, '--json'),
  );
  mkdirSync(join(dev, '.gitwarden'));
  writeFileSync(
    join(dev, '.gitwarden', 'policy.yml'),
    [
      'version: 1',
      'ledger:',
      '  enabled: true',
      '  origin: example.com/octo-org/demo/ledger',
      '  remote: origin',
      '  writerKeys:',
      `    - name: ci`,
      `      fingerprint: ${entry.fingerprint}`,
      `      publicKey: ${entry.publicKey}`,
      '',
    ].join('\n'),
  );
  git(dev, 'add', '.gitwarden/policy.yml');
  const first = commit(dev, 'README.md', 'Start\n\nAgent: human\nTask: DEMO-1');
  git(dev, 'push', '--quiet', 'origin', 'main');
  const key = readFileSync(keyFile, 'utf8');
  gitwarden(dev, 'ledger', 'init', '--key-file', keyFile);

  // A push of two commits to main; the workflow clone has one commit.
  commit(dev, 'a.txt', 'Add a\n\nAgent: claude\nTask: DEMO-2');
  const after = commit(dev, 'b.txt', 'Add b\n\nAgent: claude\nTask: DEMO-3');
  git(dev, 'push', '--quiet', 'origin', 'main');
  const pushPayload = {
    ref: 'refs/heads/main',
    before: first,
    after,
    created: false,
    deleted: false,
    forced: false,
    commits: [],
    repository,
    pusher: { name: 'ada', email: 'ada@example.com' },
    sender: user('ada'),
  };
  const ciPush = checkout(
    scratch,
    origin,
    'ci-push',
    after,
    'refs/remotes/origin/main',
  );
  const verified = runAction(scratch, 'verify', {
    event: 'push',
    payload: pushPayload,
    workspace: ciPush,
    sha: after,
    ref: 'refs/heads/main',
  });
  // The same job appends what verify decided to the signed ledger.
  runAction(scratch, 'ledger', {
    event: 'push',
    payload: pushPayload,
    workspace: ciPush,
    sha: after,
    ref: 'refs/heads/main',
    inputs: { 'signing-key': key, records: verified['result-path'] },
  });
  // A pull request whose second commit forgot its Task trailer.
  git(dev, 'checkout', '--quiet', '-b', 'feature');
  commit(dev, 'c.txt', 'Add c\n\nAgent: claude\nTask: DEMO-4');
  const head = commit(dev, 'd.txt', 'Add d\n\nAgent: claude');
  git(dev, 'push', '--quiet', 'origin', `${head}:refs/pull/1/head`);
  runAction(scratch, 'verify', {
    event: 'pull_request',
    payload: {
      action: 'synchronize',
      number: 1,
      pull_request: {
        number: 1,
        user: user('ada'),
        base: { ref: 'main', sha: after, repo: repository },
        head: { ref: 'feature', sha: head, repo: repository },
      },
      repository,
      sender: user('ada'),
    },
    workspace: checkout(
      scratch,
      origin,
      'ci-pr',
      head,
      'refs/remotes/pull/1/head',
    ),
    sha: head,
    ref: 'refs/pull/1/merge',
  });
}

/** Runs the built gitwarden command; returns its output. */
function gitwarden(cwd, ...args) {
  return execFileSync(
    process.execPath,
    [join(root, 'bin', 'gitwarden.js'), ...args],
    {
      cwd,
      env: { ...gitEnv, GITWARDEN_LEDGER_KEY: undefined },
      encoding: 'utf8',
    },
  );
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const scratch =
    process.argv[2] ?? mkdtempSync(join(tmpdir(), 'gitwarden-actions-demo-'));
  mkdirSync(scratch, { recursive: true });
  await demoActions(scratch);
  console.log(`actions demo finished; scratch folder left in ${scratch}`);
}
