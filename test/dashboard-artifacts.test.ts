import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { strToU8, zipSync } from 'fflate';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { createGitHubClient, type GitHubClient } from '../src/github/client.ts';
import { buildReportFromEvents } from '../src/report/build.ts';
import { loadControls, type ControlSet } from '../src/report/controls.ts';
import type { ReportEvent } from '../src/report/events.ts';
import { collectReports } from '../src/report/from-artifacts.ts';
import { NOT_VERIFIED } from '../src/report/records.ts';
import {
  githubErrors,
  startFakeGitHub,
  type FakeGitHub,
} from './helpers/fake-github.ts';
import type { LoopbackRequest, Reply } from './helpers/loopback.ts';
import { cleanupTempDirs, runCli, tempDir } from './helpers/repo.ts';
import { runCliAsync } from './helpers/run-cli-async.ts';

const DAY = 86_400_000;
const UNTIL = Date.parse('2026-03-01T00:00:00Z');

let controls: ControlSet;
let fake: FakeGitHub;
let client: GitHubClient;

beforeAll(async () => {
  controls = await loadControls();
});
beforeEach(async () => {
  fake = await startFakeGitHub();
  client = createGitHubClient({
    token: fake.token,
    baseUrl: fake.url,
    secondMs: 5,
    timeoutMs: 2000,
  });
});
afterEach(async () => {
  await fake.close();
  cleanupTempDirs();
});

/** A report for the week ending `weeksAgo` weeks before UNTIL. */
function weeklyReport(weeksAgo: number, failures: number) {
  const until = UNTIL - weeksAgo * 7 * DAY;
  const events: ReportEvent[] = Array.from({ length: 100 }, (_, i) => ({
    type: 'operation',
    source: 'wrapper',
    id: `op-${weeksAgo}-${i}`,
    time: until - 1000 - i * 60_000,
    actor: 'bot',
    agent: 'coder',
    task: 'GW-1',
    start: until - 2000 - i * 60_000,
    end: until - 1000 - i * 60_000,
    outcome: i < failures ? 'failure' : 'success',
  }));
  return buildReportFromEvents(events, {
    policy: {},
    period: { since: until - 7 * DAY, until },
    integrity: NOT_VERIFIED,
    controls,
    ledger: 'ledger',
    now: until,
  });
}

interface Artifact {
  id: number;
  name: string;
  expired: boolean;
  zip: Buffer;
}

/**
 * The Actions artifacts API of one repository, as GitHub documents it:
 * list (newest first, paged, filtered by name), and download, which
 * redirects to the archive.
 */
function serveArtifacts(ownerRepo: string, artifacts: Artifact[]) {
  const base = `/repos/${ownerRepo}/actions/artifacts`;
  fake.server.route('GET', base, (request) => {
    const name = request.query.get('name');
    const listed = artifacts
      .filter((a) => !name || a.name === name)
      .map((a) => ({
        id: a.id,
        node_id: `MDg6QXJ0aWZhY3Qx${a.id}`,
        name: a.name,
        size_in_bytes: a.zip.length,
        url: `${fake.url}${base}/${a.id}`,
        archive_download_url: `${fake.url}${base}/${a.id}/zip`,
        expired: a.expired,
        created_at: new Date(UNTIL - a.id * DAY).toISOString(),
        expires_at: new Date(UNTIL + 90 * DAY).toISOString(),
        updated_at: new Date(UNTIL - a.id * DAY).toISOString(),
      }));
    return page(request, listed, 'artifacts');
  });
  fake.server.route('GET', `${base}/{id}/zip`, (_request, params) => ({
    status: 302,
    headers: { location: `${fake.url}/blobs/${ownerRepo}/${params.id}.zip` },
  }));
  fake.server.route('GET', `/blobs/${ownerRepo}/{file}`, (_request, params) => {
    const artifact = artifacts.find((a) => `${a.id}.zip` === params.file);
    return artifact
      ? { headers: { 'content-type': 'application/zip' }, body: artifact.zip }
      : githubErrors.notFound();
  });
}

