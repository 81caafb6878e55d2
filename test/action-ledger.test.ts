import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { makeGithubRepo, type GithubRepo } from './helpers/github-repo.ts';
import {
  chunkLines,
  makeKey,
  rewriteTip,
  setChunkLines,
  type TestKey,
} from './helpers/ledger.ts';
import { pullRequestPayload, pushPayload } from './helpers/payloads.ts';
import { cleanupTempDirs, makeRepo, runCli } from './helpers/repo.ts';
import { runAction } from './helpers/run-action.ts';

afterAll(cleanupTempDirs);

let key: TestKey;
beforeAll(() => {
  key = makeKey('ci');
});

const ok = (subject: string) => `${subject}\n\nAgent: claude\nTask: GW-6\n`;

function policy(enabled = true) {
  return [
    'version: 1',
    'ledger:',
    `  enabled: ${enabled}`,
    '  origin: example.com/octo-org/octo-repo/ledger',
    '  remote: origin',
    '  writerKeys:',
    `    - fingerprint: ${key.entry.fingerprint}`,
    `      publicKey: ${key.entry.publicKey}`,
    '',
  ].join('\n');
}

/** main with the ledger policy, the ledger created on origin, one push to judge. */
function project(enabled = true) {
  const gh = makeGithubRepo();
  gh.dev.write('.gitwarden/policy.yml', policy(enabled));
  const before = gh.dev.commit(ok('policy'));
  gh.push('main');
  if (enabled) {
    const init = runCli(['ledger', 'init'], {
      cwd: gh.dev.dir,
      env: { GITWARDEN_LEDGER_KEY: key.pem },
    });
    expect(init.code, init.stderr).toBe(0);
  }
  const after = gh.dev.commit(ok('work'));
  gh.push('main');
  return { gh, before, after };
}

/** verify, then ledger, in one job: the ledger records what verify wrote. */
async function job(
  gh: GithubRepo,
  before: string,
  after: string,
  inputs: Record<string, string> = {},
) {
  const clone = gh.checkout({ sha: after, ref: 'refs/heads/main', depth: 0 });
  const payload = pushPayload({ ref: 'refs/heads/main', before, after });
  const verify = await runAction('verify', {
    event: 'push',
    payload,
    workspace: clone,
    sha: after,
  });
  const ledger = await runAction('ledger', {
    event: 'push',
    payload,
    workspace: clone,
    sha: after,
    inputs: {
      'signing-key': key.pem,
      records: verify.outputs['result-path']!,
      ...inputs,
    },
  });
  return { clone, verify, ledger };
}

function remoteLedger(gh: GithubRepo) {
  const json = runCli(['ledger', 'verify', '--json', '--no-cache'], {
    cwd: gh.dev.dir,
    env: { GITWARDEN_LEDGER_KEY: key.pem },
  });
  return JSON.parse(json.stdout) as { verdict: string; size: number };
}

