export interface InitOptions {
  /** A folder inside the repository to set up. */
  repo: string;
  /** Replace the user's own files (each is moved aside, never lost). */
  force?: boolean;
  /**
   * The user's own git configuration variables (GIT_CONFIG_GLOBAL, ...),
   * which gitwarden's checks leave out but hooks run under.
   */
  userGitEnv?: Record<string, string | undefined>;
}

/** husky in a Node.js project; git's hooks folder everywhere else. */
export type InitMode = 'husky' | 'hooks-folder';

export interface InitStep {
  action:
    | 'created'
    | 'unchanged'
    | 'kept'
    | 'updated'
    | 'replaced'
    | 'refused'
    | 'ran';
  /** A file (relative to the work tree when inside it) or a command. */
  target: string;
  detail: string;
}

export interface InitReport {
  root: string;
  mode: InitMode;
  steps: InitStep[];
  /** What the user should do next, in order. */
  next: string[];
  /** Things worth knowing: hooks that stop running, a broken policy. */
  warnings: string[];
  changed: boolean;
  refused: boolean;
}

/** A git hook gitwarden installs, from the script of that name in hooks/. */
export interface HookSpec {
  name: 'commit-msg' | 'pre-push';
  /** The line a user adds to a hook of their own to run gitwarden. */
  line: string;
  /** Text by which a hook that already runs gitwarden is recognised. */
  marker: string;
  /** What the hook does, for init's report. */
  what: string;
}

export const HOOKS: readonly HookSpec[] = [
  {
    name: 'commit-msg',
    line: 'gitwarden check --quiet --message-file "$1"',
    marker: 'gitwarden check',
    what: 'commit-msg hook: runs gitwarden check --quiet --message-file',
  },
  {
    name: 'pre-push',
    line: 'gitwarden hook pre-push "$@"',
    marker: 'hook pre-push',
    what: 'pre-push hook: runs gitwarden hook pre-push (roles and trailers)',
  },
];
