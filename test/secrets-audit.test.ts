import { afterAll, describe, expect, it } from 'vitest';

import { auditRepository } from '../src/secrets-audit/audit.ts';
import { cleanupTempDirs, makeRepo } from './helpers/repo.ts';
import { useSecretRegistry } from './helpers/secret-registry.ts';

const secrets = useSecretRegistry();
afterAll(cleanupTempDirs);

const workflow = `
name: deploy
on: push
env:
  GLOBAL_TOKEN: \${{ secrets.API_TOKEN }}
jobs:
  deploy:
    runs-on: ubuntu-latest
    env:
      TOKEN: \${{ secrets.API_TOKEN }}
    steps:
      - run: echo "key is \${{ secrets.DEPLOY_KEY }}"
      - run: |
          echo "::add-mask::\${{ secrets.MASKED }}"
          echo "$TOKEN" | docker login --password-stdin
          echo "$TOKEN" > out/creds.txt
          npm publish
      - uses: actions/upload-artifact@v4
        with:
          name: build
          path: |
            dist/
            out/
      - uses: some/action@v1
        with:
          token: \${{ secrets.NOBODY_KNOWS }}
          gh: \${{ secrets.GITHUB_TOKEN }}
`;

function repoWithFiles(literals: Record<string, string>) {
  const repo = makeRepo();
  repo.write('.github/workflows/deploy.yml', workflow);
  repo.write(
    'k8s/secret.yaml',
    [
      'apiVersion: v1',
      'kind: Secret',
      'metadata:',
      '  name: api',
      'data:',
      `  password: ${Buffer.from(literals.k8s!).toString('base64')}`,
      'stringData:',
      `  token: ${literals.k8sString}`,
      `  fromEnv: \${API_TOKEN}`,
      '---',
      'apiVersion: bitnami.com/v1alpha1',
      'kind: SealedSecret',
      'metadata: { name: sealed }',
      'spec:',
      '  encryptedData:',
      // Ciphertext made now: a literal here would look like a password.
      `    password: ${Buffer.from('sealed by kubeseal').toString('base64')}`,
    ].join('\n'),
  );
  repo.write('k8s/deployment.yaml', 'kind: Deployment\nspec: {}\n');
  repo.write(
    'docker-compose.yml',
    [
      'services:',
      '  db:',
      '    environment:',
      `      DB_PASSWORD: ${literals.compose}`,
      '      NODE_ENV: production',
      '      API_TOKEN: ${API_TOKEN}',
      '  worker:',
      '    environment:',
      `      - SECRET_KEY=${literals.composeList}`,
      '      - PASSTHROUGH_TOKEN',
    ].join('\n'),
  );
  repo.write(
    'Dockerfile',
    [
      'FROM node:24',
      `ENV API_KEY=${literals.docker} PATH=/usr/local/bin:$PATH`,
      'ARG NPM_TOKEN',
      'ENV FROM_ARG_TOKEN=$NPM_TOKEN',
      `ENV SECRET_KEY ${literals.dockerOld}`,
    ].join('\n'),
  );
  return repo;
}

describe('secrets audit', () => {
  it('finds what only a whole-repository view sees, without values', async () => {
    const literals = {
      k8s: secrets.make('k8s data'),
      k8sString: secrets.make('k8s stringData'),
      compose: secrets.make('compose map'),
      composeList: secrets.make('compose list'),
      docker: secrets.make('dockerfile ENV'),
      dockerOld: secrets.make('dockerfile old ENV'),
    };
    const repo = repoWithFiles(literals);
    const report = await auditRepository({
      dir: repo.dir,
      document: {
        providers: {
          sources: {
            actions: {
              type: 'env',
              holds: ['API_TOKEN', 'DEPLOY_KEY', 'MASKED'],
            },
          },
        },
      },
    });
    secrets.watch(JSON.stringify(report), 'audit report');

    const found = report.findings.map(
      (f) => `${f.file}:${f.line} ${f.rule} ${f.name}`,
    );
    expect(found).toEqual([
      '.github/workflows/deploy.yml:12 workflow-secret-echo DEPLOY_KEY',
      '.github/workflows/deploy.yml:16 workflow-secret-to-file API_TOKEN',
      '.github/workflows/deploy.yml:18 artifact-holds-secret API_TOKEN',
      '.github/workflows/deploy.yml:26 unknown-secret-reference NOBODY_KNOWS',
      'Dockerfile:2 dockerfile-environment-literal API_KEY',
      'Dockerfile:5 dockerfile-environment-literal SECRET_KEY',
      'docker-compose.yml:4 compose-environment-literal DB_PASSWORD',
      'docker-compose.yml:9 compose-environment-literal SECRET_KEY',
      'k8s/secret.yaml:6 kubernetes-secret-literal password',
      'k8s/secret.yaml:8 kubernetes-secret-literal token',
    ]);
    expect(report.notes).toEqual([]);
    expect(report.findings[2]!.message).toContain('out/creds.txt');
  });

  it('says when secret references cannot be checked', async () => {
    const repo = makeRepo();
    repo.write('.github/workflows/ci.yml', workflow);
    const report = await auditRepository({ dir: repo.dir, document: {} });
    expect(report.notes[0]).toContain('secret references were not checked');
    expect(report.findings.map((f) => f.rule)).not.toContain(
      'unknown-secret-reference',
    );
  });

  it('passes a clean repository and skips broken YAML', async () => {
    const repo = makeRepo();
    repo.write(
      '.github/workflows/ci.yml',
      'on: push\njobs:\n  t:\n    steps:\n      - run: npm test\n',
    );
    repo.write('broken.yaml', 'kind: Secret\n  : : [\n');
    const report = await auditRepository({ dir: repo.dir, document: {} });
    expect(report.findings).toEqual([]);
  });

  it('runs from the CLI with exit 1 on findings and never prints a value', async () => {
    const literals = {
      k8s: secrets.make('k8s data'),
      k8sString: secrets.make('k8s stringData'),
      compose: secrets.make('compose map'),
      composeList: secrets.make('compose list'),
      docker: secrets.make('dockerfile ENV'),
      dockerOld: secrets.make('dockerfile old ENV'),
    };
    const repo = repoWithFiles(literals);
    const text = secrets.cli(['secrets', 'audit'], { cwd: repo.dir });
    expect(text.code).toBe(1);
    expect(text.stdout).toContain(
      'k8s/secret.yaml:8: kubernetes-secret-literal: Secret api holds a literal value for stringData.token',
    );
    // No policy here, so references are not checked: 9, not 10.
    expect(text.stdout).toContain('9 finding(s)');
    const json = secrets.cli(['secrets', 'audit', repo.dir, '--json']);
    expect(JSON.parse(json.stdout).findings).toHaveLength(9);

    const clean = makeRepo();
    expect(secrets.cli(['secrets', 'audit', clean.dir]).code).toBe(0);
  });
});
