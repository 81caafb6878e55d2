import { readFileSync } from 'node:fs';

import { afterAll, describe, expect, it } from 'vitest';

import { makeGithubRepo } from './helpers/github-repo.ts';
import { pushPayload } from './helpers/payloads.ts';
import { cleanupTempDirs } from './helpers/repo.ts';
import { runAction } from './helpers/run-action.ts';
import { fake } from './helpers/secrets.ts';

afterAll(cleanupTempDirs);

const ok = (subject: string) => `${subject}\n\nAgent: claude\nTask: GW-6\n`;

function project() {
  const gh = makeGithubRepo();
  gh.dev.write('README.md', 'hello\n');
  const before = gh.dev.commit(ok('start'));
  gh.push('main');
  return { gh, before };
}

describe('the verify action scans the lines a push adds for secrets', () => {
  it('refuses a credential added and removed within the push, never showing it', async () => {
    const { gh, before } = project();
    const secret = fake('github-pat');
    gh.dev.write('config/settings.ini', `# settings\nGITHUB_TOKEN=${secret}\n`);
    const added = gh.dev.commit(ok('add config'));
    gh.dev.write('config/settings.ini', '# settings\nGITHUB_TOKEN=\n');
    const after = gh.dev.commit(ok('drop the token'));
    gh.push('main');
    const clone = gh.checkout({ sha: after, ref: 'refs/heads/main' });

    const run = await runAction('verify', {
      event: 'push',
      payload: pushPayload({ ref: 'refs/heads/main', before, after }),
      workspace: clone,
      sha: after,
    });
    expect(run.code).toBe(1);
    const annotation = run.annotations.find((a) =>
      a.properties.title?.startsWith('gitwarden secrets'),
    );
    expect(annotation?.properties).toMatchObject({
      file: 'config/settings.ini',
      line: '2',
    });
    expect(annotation?.message).toContain(added.slice(0, 12));

    const sarif = JSON.parse(readFileSync(run.outputs['sarif-path']!, 'utf8'));
    const [result] = sarif.runs[0].results;
    expect(result.locations[0].physicalLocation).toMatchObject({
      artifactLocation: { uri: 'config/settings.ini', uriBaseId: '%SRCROOT%' },
      region: { startLine: 2 },
    });
    expect(result.partialFingerprints['gitwarden/secret/v1']).toMatch(
      /^[0-9a-f]{64}$/,
    );

    // The value is nowhere: not in the log, the summary, the JSON or SARIF.
    const everything = [
      run.stdout,
      run.stderr,
      run.summary,
      readFileSync(run.outputs['result-path']!, 'utf8'),
      readFileSync(run.outputs['sarif-path']!, 'utf8'),
    ].join('\n');
    expect(everything).not.toContain(secret);
  });

  it('scans a large push in the bundled worker threads', async () => {
    const { gh, before } = project();
    // Over 8 MiB of added lines makes the scanner start threads, which the
    // bundle must carry as actions/verify/dist/secrets-worker.js.
    const line = 'const value = "lorem ipsum dolor sit amet consectetur";\n';
    const body = line.repeat(Math.ceil((1024 * 1024) / line.length));
    for (let i = 0; i < 9; i++) gh.dev.write(`data/part-${i}.js`, body);
    gh.dev.write('data/key.ini', `TOKEN=${fake('github-pat', 2)}\n`);
    const after = gh.dev.commit(ok('a lot of data'));
    gh.push('main');
    const clone = gh.checkout({ sha: after, ref: 'refs/heads/main' });
    const run = await runAction('verify', {
      event: 'push',
      payload: pushPayload({ ref: 'refs/heads/main', before, after }),
      workspace: clone,
      sha: after,
    });
    expect(run.stderr).not.toMatch(/worker|thread/i);
    expect(run.code).toBe(1);
    expect(run.outputs.verdict).toBe('refused');
    expect(
      run.annotations.find((a) => a.properties.file === 'data/key.ini'),
    ).toBeDefined();
  });
});
