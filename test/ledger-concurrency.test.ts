import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

import {
  cleanupTempDirs,
  makeRepo,
  runCli,
  tempDir,
  testGitEnv,
} from './helpers/repo.ts';
import { makeKey } from './helpers/ledger.ts';

afterAll(cleanupTempDirs);

const cli = join(import.meta.dirname, '..', 'bin', 'gitwarden.js');
const WRITERS = 8;
const APPENDS = 10;

/** One writer process: a shell loop of CLI appends, like a CI job. */
function writer(cwd: string, name: string, env: NodeJS.ProcessEnv) {
  const script = `for i in $(seq ${APPENDS}); do "$NODE" "$CLI" ledger append --action test.append --actor ${name} --reason "append $i" --json || exit 1; done`;
  return new Promise<{ code: number; stdout: string; stderr: string }>(
    (resolve) => {
      const child = spawn('bash', ['-c', script], {
        cwd,
        env: {
          ...testGitEnv,
          ...env,
          NODE: process.execPath,
          CLI: cli,
          NO_COLOR: '1',
        },
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk) => (stdout += chunk));
      child.stderr.on('data', (chunk) => (stderr += chunk));
      child.on('close', (code) =>
        resolve({ code: code ?? -1, stdout, stderr }),
      );
    },
  );
}

describe('ledger appends from parallel writers', () => {
  it(`keeps all ${WRITERS * APPENDS} records from ${WRITERS} processes × ${APPENDS} appends on one bare remote`, async () => {
    const key = makeKey('ci');
    const env = { GITWARDEN_LEDGER_KEY: key.pem };
    const remote = makeRepo({ bare: true });
    const seed = makeRepo();
    seed.write(
      '.gitwarden/policy.yml',
      [
        'ledger:',
        '  enabled: true',
        '  origin: example.com/acme/app/ledger',
        '  remote: origin',
        '  writerKeys:',
        `    - fingerprint: ${key.entry.fingerprint}`,
        `      publicKey: ${key.entry.publicKey}`,
        '',
      ].join('\n'),
    );
    seed.commit('policy\n');
    seed.git(['remote', 'add', 'origin', remote.dir]);
    seed.git(['push', '-q', 'origin', 'main']);
    const init = runCli(['ledger', 'init'], { cwd: seed.dir, env });
    expect(init.stderr).toBe('');
    expect(init.code).toBe(0);

    const clones = Array.from({ length: WRITERS }, (_, i) => {
      const dir = join(tempDir(), `writer-${i}`);
      seed.git(['clone', '-q', remote.dir, dir]);
      return dir;
    });
    const results = await Promise.all(
      clones.map((dir, i) => writer(dir, `writer-${i}`, env)),
    );
    for (const result of results) {
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
    }
    const appended = results.flatMap((r) =>
      r.stdout
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line)),
    );
    const retries = appended.reduce((sum, a) => sum + a.retries, 0);
    console.log(
      `${appended.length} appends, ${retries} retries after a lost race`,
    );

    // A fresh clone verifies the shared ledger and finds every record once.
    const checker = join(tempDir(), 'checker');
    seed.git(['clone', '-q', remote.dir, checker]);
    const verify = runCli(['ledger', 'verify', '--json'], { cwd: checker });
    const report = JSON.parse(verify.stdout);
    expect(report.faults).toEqual([]);
    expect(report).toMatchObject({
      verdict: 'unanchored',
      size: WRITERS * APPENDS,
    });
    expect(verify.code).toBe(3);
    const shown = runCli(['ledger', 'show', '--json'], { cwd: checker });
    const records = shown.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line).record);
    const ids = new Set(records.map((r: { id: string }) => r.id));
    expect(ids.size).toBe(WRITERS * APPENDS);
    expect(new Set(appended.map((a) => a.ids[0]))).toEqual(ids);
    for (let i = 0; i < WRITERS; i++) {
      expect(
        records.filter(
          (r: { actor: { id: string } }) => r.actor.id === `writer-${i}`,
        ),
      ).toHaveLength(APPENDS);
    }
  }, 600_000);
});
