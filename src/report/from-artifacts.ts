// `gitwarden dashboard --from-artifacts`: collects the report JSON of
// recent workflow runs from GitHub, for one repository or every
// repository of an organization. Lists are paginated and the client
// throttles and retries; each report is kept in a cache folder as it
// arrives, so a run cut short (a rate limit, a network failure) resumes
// where it stopped instead of downloading everything again.

import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { unzipSync } from 'fflate';

import type { GitHubClient } from '../github/client.ts';
import { githubCall } from '../github/errors.ts';
import { REPORT_FILES } from './files.ts';
import { DEFAULT_ARTIFACT_NAME } from './publish.ts';
import { parseReport } from './read-report.ts';
import type { Report } from './types.ts';

export interface FromArtifactsOptions {
  client: GitHubClient;
  /** `owner/name` of each repository to read. */
  repositories?: string[];
  /** An organization: every repository of it that is not archived. */
  org?: string;
  artifactName?: string;
  /** The most recent artifacts to take per repository (default 30). */
  perRepository?: number;
  /** Where downloaded reports are kept, one file per artifact. */
  cacheDir: string;
  /** Items per page asked of GitHub (at most 100). */
  pageSize?: number;
}

export interface CollectedReport {
  repository: string;
  artifactId: number;
  report: Report;
}

export interface FromArtifactsResult {
  reports: CollectedReport[];
  downloaded: number;
  fromCache: number;
  /** Artifacts or repositories that could not be read, and why. */
  problems: string[];
}

interface ArtifactListing {
  id: number;
  name: string;
  expired: boolean;
  created_at: string | null;
}

export async function collectReports(
  options: FromArtifactsOptions,
): Promise<FromArtifactsResult> {
  const result: FromArtifactsResult = {
    reports: [],
    downloaded: 0,
    fromCache: 0,
    problems: [],
  };
  const repositories = [...(options.repositories ?? [])];
  if (options.org) repositories.push(...(await orgRepositories(options)));

  for (const repository of repositories) {
    let artifacts: ArtifactListing[];
    try {
      artifacts = await recentArtifacts(options, repository);
    } catch (error) {
      result.problems.push(`${repository}: ${(error as Error).message}`);
      continue;
    }
    for (const artifact of artifacts) {
      try {
        await collectOne(options, repository, artifact, result);
      } catch (error) {
        result.problems.push(
          `${repository} artifact ${artifact.id}: ${(error as Error).message}`,
        );
      }
    }
  }
  return result;
}

async function orgRepositories(
  options: FromArtifactsOptions,
): Promise<string[]> {
  const org = options.org!;
  const repos = await githubCall(`list the repositories of ${org}`, () =>
    options.client.paginate('GET /orgs/{org}/repos', {
      org,
      per_page: options.pageSize ?? 100,
    }),
  );
  return repos.filter((r) => !r.archived).map((r) => r.full_name);
}

/** The newest unexpired artifacts of the report's name, newest first. */
async function recentArtifacts(
  options: FromArtifactsOptions,
  repository: string,
): Promise<ArtifactListing[]> {
  const [owner, repo] = splitRepository(repository);
  const name = options.artifactName ?? DEFAULT_ARTIFACT_NAME;
  const wanted = options.perRepository ?? 30;
  const found: ArtifactListing[] = [];
  await githubCall(`list the ${name} artifacts of ${repository}`, async () => {
    const pages = options.client.paginate.iterator(
      'GET /repos/{owner}/{repo}/actions/artifacts',
      { owner, repo, name, per_page: options.pageSize ?? 100 },
    );
    // Stop asking for pages once enough artifacts are in hand.
    for await (const page of pages) {
      for (const artifact of page.data) {
        if (artifact.name === name && !artifact.expired) found.push(artifact);
      }
      if (found.length >= wanted) break;
    }
  });
  return found.slice(0, wanted);
}

async function collectOne(
  options: FromArtifactsOptions,
  repository: string,
  artifact: ArtifactListing,
  result: FromArtifactsResult,
): Promise<void> {
  const cached = join(
    options.cacheDir,
    ...repository.split('/'),
    `${artifact.id}.json`,
  );
  if (existsSync(cached)) {
    const report = await parseReport(await readFile(cached, 'utf8'), cached);
    result.reports.push({ repository, artifactId: artifact.id, report });
    result.fromCache += 1;
    return;
  }
  const [owner, repo] = splitRepository(repository);
  const response = await githubCall(
    `download artifact ${artifact.id} of ${repository}`,
    () =>
      options.client.request(
        'GET /repos/{owner}/{repo}/actions/artifacts/{artifact_id}/{archive_format}',
        { owner, repo, artifact_id: artifact.id, archive_format: 'zip' },
      ),
  );
  const text = reportFromZip(new Uint8Array(response.data as ArrayBuffer));
  const report = await parseReport(
    text,
    `${repository} artifact ${artifact.id}`,
  );
  // Written whole, then renamed: a run cut short leaves no half file
  // that a resumed run would take for a report.
  await mkdir(join(options.cacheDir, ...repository.split('/')), {
    recursive: true,
  });
  await writeFile(`${cached}.partial`, text);
  await rename(`${cached}.partial`, cached);
  result.reports.push({ repository, artifactId: artifact.id, report });
  result.downloaded += 1;
}

function reportFromZip(zip: Uint8Array): string {
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(zip, {
      filter: (file) => file.name.endsWith(REPORT_FILES.json),
    });
  } catch (error) {
    throw new Error(
      `the artifact is not a readable zip (${(error as Error).message})`,
      { cause: error },
    );
  }
  const entry = Object.values(files)[0];
  if (!entry) throw new Error(`the artifact holds no ${REPORT_FILES.json}`);
  return Buffer.from(entry).toString('utf8');
}

function splitRepository(repository: string): [string, string] {
  const parts = repository.split('/');
  if (parts.length !== 2 || !parts[0] || !parts[1]) {
    throw new Error(`'${repository}' is not owner/name`);
  }
  return [parts[0], parts[1]];
}
