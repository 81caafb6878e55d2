// Token formats with a fixed prefix that secretlint's recommended preset
// does not know (compared with gitleaks' rule list), run through
// @secretlint/secretlint-rule-pattern. Each pattern is a literal prefix
// followed by bounded character classes, so matching costs at most the
// bound per occurrence of the prefix: linear in the text.

export interface ProviderPattern {
  id: string;
  title: string;
  /** cloud, vcs, chat, registry, ai, payment, key, other (for docs). */
  kind: string;
  /** Lower-case strings that every match contains (the pre-filter). */
  keywords: string[];
  /** `/source/flags`, as secretlint-rule-pattern takes them. */
  pattern: string;
}

const END = '(?![A-Za-z0-9_-])';

/**
 * `prefix` not preceded by a word character, then `rest`, then a word end.
 * The literal comes first so irregexp can skip ahead to it; the boundary
 * before it is checked after, with a lookbehind.
 */
function token(prefix: string, rest: string): string {
  return `/${prefix}(?<![A-Za-z0-9_-](?:${prefix}))${rest}${END}/`;
}

export const providerPatterns: ProviderPattern[] = [
  {
    id: 'google-api-key',
    title: 'Google API key (Maps, Gemini, Firebase...)',
    kind: 'cloud',
    keywords: ['aiza'],
    pattern: token('AIza', '[0-9A-Za-z_-]{35}'),
  },
  {
    id: 'azure-storage-key',
    title: 'Azure storage account key',
    kind: 'cloud',
    keywords: ['accountkey='],
    pattern: '/(?<=AccountKey=)[A-Za-z0-9+/]{86}==/',
  },
  {
    id: 'azure-client-secret',
    title: 'Azure AD (Entra) client secret',
    kind: 'cloud',
    keywords: ['q~'],
    pattern:
      '/(?<![A-Za-z0-9_~.-])[A-Za-z0-9_~.]{3}\\dQ~[A-Za-z0-9_~.-]{31,34}(?![A-Za-z0-9_~.-])/',
  },
  {
    id: 'digitalocean-token',
    title: 'DigitalOcean token',
    kind: 'cloud',
    keywords: ['_v1_'],
    pattern: token('do[por]_v1_', '[a-f0-9]{64}'),
  },
  {
    id: 'alibaba-access-key-id',
    title: 'Alibaba Cloud access key id',
    kind: 'cloud',
    keywords: ['ltai'],
    pattern: token('LTAI', '[A-Za-z0-9]{20}'),
  },
  {
    id: 'heroku-api-key',
    title: 'Heroku API key',
    kind: 'cloud',
    keywords: ['hrku-'],
    pattern: token('HRKU-AA', '[0-9A-Za-z_-]{58}'),
  },
  {
    id: 'terraform-cloud-token',
    title: 'Terraform Cloud / HCP token',
    kind: 'cloud',
    keywords: ['.atlasv1.'],
    pattern:
      '/\\.atlasv1\\.(?<=[a-zA-Z0-9]{14}\\.atlasv1\\.)[a-zA-Z0-9_=-]{60,70}/',
  },
  {
    id: 'supabase-token',
    title: 'Supabase access token',
    kind: 'cloud',
    keywords: ['sbp_'],
    pattern: token('sbp_', '[a-f0-9]{40}'),
  },
  {
    id: 'gitlab-token',
    title: 'GitLab token (deploy, runner, trigger, feed, OAuth...)',
    kind: 'vcs',
    keywords: [
      'gldt-',
      'glrt-',
      'glptt-',
      'glft-',
      'glsoat-',
      'glcbt-',
      'glimt-',
      'gloas-',
      'gr1348941',
    ],
    pattern: token(
      '(?:(?:gldt|glrt|glptt|glft|glsoat|glcbt|glimt|gloas)-|GR1348941)',
      '[0-9A-Za-z_-]{20,64}',
    ),
  },
  {
    id: 'atlassian-token',
    title: 'Atlassian / Bitbucket API token',
    kind: 'vcs',
    keywords: ['atatt3', 'atbb'],
    pattern: token(
      '(?:ATATT3|ATBB)',
      '(?:(?<=ATATT3)[A-Za-z0-9_=-]{180,200}|(?<=ATBB)[A-Za-z0-9]{32})',
    ),
  },
  {
    id: 'slack-refresh-token',
    title: 'Slack configuration or refresh token',
    kind: 'chat',
    keywords: ['xoxe'],
    pattern: token('xoxe', '(?:\\.xox[bp])?-\\d-[A-Za-z0-9]{140,170}'),
  },
  {
    id: 'discord-bot-token',
    title: 'Discord bot token',
    kind: 'chat',
    keywords: ['discord'],
    pattern:
      '/(?<![A-Za-z0-9_-])[MNO][A-Za-z0-9_-]{23,25}\\.[A-Za-z0-9_-]{6}\\.[A-Za-z0-9_-]{27,38}(?![A-Za-z0-9_-])/',
  },
  {
    id: 'discord-webhook',
    title: 'Discord webhook URL',
    kind: 'chat',
    keywords: ['discord'],
    pattern:
      '/https:\\/\\/(?:ptb\\.|canary\\.)?discord(?:app)?\\.com\\/api\\/webhooks\\/\\d{17,20}\\/[A-Za-z0-9_-]{60,68}/',
  },
  {
    id: 'telegram-bot-token',
    title: 'Telegram bot token',
    kind: 'chat',
    keywords: [':aa'],
    pattern: `/(?<![0-9])[0-9]{8,10}:AA[0-9A-Za-z_-]{33}${END}/`,
  },
  {
    id: 'teams-webhook',
    title: 'Microsoft Teams incoming webhook URL',
    kind: 'chat',
    keywords: ['webhook.office.com'],
    pattern:
      '/https:\\/\\/[a-z0-9-]{1,63}\\.webhook\\.office\\.com\\/webhookb2\\/[a-z0-9@-]{36,100}\\/IncomingWebhook\\/[a-z0-9]{32}\\/[a-z0-9-]{36}/i',
  },
  {
    id: 'twilio-api-key',
    title: 'Twilio API key',
    kind: 'chat',
    keywords: ['twilio'],
    pattern: token('SK', '[0-9a-fA-F]{32}'),
  },
  {
    id: 'mailgun-key',
    title: 'Mailgun API key',
    kind: 'chat',
    keywords: ['key-'],
    pattern: token('key-', '[0-9a-z]{32}'),
  },
  {
    id: 'pypi-token',
    title: 'PyPI upload token',
    kind: 'registry',
    keywords: ['pypi-'],
    pattern: token('pypi-AgEIcHlwaS5vcmc', '[A-Za-z0-9_-]{50,1000}'),
  },
  {
    id: 'rubygems-key',
    title: 'RubyGems API key',
    kind: 'registry',
    keywords: ['rubygems_'],
    pattern: token('rubygems_', '[a-f0-9]{48}'),
  },
  {
    id: 'nuget-key',
    title: 'NuGet API key',
    kind: 'registry',
    keywords: ['oy2'],
    pattern: token('oy2', '[a-z0-9]{43}'),
  },
  {
    id: 'crates-token',
    title: 'crates.io API token',
    kind: 'registry',
    keywords: ['cio'],
    pattern: token('cio', '[a-zA-Z0-9]{32}'),
  },
  {
    id: 'artifactory-token',
    title: 'JFrog Artifactory token',
    kind: 'registry',
    keywords: ['akcp', 'cmvmdgtu'],
    pattern: token(
      '(?:AKCp|cmVmdGtu)',
      '(?:(?<=AKCp)[A-Za-z0-9]{69}|(?<=cmVmdGtu)[A-Za-z0-9]{56})',
    ),
  },
  {
    id: 'openai-key',
    title: 'OpenAI API key (project, service account, admin)',
    kind: 'ai',
    keywords: ['sk-proj-', 'sk-svcacct-', 'sk-admin-'],
    pattern: token('sk-(?:proj|svcacct|admin)-', '[A-Za-z0-9_-]{40,300}'),
  },
  {
    id: 'anthropic-admin-key',
    title: 'Anthropic admin API key',
    kind: 'ai',
    keywords: ['sk-ant-'],
    pattern: token('sk-ant-admin01-', '[A-Za-z0-9_-]{90,128}AA'),
  },
  {
    id: 'replicate-token',
    title: 'Replicate API token',
    kind: 'ai',
    keywords: ['r8_'],
    pattern: token('r8_', '[A-Za-z0-9]{37}'),
  },
  {
    id: 'perplexity-key',
    title: 'Perplexity API key',
    kind: 'ai',
    keywords: ['pplx-'],
    pattern: token('pplx-', '[A-Za-z0-9]{48}'),
  },
  {
    id: 'xai-key',
    title: 'xAI API key',
    kind: 'ai',
    keywords: ['xai-'],
    pattern: token('xai-', '[A-Za-z0-9]{80}'),
  },
  {
    id: 'openrouter-key',
    title: 'OpenRouter API key',
    kind: 'ai',
    keywords: ['sk-or-v1-'],
    pattern: token('sk-or-v1-', '[a-f0-9]{64}'),
  },
  {
    id: 'langsmith-key',
    title: 'LangSmith API key',
    kind: 'ai',
    keywords: ['lsv2_'],
    pattern: token('lsv2_', '(?:pt|sk)_[a-f0-9]{32}_[a-f0-9]{10}'),
  },
  {
    id: 'stripe-webhook-secret',
    title: 'Stripe webhook signing secret',
    kind: 'payment',
    keywords: ['whsec_'],
    pattern: token('whsec_', '[A-Za-z0-9]{32,64}'),
  },
  {
    id: 'square-token',
    title: 'Square access token or application secret',
    kind: 'payment',
    keywords: ['sq0atp-', 'sq0csp-', 'eaaa'],
    pattern: token(
      '(?:sq0atp-|sq0csp-|EAAA)',
      '(?:(?<=sq0atp-)[0-9A-Za-z_-]{22}|(?<=sq0csp-)[0-9A-Za-z_-]{43}|(?<=EAAA)[A-Za-z0-9+=-]{60})',
    ),
  },
  {
    id: 'braintree-token',
    title: 'Braintree / PayPal access token',
    kind: 'payment',
    keywords: ['access_token$production'],
    pattern: '/access_token\\$production\\$[0-9a-z]{16}\\$[0-9a-f]{32}/',
  },
  {
    id: 'razorpay-key',
    title: 'Razorpay live key id',
    kind: 'payment',
    keywords: ['rzp_live_'],
    pattern: token('rzp_live_', '[A-Za-z0-9]{14}'),
  },
  {
    id: 'flutterwave-key',
    title: 'Flutterwave secret key',
    kind: 'payment',
    keywords: ['flwseck'],
    pattern: token('FLWSECK', '(?:_TEST)?-[a-h0-9]{32}-X'),
  },
  {
    id: 'age-secret-key',
    title: 'age encryption secret key',
    kind: 'key',
    keywords: ['age-secret-key-1'],
    pattern: token('AGE-SECRET-KEY-1', '[0-9A-Z]{58}'),
  },
  {
    id: 'sentry-token',
    title: 'Sentry auth token',
    kind: 'other',
    keywords: ['sntrys_', 'sntryu_'],
    pattern: token('sntry[su]_', '[A-Za-z0-9+/=_]{40,300}'),
  },
  {
    id: 'newrelic-key',
    title: 'New Relic user API key',
    kind: 'other',
    keywords: ['nrak-'],
    pattern: token('NRAK-', '[A-Z0-9]{27}'),
  },
  {
    id: 'postman-key',
    title: 'Postman API key',
    kind: 'other',
    keywords: ['pmak-'],
    pattern: token('PMAK-', '[a-f0-9]{24}-[a-f0-9]{34}'),
  },
  {
    id: 'doppler-token',
    title: 'Doppler token',
    kind: 'other',
    keywords: ['dp.pt.', 'dp.st.', 'dp.sa.', 'dp.ct.'],
    pattern: token('dp\\.(?:pt|st|sa|ct)\\.', '[A-Za-z0-9]{40,44}'),
  },
  {
    id: 'pulumi-token',
    title: 'Pulumi access token',
    kind: 'other',
    keywords: ['pul-'],
    pattern: token('pul-', '[a-f0-9]{40}'),
  },
];
