import type { LedgerSection } from '../ledger/config.ts';

// The policy as gitwarden uses it, after defaults are applied. The file on
// disk follows schemas/policy.schema.json; every optional field there has
// a value here.

export interface RequiredTrailer {
  key: string;
  /** Compiled value pattern; undefined accepts any non-empty value. */
  pattern: RegExp | undefined;
  description: string | undefined;
}

export interface TrailerPolicy {
  enabled: boolean;
  required: RequiredTrailer[];
  agentKey: string;
  separators: string;
  identity: 'author' | 'committer';
  exemptMerges: boolean;
  exemptAuthors: string[];
}

export interface AgentEntry {
  description?: string;
  owner?: string;
}

export interface IdentityEntry {
  emails?: string[];
  github?: string;
  roles?: string[];
  agents?: string[];
}

/** The policy file's parsed contents, as validated by the schema. */
export interface PolicyDocument {
  $schema?: string;
  version?: 1;
  trailers?: {
    enabled?: boolean;
    required?: { key: string; pattern?: string; description?: string }[];
    agentKey?: string;
    separators?: string;
    identity?: 'author' | 'committer';
    exempt?: { merges?: boolean; authors?: string[] };
  };
  agents?: Record<string, AgentEntry>;
  identities?: Record<string, IdentityEntry>;
  roles?: Record<string, unknown>;
  secrets?: Record<string, unknown>;
  ledger?: LedgerSection;
  sla?: Record<string, unknown>;
}

/** Where a policy came from, for messages and for the audit trail. */
export type PolicySource =
  | { kind: 'default' }
  | { kind: 'file'; path: string }
  | { kind: 'revision'; revision: string; path: string };

export interface Policy {
  source: PolicySource;
  document: PolicyDocument;
  trailers: TrailerPolicy;
  agents: Record<string, AgentEntry>;
  identities: Record<string, IdentityEntry>;
  warnings: string[];
}
