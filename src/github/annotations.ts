import type { Finding, Severity } from './checks/types.ts';

/**
 * A workflow annotation: shown on the file and line in a pull request's
 * diff when the finding has a place, on the run's summary otherwise.
 * `@actions/core` escapes and writes these (`::error file=..,line=..::`).
 */
export interface Annotation {
  level: Severity;
  message: string;
  properties: {
    title: string;
    file?: string;
    startLine?: number;
    endLine?: number;
    startColumn?: number;
  };
}

/**
 * GitHub shows at most 10 error and 10 warning annotations per step (and
 * 50 per job); the rest are dropped silently. So each level keeps its
 * first 9 and a 10th that says how many more the job summary lists.
 */
export const ANNOTATIONS_PER_LEVEL = 10;

export function annotationsFor(findings: readonly Finding[]): Annotation[] {
  const out: Annotation[] = [];
  for (const level of ['error', 'warning', 'notice'] as const) {
    const ofLevel = findings.filter((finding) => finding.severity === level);
    const shown =
      ofLevel.length > ANNOTATIONS_PER_LEVEL
        ? ofLevel.slice(0, ANNOTATIONS_PER_LEVEL - 1)
        : ofLevel;
    out.push(...shown.map(annotationFor));
    const hidden = ofLevel.length - shown.length;
    if (hidden > 0) {
      out.push({
        level,
        message: `${hidden} more ${level} findings are listed in the job summary and the JSON result.`,
        properties: { title: `gitwarden: ${hidden} more` },
      });
    }
  }
  return out;
}

function annotationFor(finding: Finding): Annotation {
  const where = finding.commit ? `${finding.commit.slice(0, 12)}: ` : '';
  const fix = finding.fix ? `\nFix: ${finding.fix}` : '';
  return {
    level: finding.severity,
    message: `${where}${finding.message}${fix}`,
    properties: {
      title: `gitwarden ${finding.check}: ${finding.rule}`,
      ...(finding.file === undefined
        ? {}
        : {
            file: finding.file,
            startLine: finding.line,
            endLine: finding.endLine,
            startColumn: finding.column,
          }),
    },
  };
}
