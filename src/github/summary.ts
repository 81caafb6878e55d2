import type { Finding } from './checks/types.ts';
import type { CommitRow, Verdict, VerifyResult } from './verify.ts';

export interface SummaryOptions {
  /** Links a commit sha to its page, e.g. https://github.com/o/r/commit/SHA. */
  commitUrl?: (sha: string) => string;
  /** Rows beyond this are counted, not listed (summaries are capped at 1 MiB). */
  maxRows?: number;
}

const HEADLINE: Record<Verdict, string> = {
  pass: '✅ passed',
  refused: '❌ refused',
  incomplete: '⚠️ could not judge everything',
  nothing: '➖ nothing to judge',
};

const COMMIT_MARK: Record<CommitRow['verdict'], string> = {
  pass: '✅ pass',
  refused: '❌ refused',
  exempt: '➖ exempt',
};

/** The job summary: the verdict, a table of commits, then the findings. */
export function verifySummary(
  result: VerifyResult,
  options: SummaryOptions = {},
): string {
  const maxRows = options.maxRows ?? 200;
  const lines: string[] = [
    `## gitwarden verify: ${HEADLINE[result.verdict]}`,
    '',
    `**${cell(result.description)}** · ${code(result.range)}  `,
    `Policy: ${cell(result.policy)} · ${result.actor.role.replaceAll('-', ' ')}: ${cell(result.actor.login)} · ${counts(result)}`,
    '',
  ];

  if (result.commits.length > 0) {
    const names = result.checks.map((check) => check.name);
    lines.push(
      `| Commit | Subject | Author | Verdict | ${names.join(' | ')} |`,
      `|---|---|---|---|${names.map(() => '---|').join('')}`,
    );
    for (const row of result.commits.slice(0, maxRows)) {
      const sha = `\`${row.sha.slice(0, 12)}\``;
      const link = options.commitUrl
        ? `[${sha}](${options.commitUrl(row.sha)})`
        : sha;
      const perCheck = names.map((name) => row.checks[name] ?? '—');
      lines.push(
        `| ${link} | ${cell(row.subject)} | ${cell(row.author)} | ${COMMIT_MARK[row.verdict]} | ${perCheck.join(' | ')} |`,
      );
    }
    const more = result.commits.length - maxRows;
    if (more > 0)
      lines.push('', `…and ${more} more commits (see the JSON result).`);
    lines.push('');
  }

  if (result.findings.length > 0) {
    lines.push(
      '### Findings',
      '',
      '| Check | Where | Finding | Fix |',
      '|---|---|---|---|',
    );
    for (const finding of result.findings.slice(0, maxRows)) {
      lines.push(
        `| ${finding.check} | ${where(finding)} | ${cell(finding.message)} | ${finding.fix ? code(finding.fix) : ''} |`,
      );
    }
    const more = result.findings.length - maxRows;
    if (more > 0)
      lines.push('', `…and ${more} more findings (see the JSON result).`);
    lines.push('');
  }

  const notes = [
    ...result.notes,
    ...result.checks
      .filter((check) => check.status !== 'ran')
      // A check that explains itself in a note is not listed twice.
      .filter((c) => !result.notes.some((n) => n.startsWith(`${c.name}: `)))
      .map((check) => `${check.name}: ${check.status.replace('-', ' ')}`),
  ];
  if (notes.length > 0) {
    lines.push('### Notes', '', ...notes.map((note) => `- ${cell(note)}`), '');
  }
  return lines.join('\n');
}

function counts(result: VerifyResult): string {
  const { commits, refused, exempt, errors, warnings } = result.counts;
  return (
    `${commits} commit${commits === 1 ? '' : 's'}, ${refused} refused, ` +
    `${exempt} exempt, ${errors} error${errors === 1 ? '' : 's'}, ` +
    `${warnings} warning${warnings === 1 ? '' : 's'}`
  );
}

function where(finding: Finding): string {
  const parts: string[] = [];
  if (finding.file) {
    parts.push(
      code(`${finding.file}${finding.line ? `:${finding.line}` : ''}`),
    );
  }
  if (finding.commit) parts.push(code(finding.commit.slice(0, 12)));
  return parts.join(' in ') || 'the run';
}

/**
 * Text from commits (subjects, names, messages) is written by whoever
 * pushed: keep it inside its table cell and out of the page's HTML.
 */
export function cell(text: string): string {
  return text
    .replace(/[\r\n]+/g, ' ')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\|/g, '\\|')
    .replace(/`/g, "'");
}

/**
 * A code span in a table cell: markdown shows its text as written (no
 * HTML), but a pipe still ends the cell and a backtick would end the span.
 */
export function code(text: string): string {
  return `\`${text
    .replace(/[\r\n]+/g, ' ')
    .replace(/\|/g, '\\|')
    .replace(/`/g, "'")}\``;
}
