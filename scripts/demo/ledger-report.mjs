// The audit trail and what is built from it: a signing key from a file
// outside the repository, a local ledger branch written with git plumbing,
// the demo's decisions and agent operations appended as signed records,
// verification, and the SLA and compliance report with its dashboard.
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { baseEnv, cli, git, gitwarden, heading, note, write } from './lib.mjs';
import { people, policy } from './trailers.mjs';

const HOUR = 3_600_000;

/**
 * What the scratch repository's hooks and agents did, as ledger records:
 * push decisions and agent operations (an operation's outcome and duration
 * are what the SLA is computed from).
 */
function demoRecords(now) {
  const at = (hoursAgo) => new Date(now - hoursAgo * HOUR).toISOString();
  const push = (who, role, ref, decision, reason, agent, task, hoursAgo) => ({
    time: at(hoursAgo),
    actor: { id: who, role, kind: role === 'agent' ? 'agent' : 'human' },
    ...(agent ? { agent, task } : {}),
    action: 'push.check',
    subject: { repository: 'scratch', ref },
    decision,
    reason,
  });
  const records = [
    push(
      'claude-bot',
      'agent',
      'refs/heads/agent/app',
      'deny',
      'no Agent trailer',
      'claude',
      'APP-7',
      30,
    ),
    push(
      'claude-bot',
      'agent',
      'refs/heads/agent/app',
      'allow',
      'roles and trailers pass',
      'claude',
      'APP-7',
      29,
    ),
    push(
      'bob',
      'developer',
      'refs/heads/main',
      'deny',
      'no grant of role developer allows push refs/heads/main',
      'copilot',
      'DOC-3',
      20,
    ),
    push(
      'mallory',
      undefined,
      'refs/heads/feature/notes',
      'deny',
      'not an identity this policy knows',
      undefined,
      undefined,
      10,
    ),
    {
      time: at(2),
      actor: { id: 'alice', role: 'owner', kind: 'human' },
      action: 'override',
      subject: { repository: 'scratch', ref: 'refs/heads/main' },
      decision: 'allow',
      why: 'production is down; task filed afterwards',
    },
  ];
  // Agent operations over the last day: mostly quick successes, a few
  // failures, so availability and latency have something to show.
  for (let i = 0; i < 48; i++) {
    const agent = i % 3 === 0 ? 'copilot' : 'claude';
    const failed = i % 17 === 5;
    records.push({
      time: at(24 - i / 2),
      actor: { id: agent === 'claude' ? 'claude-bot' : 'bob', kind: 'agent' },
      agent,
      task: `APP-${100 + i}`,
      action: 'command.run',
      subject: { command: ['npm', 'test'] },
      decision: 'allow',
      outcome: {
        status: failed ? 'error' : 'ok',
        durationMs: 800 + ((i * 379) % 2400),
        exitCode: failed ? 1 : 0,
      },
    });
  }
  return records;
}

export function run(ctx) {
  heading('the audit ledger: signed records on an orphan branch');
  mkdirSync(join(ctx.scratch, 'keys'), { recursive: true, mode: 0o700 });
  const keyFile = join(ctx.scratch, 'keys', 'ledger.key');
  const key = JSON.parse(
    gitwardenJson(['ledger', 'keygen', '--out', keyFile, '--json'], ctx.clone),
  );
  note(
    `writer key ${key.fingerprint.slice(0, 16)}… (private key in ${keyFile}, mode 0600)`,
  );
  write(
    join(ctx.clone, '.gitwarden', 'policy.yml'),
    `${policy}ledger:
  enabled: true
  origin: demo.gitwarden.invalid/scratch
  writerKeys:
    - name: ${key.name}
      fingerprint: ${key.fingerprint}
      publicKey: ${key.publicKey}
  signer:
    provider: file
    path: ${keyFile}
`,
  );
  git(['checkout', '--quiet', 'main'], ctx.clone);
  git(['add', '--all'], ctx.clone);
  git(
    [
      'commit',
      '--quiet',
      '--no-verify',
      '-m',
      'Trust the ledger writer key\n\nAgent: claude\nTask: OPS-3',
    ],
    ctx.clone,
    people.alice.env,
  );
  gitwarden(['ledger', 'init'], { cwd: ctx.clone });

  const input = join(ctx.scratch, 'records.jsonl');
  write(
    input,
    demoRecords(Date.now())
      .map((r) => JSON.stringify(r))
      .join('\n') + '\n',
  );
  gitwarden(['ledger', 'append', '--input', input, '--key-file', keyFile], {
    cwd: ctx.clone,
  });
  // Exit 3 here means "verified, but unanchored": a fresh log has no
  // earlier checkpoint to prove it extends. The demo shows it, then
  // checks again now that this clone has accepted a checkpoint.
  const first = gitwarden(['ledger', 'verify'], { cwd: ctx.clone, allow: [3] });
  if (first === 3)
    gitwarden(['ledger', 'verify'], { cwd: ctx.clone, allow: [3] });

  heading('SLA and compliance report, and the dashboard, from the ledger');
  const exported = join(ctx.scratch, 'ledger.jsonl');
  write(exported, gitwardenJson(['ledger', 'export'], ctx.clone));
  const verification = join(ctx.scratch, 'verification.json');
  write(
    verification,
    gitwardenJson(['ledger', 'verify', '--json'], ctx.clone, [3]),
  );
  const out = join(ctx.scratch, 'reports');
  gitwarden(
    [
      'report',
      '--ledger',
      exported,
      '--verification',
      verification,
      '--format',
      'html',
      '--out-dir',
      out,
    ],
    { cwd: ctx.clone, allow: [1] },
  );
  const markdown = readFileSync(join(out, 'gitwarden-report.md'), 'utf8');
  console.log(
    markdown
      .split('\n')
      .slice(0, 30)
      .map((l) => `   ${l}`)
      .join('\n'),
  );
  note(
    `open the dashboard from disk: ${join(out, 'gitwarden-dashboard.html')}`,
  );
}

/** Runs gitwarden for its standard output (JSON or an export). */
function gitwardenJson(args, cwd, allow = []) {
  const { spawnSync } = process.getBuiltinModule('node:child_process');
  const result = spawnSync(process.execPath, [cli, ...args], {
    cwd,
    env: baseEnv,
    encoding: 'utf8',
    maxBuffer: 1 << 28,
  });
  if (result.status !== 0 && !allow.includes(result.status)) {
    throw new Error(
      `step failed (exit ${result.status}): gitwarden ${args.join(' ')}\n${result.stderr}`,
    );
  }
  return result.stdout;
}