/** GitHub's paging: per_page and page, a Link header to the next page. */
function page(request: LoopbackRequest, items: unknown[], key?: string): Reply {
  const perPage = Math.min(100, Number(request.query.get('per_page') ?? 30));
  const n = Number(request.query.get('page') ?? 1);
  const slice = items.slice((n - 1) * perPage, n * perPage);
  const next = new URLSearchParams(request.query);
  next.set('page', String(n + 1));
  const headers: Record<string, string> =
    n * perPage < items.length
      ? { link: `<${fake.url}${request.path}?${next}>; rel="next"` }
      : {};
  return {
    headers,
    body: key ? { total_count: items.length, [key]: slice } : slice,
  };
}

function artifact(
  id: number,
  report: unknown,
  extra: Partial<Artifact> = {},
): Artifact {
  const zip = zipSync({
    'gitwarden-report.json': strToU8(JSON.stringify(report)),
    'gitwarden-dashboard.html': strToU8('<!doctype html>'),
  });
  return {
    id,
    name: 'gitwarden-report',
    expired: false,
    zip: Buffer.from(zip),
    ...extra,
  };
}

const zipRequests = () =>
  fake.server.requests.filter((r) => r.path.endsWith('/zip'));

describe('collecting reports from workflow artifacts', () => {
  it('pages through the artifact list and skips expired and other artifacts', async () => {
    serveArtifacts('acme/api', [
      artifact(1, weeklyReport(0, 0)),
      artifact(2, weeklyReport(1, 10)),
      artifact(3, weeklyReport(2, 0), { name: 'coverage' }),
      artifact(4, weeklyReport(3, 0), { expired: true }),
      artifact(5, weeklyReport(4, 1)),
    ]);
    const result = await collectReports({
      client,
      repositories: ['acme/api'],
      cacheDir: tempDir(),
      pageSize: 2,
    });
    expect(result.problems).toEqual([]);
    expect(result.reports.map((r) => r.artifactId)).toEqual([1, 2, 5]);
    expect(result.reports[1]!.report.sla.overall.availability).toBe(0.9);
    const pages = fake.server.requests.filter(
      (r) => r.path === '/repos/acme/api/actions/artifacts',
    );
    expect(
      pages.map((r) => [r.query.get('name'), r.query.get('page') ?? '1']),
    ).toEqual([
      ['gitwarden-report', '1'],
      ['gitwarden-report', '2'],
    ]);
  });

  it('takes only the most recent reports, asking for no more pages than needed', async () => {
    serveArtifacts(
      'acme/api',
      [1, 2, 3, 4, 5, 6].map((id) => artifact(id, weeklyReport(id, 0))),
    );
    const result = await collectReports({
      client,
      repositories: ['acme/api'],
      cacheDir: tempDir(),
      pageSize: 2,
      perRepository: 3,
    });
    expect(result.reports.map((r) => r.artifactId)).toEqual([1, 2, 3]);
    expect(
      fake.server.requests.filter((r) => r.path.endsWith('/artifacts')).length,
    ).toBe(2);
  });

  it('waits out a rate limit and carries on', async () => {
    serveArtifacts('acme/api', [artifact(1, weeklyReport(0, 0))]);
    fake.server.fail({
      path: '/repos/acme/api/actions/artifacts',
      reply: githubErrors.rateLimited(0),
    });
    const result = await collectReports({
      client,
      repositories: ['acme/api'],
      cacheDir: tempDir(),
    });
    expect(result.problems).toEqual([]);
    expect(result.reports).toHaveLength(1);
  });

  it('resumes a run cut short, downloading only what is missing', async () => {
    serveArtifacts(
      'acme/api',
      [1, 2, 3].map((id) => artifact(id, weeklyReport(id, 0))),
    );
    const cacheDir = tempDir();
    fake.server.fail({
      path: '/blobs/acme/api/2.zip',
      times: 4, // the first try and the client's 3 retries
      reply: githubErrors.serverError(502),
    });

    const first = await collectReports({
      client,
      repositories: ['acme/api'],
      cacheDir,
    });
    expect(first.downloaded).toBe(2);
    expect(first.problems).toHaveLength(1);
    expect(first.problems[0]).toMatch(/^acme\/api artifact 2: /);
    expect(existsSync(join(cacheDir, 'acme', 'api', '2.json'))).toBe(false);

    const before = zipRequests().length;
    const second = await collectReports({
      client,
      repositories: ['acme/api'],
      cacheDir,
    });
    expect(second).toMatchObject({ downloaded: 1, fromCache: 2, problems: [] });
    expect(
      zipRequests()
        .slice(before)
        .map((r) => r.path),
    ).toEqual(['/repos/acme/api/actions/artifacts/2/zip']);
  });

  it('reads every active repository of an organization, and names what it could not read', async () => {
    fake.server.route('GET', '/orgs/acme/repos', (request) =>
      page(request, [
        { id: 1, name: 'api', full_name: 'acme/api', archived: false },
        { id: 2, name: 'web', full_name: 'acme/web', archived: false },
        { id: 3, name: 'old', full_name: 'acme/old', archived: true },
        { id: 4, name: 'bad', full_name: 'acme/bad', archived: false },
      ]),
    );
    serveArtifacts('acme/api', [artifact(1, weeklyReport(0, 0))]);
    serveArtifacts('acme/web', [artifact(7, weeklyReport(1, 5))]);
    serveArtifacts('acme/bad', [artifact(9, { not: 'a report' })]);
    const result = await collectReports({
      client,
      org: 'acme',
      cacheDir: tempDir(),
      pageSize: 3,
    });
    expect(result.reports.map((r) => r.repository)).toEqual([
      'acme/api',
      'acme/web',
    ]);
    expect(result.problems).toHaveLength(1);
    expect(result.problems[0]).toMatch(
      /^acme\/bad artifact 9: acme\/bad artifact 9 is not a gitwarden report/,
    );
    expect(
      fake.server.requests.some((r) => r.path.startsWith('/repos/acme/old')),
    ).toBe(false);
  });
});

