import { extname } from 'node:path';

import { lintSource } from '@secretlint/core';
import type { SecretLintCoreConfig } from '@secretlint/types';

import { PROVIDER_RULE_ID, providerOf } from '../../rules/catalog.ts';
import type { Chunk } from './prefilter.ts';

/**
 * What secretlint reported, reduced to rule, place and severity. Its raw
 * results carry the scanned text and messages that quote the secret (even
 * with its masking option on); none of that leaves this function.
 */
export interface RawReport {
  ruleId: string;
  messageId: string;
  severity: 'error' | 'warning' | 'info';
  /** Offsets in the chunk's text. */
  start: number;
  end: number;
  /** 1-based chunk lines, 0-based columns (as secretlint gives them). */
  startLine: number;
  startColumn: number;
  endLine: number;
  endColumn: number;
}

export async function lintChunk(
  chunk: Chunk,
  path: string,
  config: SecretLintCoreConfig,
): Promise<RawReport[]> {
  const result = await lintSource({
    source: {
      content: chunk.text,
      filePath: path,
      // secretlint's GCP rule re-reads ".p12" files from disk by path; the
      // text here is what git or a pipe gave us, so never let it.
      ext:
        extname(path).toLowerCase() === '.p12' ? '' : extname(path) || '.txt',
      contentType: 'text',
    },
    options: { config, noPhysicFilePath: true, locale: 'en' },
  });
  return result.messages.map((message) => ({
    ruleId:
      message.ruleId === PROVIDER_RULE_ID
        ? (providerOf(message.message) ?? message.ruleId)
        : message.ruleId,
    messageId: message.messageId,
    severity: message.severity,
    start: message.range[0],
    end: message.range[1],
    startLine: message.loc.start.line,
    startColumn: message.loc.start.column,
    endLine: message.loc.end.line,
    endColumn: message.loc.end.column,
  }));
}
