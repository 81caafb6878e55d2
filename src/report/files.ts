// Writes a report in every format into one folder: what the demo, the
// `report` action and `gitwarden report --out-dir` leave behind.

import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { renderDashboard } from './dashboard.ts';
import { renderMarkdown } from './markdown.ts';
import type { Report } from './types.ts';

export const REPORT_FILES = {
  json: 'gitwarden-report.json',
  markdown: 'gitwarden-report.md',
  html: 'gitwarden-dashboard.html',
} as const;

export type ReportFiles = Record<keyof typeof REPORT_FILES, string>;

export async function writeReportFiles(
  report: Report,
  dir: string,
): Promise<ReportFiles> {
  await mkdir(dir, { recursive: true });
  const files: ReportFiles = {
    json: join(dir, REPORT_FILES.json),
    markdown: join(dir, REPORT_FILES.markdown),
    html: join(dir, REPORT_FILES.html),
  };
  await writeFile(files.json, `${JSON.stringify(report, null, 2)}\n`);
  await writeFile(files.markdown, renderMarkdown(report));
  await writeFile(files.html, await renderDashboard(report));
  return files;
}
