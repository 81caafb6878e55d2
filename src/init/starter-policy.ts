/**
 * Where editors find the policy schema. In a Node.js project gitwarden is
 * installed beside the policy, and a relative path works offline and
 * always matches the installed version; elsewhere a versioned URL of the
 * same file as published on npm.
 */
export function schemaReference(nodeProject: boolean, version: string) {
  return nodeProject
    ? '../node_modules/gitwarden/schemas/policy.schema.json'
    : `https://unpkg.com/gitwarden@${version}/schemas/policy.schema.json`;
}

/**
 * The policy `gitwarden init` writes. It behaves like the built-in default
 * (Agent and Task on every commit, merges exempt, no identities yet) and
 * teaches each section in comments, so a team edits rather than starts
 * from a blank page.
 *
 * The first line is the modeline of yaml-language-server (VS Code's YAML
 * extension, Neovim, Helix, Zed, Emacs lsp-mode), which gives completion
 * and checks while typing; the `$schema` field says the same to tools
 * that read the data itself.
 */
export function starterPolicy(schema: string): string {
  return `# yaml-language-server: $schema=${schema}
#
# gitwarden policy: what every commit in this repository must carry and
# who may commit as which agent. Commits are always judged by the policy
# on their base branch, so a change to this file applies after it merges.
# Check it with: gitwarden policy validate
$schema: ${schema}
version: 1

# Every commit names the agent that made it and the task it serves, as git
# trailers in the last paragraph of its message:
#
#   Fix the login redirect
#
#   Agent: claude
#   Task: GW-42
#
# Add them with: git commit --trailer "Agent: claude" --trailer "Task: GW-42"
trailers:
  required:
    - key: Agent
    - key: Task
      # A pattern the value must match, e.g. your issue keys:
      # pattern: '^GW-[0-9]+$'
  exempt:
    # Merge commits (two or more parents) carry no trailers of their own.
    merges: true
    # Author emails (globs allowed) whose commits are not checked, e.g. bots:
    # authors:
    #   - '*\\[bot\\]@users.noreply.github.com'

# The agents commits may name in their Agent trailer. Once identities are
# listed below, a commit may only name an agent its author may speak for.
# agents:
#   claude:
#     owner: platform-team
#   human:
#     description: no agent; a person wrote this commit

# People and bots, the emails they commit with, and the agents each may
# commit as ('*' for any agent listed above).
# identities:
#   alice:
#     emails: [alice@example.com]
#     github: alice
#     agents: [claude, human]

# Sections to come: roles (who may change which refs and paths), secrets
# (scanning), ledger (the signed audit trail) and sla. See the README.
`;
}
