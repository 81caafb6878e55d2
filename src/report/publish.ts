// What the `report` GitHub Action does with a report: write it in every
// format, upload the JSON and the dashboard as a workflow artifact through
// @actions/artifact, and put the Markdown in the job summary, shortened
// to fit with a pointer to the artifact. The artifact client and the
// summary writer are injected: the action passes the real ones, tests a
// recorder (the artifact service cannot run outside GitHub).

import type { ArtifactClient, UploadArtifactResponse } from '@actions/artifact';

import { GitwardenError } from '../errors.ts';
import { writeReportFiles, type ReportFiles } from './files.ts';
import { jobSummary, JOB_SUMMARY_LIMIT } from './summary.ts';
import type { Report } from './types.ts';

export type ArtifactUploader = Pick<ArtifactClient, 'uploadArtifact'>;

export const DEFAULT_ARTIFACT_NAME = 'gitwarden-report';

export interface PublishOptions {
  report: Report;
  /** A folder for the files, e.g. under RUNNER_TEMP. */
  dir: string;
  artifactName?: string;
  /** Days GitHub keeps the artifact: 1 to 400; default: the repository's. */
  retentionDays?: number;
  /** Default: @actions/artifact's own client. */
  client?: ArtifactUploader;
  /** Appends Markdown to the job summary (core.summary in the action). */
  writeSummary: (markdown: string) => Promise<void>;
  /** Summary bytes still free in this step; default 1 MiB. */
  summaryBytesLeft?: number;
  /** The workflow run's URL, to link the artifact from the summary. */
  runUrl?: string;
}

export interface PublishResult {
  files: ReportFiles;
  artifact: { name: string; id: number | undefined; size: number | undefined };
  summary: { bytes: number; shortened: boolean };
}

export async function publishReport(
  options: PublishOptions,
): Promise<PublishResult> {
  const name = options.artifactName ?? DEFAULT_ARTIFACT_NAME;
  const retentionDays = checkRetention(options.retentionDays);
  const files = await writeReportFiles(options.report, options.dir);
  const client = options.client ?? (await defaultClient());

  let uploaded: UploadArtifactResponse | undefined;
  let failure: unknown;
  try {
    uploaded = await client.uploadArtifact(
      name,
      [files.json, files.html],
      options.dir,
      {
        ...(retentionDays === undefined ? {} : { retentionDays }),
      },
    );
  } catch (error) {
    failure = error;
  }

  // The summary is written whatever became of the upload: it is the part
  // a reader sees first, and it says where the full report is (or is not).
  const link =
    options.runUrl && uploaded?.id !== undefined
      ? ` (${options.runUrl}/artifacts/${uploaded.id})`
      : '';
  const fullReport = failure
    ? `the files ${files.json} and ${files.html} on the runner; uploading the artifact "${name}" failed: ${(failure as Error).message ?? String(failure)}`
    : `the workflow artifact "${name}"${link}: ${basename(files.json)} and ${basename(files.html)}`;
  const summary = jobSummary(options.report, {
    limitBytes: options.summaryBytesLeft ?? JOB_SUMMARY_LIMIT,
    fullReport,
  });
  await options.writeSummary(summary.markdown);
  if (failure) throw failure;

  return {
    files,
    artifact: { name, id: uploaded?.id, size: uploaded?.size },
    summary: {
      bytes: Buffer.byteLength(summary.markdown),
      shortened: summary.shortened,
    },
  };
}

function checkRetention(days: number | undefined): number | undefined {
  if (days === undefined) return undefined;
  // GitHub keeps artifacts at most 90 days on public repositories and 400
  // on private ones; the ledger, not the artifact, is the long-term record.
  if (!Number.isInteger(days) || days < 1 || days > 400) {
    throw new GitwardenError(
      'USAGE',
      `retention must be a whole number of days from 1 to 400, not ${days}`,
    );
  }
  return days;
}

async function defaultClient(): Promise<ArtifactUploader> {
  const { DefaultArtifactClient } = await import('@actions/artifact');
  return new DefaultArtifactClient();
}

function basename(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}
