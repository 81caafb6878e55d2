import type { RuleGroup } from './lib/rule.ts';

// What gitwarden needs to know about each rule of secretlint's recommended
// preset: the strings every match contains (read from the rules' patterns,
// so the pre-filter shows each rule every line it could report) and a
// title and its group (rules/lib/rule.ts). test/secrets-rules.test.ts fails when the preset gains a rule this
// table does not cover, instead of that rule silently never running.

export interface PresetRuleInfo {
  keywords: string[];
  title: string;
  group: RuleGroup;
}

export const PRESET_ID = '@secretlint/secretlint-rule-preset-recommend';

const rule = (title: string, ...keywords: string[]) => ({
  title,
  keywords,
  group: 'tokens' as RuleGroup,
});
const named = (info: PresetRuleInfo): PresetRuleInfo => ({
  ...info,
  group: 'names',
});
const url = (info: PresetRuleInfo): PresetRuleInfo => ({
  ...info,
  group: 'urls',
});

export const presetRules: Record<string, PresetRuleInfo> = {
  '@secretlint/secretlint-rule-aws': named(
    rule(
      'AWS credential',
      ...[
        'akia',
        'asia',
        'agpa',
        'aida',
        'aroa',
        'aipa',
        'anpa',
        'anva',
        'a3t',
      ],
      'secret',
    ),
  ),
  '@secretlint/secretlint-rule-gcp': rule(
    'GCP service account key',
    'private_key',
  ),
  '@secretlint/secretlint-rule-privatekey': rule('private key', 'private key'),
  '@secretlint/secretlint-rule-npm': rule(
    'npm token',
    'x-oauth-basic',
    '_authtoken',
    'npm_',
  ),
  '@secretlint/secretlint-rule-basicauth': url(
    rule('credentials in a URL', '://'),
  ),
  '@secretlint/secretlint-rule-slack': rule(
    'Slack token or webhook',
    'xox',
    'xapp',
    'hooks.slack.com',
  ),
  '@secretlint/secretlint-rule-sendgrid': rule('SendGrid API key', 'sg.'),
  '@secretlint/secretlint-rule-shopify': rule('Shopify token', 'shp'),
  '@secretlint/secretlint-rule-stripe': rule(
    'Stripe secret or restricted key',
    'sk_live',
    'sk_test',
    'rk_live',
    'rk_test',
  ),
  '@secretlint/secretlint-rule-github': rule(
    'GitHub token',
    'ghp_',
    'gho_',
    'ghu_',
    'ghs_',
    'ghr_',
    'github_pat_',
  ),
  '@secretlint/secretlint-rule-gitlab': rule(
    'GitLab personal access token',
    'glpat-',
  ),
  '@secretlint/secretlint-rule-grafana': rule('Grafana token', 'glc_', 'glsa_'),
  '@secretlint/secretlint-rule-openai': rule('OpenAI API key', 't3blbkfj'),
  '@secretlint/secretlint-rule-anthropic': rule('Anthropic API key', 'sk-ant-'),
  '@secretlint/secretlint-rule-groq': rule('Groq API key', 'gsk_'),
  '@secretlint/secretlint-rule-huggingface': rule('Hugging Face token', 'hf_'),
  '@secretlint/secretlint-rule-linear': rule('Linear API key', 'lin_api_'),
  '@secretlint/secretlint-rule-notion': rule('Notion token', 'ntn_'),
  '@secretlint/secretlint-rule-1password': rule('1Password token', 'ops_'),
  '@secretlint/secretlint-rule-database-connection-string': url(
    rule('database connection string with a password', '://'),
  ),
  '@secretlint/secretlint-rule-hashicorp-vault': rule(
    'HashiCorp Vault token',
    'hvs.',
    'hvb.',
    'hvr.',
  ),
  '@secretlint/secretlint-rule-vercel': rule(
    'Vercel token',
    'vcp_',
    'vci_',
    'vca_',
    'vcr_',
    'vck_',
  ),
  '@secretlint/secretlint-rule-databricks': rule('Databricks token', 'dapi'),
  '@secretlint/secretlint-rule-docker': rule('Docker Hub token', 'dckr_pat_'),
  '@secretlint/secretlint-rule-figma': rule('Figma token', 'figd_'),
  '@secretlint/secretlint-rule-cloudflare': rule(
    'Cloudflare token',
    'cfk_',
    'cfut_',
    'cfat_',
  ),
  '@secretlint/secretlint-rule-tailscale': rule('Tailscale key', 'tskey-'),
  // Not a scanner: applies secretlint-disable comments to the others.
  '@secretlint/secretlint-rule-filter-comments': rule(
    'secretlint-disable comment',
    'secretlint-',
  ),
};
