import type { SecretsPolicyDocument } from '../secrets/policy.ts';
import type { ProvidersSection, RotationSection } from './providers.ts';
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
  logins?: string[];
  signingKeys?: string[];
}

/** One rule of the roles and access sections (see README "Roles"). */
export interface AccessRuleDocument {
  actions: string[];
  refs?: string[];
  paths?: string[];
  commands?: string[];
  description?: string;
  /** Deny rules in `access.deny` only: roles the rule does not bind. */
  except?: string[];
}

export interface RoleDocument {
  description?: string;
  extends?: string[];
  grants?: AccessRuleDocument[];
  deny?: AccessRuleDocument[];
  requireSigned?: boolean;
}

export interface AccessDocument {
  deny?: AccessRuleDocument[];
  protected?: { paths?: string[]; roles?: string[]; builtin?: boolean };
  override?: { roles?: string[]; enabled?: boolean };
  caseInsensitivePaths?: boolean;
}

export type ExtendsDocument =
  { path: string } | { repo: string; ref: string; path?: string };

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
  extends?: ExtendsDocument;
  roles?: Record<string, RoleDocument>;
  access?: AccessDocument;
  commands?: Record<string, { description?: string; roles?: string[] }>;
  secrets?: SecretsPolicyDocument;
  providers?: ProvidersSection;
  rotation?: RotationSection;
  ledger?: LedgerSection;
  sla?: {
    target?: number;
    window?: string;
    minEvents?: number;
    agents?: Record<string, { target?: number }>;
    burnRate?: {
      long: string;
      short: string;
      factor: number;
      severity?: 'page' | 'ticket';
    }[];
  };
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
