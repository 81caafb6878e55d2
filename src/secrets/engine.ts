import { secretLintProfiler } from '@secretlint/profiler';
import type {
  SecretLintCoreConfig,
  SecretLintCoreConfigRule,
} from '@secretlint/types';

import { isWorkflowFile } from '../../rules/config-files.ts';
import { RULE_GROUPS } from '../../rules/lib/rule.ts';
import {
  keywordGroups,
  pathRules,
  ruleTitle,
  secretlintConfig,
  type RuleSettings,
} from '../../rules/index.ts';
import {
  isFormatRule,
  placeReports,
  resolveOverlaps,
  type Candidate,
} from './candidates.ts';
import { lintChunk } from './lint.ts';
import { fingerprintOf, maskSecret } from './mask.ts';
import {
  chunksFor,
  findHits,
  keywordPattern,
  type Chunk,
  type KeywordSearch,
} from './prefilter.ts';
import type { Finding, ScanUnit } from './types.ts';

// secretlint's profiler is on by default and records a performance mark
// per rule per file into a buffer that is never emptied: it costs more
// than the scan and grows without bound on a history.
secretLintProfiler.setEnabled(false);

export interface EngineOptions {
  rules?: RuleSettings;
  /**
   * More secretlint rules, for library users with rules of their own. They
   * run in every rule group, on the lines the pre-filter selects, and only
   * in this thread: functions do not cross to scanning threads, so a scan
   * with them never starts any.
   */
  extraRules?: SecretLintCoreConfigRule[];
  /** Honour `gitwarden:allow` comments. */
  inlineAllow?: boolean;
  /** Only show rules the lines around their keywords (default on). */
  prefilter?: boolean;
}

export interface UnitOutcome {
  findings: Finding[];
  inlineAccepted: number;
  /** Set when a rule threw: the unit was not fully scanned. */
  error?: string;
}

export const ALLOW_COMMENT = 'gitwarden:allow';

/**
 * Scans decoded text with secretlint and gitwarden's rules. One engine is
 * built per process (or worker) and reused: the configuration and the
 * keyword search are compiled once.
 */
export class SecretEngine {
  /** One secretlint configuration per rule group, in RULE_GROUPS order. */
  private readonly configs: SecretLintCoreConfig[];
  private readonly keywords: KeywordSearch | undefined;
  private readonly disabled: Set<string>;
  private readonly inlineAllow: boolean;

  constructor(options: EngineOptions = {}) {
    this.configs = RULE_GROUPS.map((group) => {
      const config = secretlintConfig(
        { ...options.rules, secretlintComments: options.inlineAllow !== false },
        group,
      );
      return {
        ...config,
        rules: [...config.rules, ...(options.extraRules ?? [])],
      };
    });
    this.keywords =
      options.prefilter === false ? undefined : keywordPattern(keywordGroups());
    this.disabled = new Set(options.rules?.disabled ?? []);
    this.inlineAllow = options.inlineAllow !== false;
  }

  async scanUnit(unit: ScanUnit): Promise<UnitOutcome> {
    return (await this.scanUnits([unit]))[0]!;
  }

  /**
   * Scans several units with as few secretlint runs as possible: the
   * selected lines of many files share one run (a run costs more to set
   * up than a few lines cost to scan), separated by a NUL line that no
   * rule reads across.
   */
  async scanUnits(units: readonly ScanUnit[]): Promise<UnitOutcome[]> {
    const candidates = units.map((unit) => this.pathFindings(unit));
    const errors: (string | undefined)[] = units.map(() => undefined);
    const batches = new Map<
      string,
      { text: string[]; origins: Chunk['origins']; size: number }
    >();

    const run = async (
      group: number,
      chunk: Chunk,
      path: string,
      members: number[],
    ) => {
      try {
        const reports = await lintChunk(chunk, path, this.configs[group]!);
        for (const candidate of placeReports(chunk, reports)) {
          candidates[candidate.unit]!.push(candidate);
        }
      } catch (error) {
        for (const member of members) errors[member] = describeFailure(error);
      }
    };
    const flush = async (key: string) => {
      const batch = batches.get(key);
      if (!batch) return;
      batches.delete(key);
      const members = [
        ...new Set(batch.origins.flatMap((o) => (o ? [o.unit!] : []))),
      ];
      const [group, pathKind] = key.split(':') as [string, string];
      await run(
        Number(group),
        { text: batch.text.join('\n'), origins: batch.origins },
        BATCH_PATHS[pathKind]!,
        members,
      );
    };

    for (const [index, unit] of units.entries()) {
      const hits = this.keywords && findHits(unit.text, this.keywords);
      for (const [group] of RULE_GROUPS.entries()) {
        const bit = 1 << group;
        const chunks = chunksFor(
          unit.text,
          hits?.filter((hit) => hit.groups & bit),
          unit.lineNumbers,
        );
        const key = `${group}:${pathClass(unit.path)}`;
        for (const chunk of chunks) {
          const origins = chunk.origins.map((o) => o && { ...o, unit: index });
          // A secretlint-disable block runs to the end of its text: keep it
          // from reaching into another file's lines.
          if (chunk.text.includes('secretlint-disable')) {
            await run(group, { text: chunk.text, origins }, unit.path, [index]);
            continue;
          }
          let batch = batches.get(key);
          if (batch && batch.size + chunk.text.length > BATCH_TEXT) {
            await flush(key);
            batch = undefined;
          }
          if (!batch) {
            batch = { text: [], origins: [], size: 0 };
            batches.set(key, batch);
          } else {
            batch.text.push(UNIT_SEPARATOR);
            batch.origins.push(undefined);
          }
          batch.text.push(chunk.text);
          batch.origins.push(...origins);
          batch.size += chunk.text.length + 3;
        }
      }
    }
    for (const key of [...batches.keys()]) await flush(key);

    return units.map((unit, index) => {
      const error = errors[index];
      if (error) return { findings: [], inlineAccepted: 0, error };
      return this.toFindings(unit, resolveOverlaps(candidates[index]!));
    });
  }