describe('the bundled ledger action', () => {
  it('appends the verify result and access decision, verifies, and gives the checkpoint', async () => {
    const { gh, before, after } = project();
    const { verify, ledger } = await job(gh, before, after);
    expect(verify.code).toBe(0);
    expect(ledger.code, ledger.stdout).toBe(0);
    expect(ledger.outputs).toMatchObject({
      appended: '2',
      'first-index': '0',
      size: '2',
    });
    // No anchor yet: consistent, said out loud, not failed.
    expect(ledger.outputs.verdict).toBe('unanchored');
    expect(
      ledger.annotations.find((a) => a.command === 'warning')?.message,
    ).toMatch(/unanchored.*\.gitwarden\/ledger\.checkpoint/);
    expect(ledger.outputs.checkpoint).toMatch(
      /^example\.com\/octo-org\/octo-repo\/ledger\n2\n/,
    );
    expect(readFileSync(ledger.outputs['checkpoint-path']!, 'utf8')).toBe(
      ledger.outputs.checkpoint,
    );
    expect(ledger.summary).toMatch(/2 records, root .*, unanchored/);

    // The shared ledger on origin holds them, signed, for any verifier.
    expect(remoteLedger(gh)).toMatchObject({ verdict: 'unanchored', size: 2 });
    const shown = runCli(['ledger', 'show', '--json'], { cwd: gh.dev.dir });
    const records = shown.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(records.map((r) => r.record?.action ?? r.action)).toEqual([
      'verify.push',
      'push.check',
    ]);
  });

  it('is verified against the anchor the protected branch keeps', async () => {
    const { gh, before, after } = project();
    const first = await job(gh, before, after);
    gh.dev.write(
      '.gitwarden/ledger.checkpoint',
      first.ledger.outputs.checkpoint!,
    );
    const anchored = gh.dev.commit(ok('anchor the ledger'));
    gh.push('main');
    const next = gh.dev.commit(ok('more work'));
    gh.push('main');
    const second = await job(gh, anchored, next, { 'require-anchor': 'true' });
    expect(second.ledger.code, second.ledger.stdout).toBe(0);
    expect(second.ledger.outputs).toMatchObject({
      verdict: 'verified',
      size: '4',
    });
  });

  it('loses no record when jobs append at the same time', async () => {
    const { gh, before, after } = project();
    const clone = gh.checkout({ sha: after, ref: 'refs/heads/main', depth: 0 });
    const payload = pushPayload({ ref: 'refs/heads/main', before, after });
    const verify = await runAction('verify', {
      event: 'push',
      payload,
      workspace: clone,
      sha: after,
    });
    // Four jobs, each in its own checkout, racing for the same branch tip.
    const runs = await Promise.all(
      [1, 2, 3, 4].map(() =>
        runAction('ledger', {
          event: 'push',
          payload,
          workspace: gh.checkout({
            sha: after,
            ref: 'refs/heads/main',
            depth: 0,
          }),
          sha: after,
          inputs: {
            'signing-key': key.pem,
            records: verify.outputs['result-path']!,
            verify: 'false',
          },
        }),
      ),
    );
    expect(runs.map((run) => run.code)).toEqual([0, 0, 0, 0]);
    expect(
      runs.map((run) => Number(run.outputs['first-index'])).sort(),
    ).toEqual([0, 2, 4, 6]);
    expect(remoteLedger(gh)).toMatchObject({ verdict: 'unanchored', size: 8 });
  });

  it('fails when the ledger it appends to was tampered with', async () => {
    const { gh, before, after } = project();
    await job(gh, before, after);
    const second = gh.dev.commit(ok('second'));
    gh.push('main');
    await job(gh, after, second);
    // Someone with push rights reorders records and force-pushes.
    const attacker = makeRepo();
    attacker.git([
      'fetch',
      '--quiet',
      `file://${gh.origin}`,
      '+refs/heads/gitwarden/ledger:refs/heads/gitwarden/ledger',
    ]);
    rewriteTip(attacker, (files) => {
      const lines = chunkLines(files);
      setChunkLines(files, [lines[0]!, lines[2]!, lines[1]!, lines[3]!]);
    });
    attacker.git([
      'push',
      '--quiet',
      '--force',
      `file://${gh.origin}`,
      'refs/heads/gitwarden/ledger',
    ]);
    const third = gh.dev.commit(ok('third'));
    gh.push('main');
    const { ledger } = await job(gh, second, third);
    expect(ledger.code).toBe(1);
    expect(ledger.outputs.verdict).toBe('tampered');
  });

  it('skips, saying why, for a fork pull request or a policy without the ledger', async () => {
    const { gh, before, after } = project(false);
    const disabled = await job(gh, before, after);
    expect(disabled.ledger.code).toBe(0);
    expect(disabled.ledger.outputs).toMatchObject({
      appended: '0',
      verdict: 'skipped',
    });
    expect(disabled.ledger.annotations[0]?.message).toMatch(
      /does not enable the ledger/,
    );

    const fork = await runAction('ledger', {
      event: 'pull_request',
      payload: pullRequestPayload({
        base: before,
        head: after,
        headRepo: 'someone/octo-repo',
      }),
      workspace: gh.dev.dir,
    });
    expect(fork.code).toBe(0);
    expect(fork.annotations[0]?.message).toMatch(/fork runs without secrets/);
  });

  it('bad input: no key, a key that is not a key, nothing to record', async () => {
    const { gh, before, after } = project();
    const clone = gh.checkout({ sha: after, ref: 'refs/heads/main', depth: 0 });
    const payload = pushPayload({ ref: 'refs/heads/main', before, after });
    const records = join(clone, 'records.jsonl');
    writeFileSync(
      records,
      `${JSON.stringify({ actor: { id: 'ops' }, action: 'deploy.run', decision: 'allow' })}\n`,
    );

    const noKey = await runAction('ledger', {
      event: 'push',
      payload,
      workspace: clone,
      sha: after,
      inputs: { records },
    });
    expect(noKey.code).toBe(2);
    expect(noKey.annotations[0]?.message).toMatch(/GITWARDEN_LEDGER_KEY/);

    const garbage = await runAction('ledger', {
      event: 'push',
      payload,
      workspace: clone,
      sha: after,
      inputs: { records, 'signing-key': 'not-a-key' },
    });
    expect(garbage.code).toBe(2);
    expect(
      garbage.stdout
        .split('\n')
        .filter((l) => !l.startsWith('::add-mask::'))
        .join('\n'),
    ).not.toContain('not-a-key');

    const nothing = await runAction('ledger', {
      event: 'push',
      payload,
      workspace: clone,
      sha: after,
      inputs: { 'signing-key': key.pem },
    });
    expect(nothing.code).toBe(2);
    expect(nothing.annotations[0]?.message).toMatch(/nothing to record/);

    const own = await runAction('ledger', {
      event: 'push',
      payload,
      workspace: clone,
      sha: after,
      inputs: { records, 'signing-key': key.pem },
    });
    expect(own.code).toBe(0);
    expect(own.outputs.appended).toBe('1');
  });
});
