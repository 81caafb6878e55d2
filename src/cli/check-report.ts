import pc from 'picocolors';

import type { CheckResult } from '../trailers/check.ts';
import type { CommitVerdict } from '../trailers/rule.ts';

const SUBJECT_WIDTH = 50;

/** The readable report: one line per commit, details under failures. */
export function renderCheck(result: CheckResult, colour: boolean): string {
  const c = pc.createColors(colour);
  const lines = [
    c.bold(`gitwarden check: ${result.target.description}`) +
      c.dim(` (policy: ${result.policy})`),
    '',
  ];

  for (const commit of result.commits) {
    const sha = commit.sha ? commit.sha.slice(0, 7) : 'message';
    const subject = fit(commit.subject || '(no subject)', SUBJECT_WIDTH);
    if (commit.status === 'exempt') {
      const why = commit.exempt === 'merge' ? 'merge commit' : 'exempt author';
      lines.push(`${c.dim('- exempt')}  ${sha}  ${subject}  ${c.dim(why)}`);
    } else if (commit.status === 'pass') {
      lines.push(
        `${c.green('✓ pass  ')}  ${sha}  ${subject}  ${c.dim(trailerSummary(commit))}`,
      );
    } else {
      lines.push(`${c.red('✗ FAIL  ')}  ${c.bold(sha)}  ${subject}`);
      for (const violation of commit.violations) {
        lines.push(`            ${violation.message}`);
      }
      const fix = commit.violations[0]?.fix;
      if (fix) lines.push(`            ${c.cyan('fix:')} ${fix}`);
    }
    for (const note of commit.notes) {
      lines.push(`            ${c.yellow('note:')} ${note}`);
    }
  }

  if (result.commits.length) lines.push('');
  for (const note of result.notes) lines.push(`${c.yellow('note:')} ${note}`);
  if (result.binding === 'not-configured' && result.commits.length) {
    lines.push(
      c.dim('agent binding: not configured (the policy names no identities)'),
    );
  }
  lines.push(summaryLine(result, c));
  return lines.map((line) => line.trimEnd()).join('\n');
}

function summaryLine(
  result: CheckResult,
  c: ReturnType<typeof pc.createColors>,
): string {
  const { commits, passed, failed, exempt } = result.summary;
  if (commits === 0) return c.bold('no commits judged');
  const noun = commits === 1 ? 'commit' : 'commits';
  const counts = `${commits} ${noun}: ${passed} passed, ${failed} failed, ${exempt} exempt`;
  return failed ? c.red(c.bold(counts)) : c.green(c.bold(counts));
}

function trailerSummary(commit: CommitVerdict): string {
  return commit.trailers
    .map((trailer) => `${trailer.key}: ${cut(trailer.value, 30)}`)
    .join(' · ');
}

/** Pads or cuts to a width, so columns line up. */
function fit(text: string, width: number): string {
  return cut(text, width).padEnd(width);
}

/** One line of at most `width` characters, control characters blanked. */
function cut(text: string, width: number): string {
  // eslint-disable-next-line no-control-regex
  const line = text.replace(/[\u0000-\u001f\u007f]/g, ' ');
  return line.length > width ? `${line.slice(0, width - 1)}…` : line;
}

/**
 * The documented `--json` shape (README, "Checking commits"); version 1.
 * Built field by field so internal changes cannot leak into it.
 */
export function checkJson(result: CheckResult) {
  return {
    version: 1,
    ok: result.ok,
    target: result.target,
    policy: result.policy,
    binding: result.binding,
    summary: result.summary,
    notes: result.notes,
    commits: result.commits.map((commit) => ({
      sha: commit.sha ?? null,
      subject: commit.subject,
      status: commit.status,
      exempt: commit.exempt ?? null,
      identity: commit.identity,
      trailers: commit.trailers.map(({ key, value }) => ({ key, value })),
      binding: commit.binding,
      violations: commit.violations.map((violation) => ({
        trailer: violation.trailer,
        problem: violation.problem,
        found: violation.found,
        message: violation.message,
        fix: violation.fix,
      })),
      notes: commit.notes,
    })),
  };
}