  private pathFindings(unit: ScanUnit): Candidate[] {
    return pathRules
      .filter((rule) => !this.disabled.has(rule.creator.meta.id))
      .filter((rule) => rule.pathRule?.(unit.path))
      .map((rule) => ({
        unit: 0,
        ruleId: rule.creator.meta.id,
        messageId: Object.keys(rule.titles)[0]!,
        severity: 'error' as const,
        line: 0,
        column: 0,
        endLine: 0,
        endColumn: 0,
        secret: '',
      }));
  }

  private toFindings(unit: ScanUnit, candidates: Candidate[]): UnitOutcome {
    const lines = candidates.length ? unit.text.split('\n') : [];
    const numberOf = (line: number) => unit.lineNumbers?.[line] ?? line + 1;
    const findings: Finding[] = [];
    let inlineAccepted = 0;
    for (const candidate of candidates) {
      if (this.inlineAllow && lines[candidate.line]?.includes(ALLOW_COMMENT)) {
        inlineAccepted++;
        continue;
      }
      const rule = shortRuleId(candidate.ruleId);
      findings.push({
        rule,
        messageId: candidate.messageId,
        title: ruleTitle(candidate.ruleId, candidate.messageId),
        severity: candidate.severity,
        path: unit.path,
        commit: unit.commit,
        line: numberOf(candidate.line),
        column: candidate.column + 1,
        endLine: numberOf(candidate.endLine),
        endColumn: candidate.endColumn + 1,
        masked: candidate.secret
          ? maskSecret(candidate.secret, isFormatRule(candidate.ruleId))
          : '(the file itself)',
        fingerprint: fingerprintOf(rule, unit.path, candidate.secret),
      });
    }
    return { findings, inlineAccepted };
  }
}

/**
 * Text per secretlint run when many files share one. Larger runs cost less
 * set-up per byte; secretlint's duplicate filter is quadratic in the
 * number of reports, which this also bounds.
 */
const BATCH_TEXT = 64 * 1024;

/** Between files in one secretlint run: a line no rule matches across. */
const UNIT_SEPARATOR = '\0';

/**
 * Some rules look at the file name (npm's rule reads .npmrc and
 * package.json differently, the workflow rule only reads workflows), so
 * files share a run only with files of the same kind, under a name of
 * that kind.
 */
const BATCH_PATHS: Record<string, string> = {
  package: 'package.json',
  npmrc: '.npmrc',
  workflow: '.github/workflows/batch.yml',
  other: 'batch.txt',
};

function pathClass(path: string): string {
  const name = path.split('/').pop() ?? '';
  if (name === 'package.json' || name === 'package-lock.json') return 'package';
  if (name === '.npmrc') return 'npmrc';
  if (isWorkflowFile(path)) return 'workflow';
  return 'other';
}

/** "@secretlint/secretlint-rule-aws" → "secretlint/aws". */
export function shortRuleId(ruleId: string): string {
  return ruleId.replace(/^@secretlint\/secretlint-rule-/, 'secretlint/');
}

/**
 * A rule that throws must not leak the text it was reading through its
 * error message: keep the error's kind and the first words only.
 */
function describeFailure(error: unknown): string {
  const name = (error as Error)?.name ?? 'Error';
  const message = String((error as Error)?.message ?? error)
    .split('\n', 1)[0]!
    .slice(0, 120);
  return `a secret rule failed (${name}: ${message})`;
}
