import { uriOf } from '../secrets/sarif.ts';
import type { Finding } from './checks/types.ts';

/**
 * SARIF 2.1.0 for GitHub code scanning (github/codeql-action/upload-sarif).
 * Code scanning places every result on a line of a file, so only findings
 * with both become results; findings about a commit as a whole (a missing
 * trailer) or a path (a role refusal) live in annotations and the job
 * summary instead.
 */
export interface SarifOptions {
  version: string;
  /** The commit the results describe (the pull request's head). */
  revision?: string;
  repositoryUri?: string;
}

const LEVEL = { error: 'error', warning: 'warning', notice: 'note' } as const;

export function toSarif(findings: readonly Finding[], options: SarifOptions) {
  // A line, not only a file: a role refusal names a path, not a place in it.
  const placed = findings.filter(
    (finding) => finding.file !== undefined && finding.line !== undefined,
  );
  const ruleIds = [...new Set(placed.map((f) => `${f.check}/${f.rule}`))];
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'gitwarden',
            version: options.version,
            rules: ruleIds.map((id) => ({
              id,
              shortDescription: { text: id },
            })),
          },
        },
        ...(options.revision && options.repositoryUri
          ? {
              versionControlProvenance: [
                {
                  repositoryUri: options.repositoryUri,
                  revisionId: options.revision,
                },
              ],
            }
          : {}),
        results: placed.map((finding) => ({
          ruleId: `${finding.check}/${finding.rule}`,
          ruleIndex: ruleIds.indexOf(`${finding.check}/${finding.rule}`),
          level: LEVEL[finding.severity],
          message: {
            text: finding.fix
              ? `${finding.message} Fix: ${finding.fix}`
              : finding.message,
          },
          ...(finding.fingerprint
            ? // The key `gitwarden scan` uses: alerts from both match.
              {
                partialFingerprints: {
                  'gitwarden/secret/v1': finding.fingerprint,
                },
              }
            : {}),
          locations: [
            {
              physicalLocation: {
                artifactLocation: {
                  uri: uriOf(finding.file!),
                  uriBaseId: '%SRCROOT%',
                },
                region: {
                  startLine: finding.line,
                  ...(finding.endLine ? { endLine: finding.endLine } : {}),
                  ...(finding.column ? { startColumn: finding.column } : {}),
                },
              },
            },
          ],
        })),
      },
    ],
  };
}