describe('gitwarden dashboard --from-artifacts', () => {
  it('writes one dashboard with a trend per repository', async () => {
    serveArtifacts('acme/api', [
      artifact(1, weeklyReport(0, 0)),
      artifact(2, weeklyReport(1, 10)),
    ]);
    serveArtifacts('acme/web', [artifact(3, weeklyReport(0, 2))]);
    const dir = tempDir();
    const out = join(dir, 'org.html');
    const args = [
      'dashboard',
      '--from-artifacts',
      '--repo',
      'acme/api',
      'acme/web',
      '--api-url',
      fake.url,
      '-o',
      out,
    ];
    const result = await runCliAsync(args, {
      cwd: dir,
      env: { GITHUB_TOKEN: fake.token },
    });
    expect(result.stderr).toContain(
      '3 report(s): 3 downloaded, 0 from .gitwarden-cache/reports',
    );
    expect(result.code).toBe(0);
    const html = readFileSync(out, 'utf8');
    expect(html).toContain('Trend across 3 reports');
    expect(html).toContain('<th scope="col">Repository</th>');
    expect(html).toMatch(/<td>acme\/api<\/td><td>90%<\/td>/);

    const again = await runCliAsync(args, {
      cwd: dir,
      env: { GITHUB_TOKEN: fake.token },
    });
    expect(again.stderr).toContain(
      '3 report(s): 0 downloaded, 3 from .gitwarden-cache/reports',
    );
  });

  it('needs a token and a repository, and says so (exit 2)', () => {
    const dir = tempDir();
    const noToken = runCli(
      ['dashboard', '--from-artifacts', '--repo', 'acme/api'],
      {
        cwd: dir,
        env: { GITHUB_TOKEN: '', GH_TOKEN: '' },
      },
    );
    expect(noToken.code).toBe(2);
    expect(noToken.stderr).toContain('no GitHub token');
    const noRepo = runCli(['dashboard', '--from-artifacts'], {
      cwd: dir,
      env: { GITHUB_TOKEN: 'x' },
    });
    expect(noRepo.code).toBe(2);
    expect(noRepo.stderr).toContain('--from-artifacts needs --repo or --org');
    const badRepo = runCli(
      ['dashboard', '--from-artifacts', '--repo', 'acme'],
      { cwd: dir, env: { GITHUB_TOKEN: 'x' } },
    );
    expect(badRepo.stderr).toContain("--repo 'acme' is not owner/name");
  });
});
