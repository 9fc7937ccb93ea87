// Names that carry credentials: whole-name patterns, then prefixes of credential families.
const secretName =
  /(TOKEN|SECRET|PASSWORD|PASSWD|PASSPHRASE|CREDENTIAL|CREDS|PRIVATE|API_?KEY|ACCESS_?KEY|AUTH|COOKIE|SESSION|_KEY$|^KEY$|_PAT$|_DSN$)/i;
const secretPrefix =
  /^(ANTHROPIC_|CLAUDE_|OPENAI_|AWS_|AZURE_|GCP_|GOOGLE_|GCLOUD_|NATS_|BATON_NATS_|GITHUB_|GH_|GITLAB_|NPM_CONFIG__|NODE_AUTH|DOCKER_|VAULT_|SSH_|GPG_|KUBE)/i;
// Connection strings embed passwords: postgres://user:pass@host.
const credentialUrl = /[a-z][a-z0-9+.-]*:\/\/[^/\s:@]+:[^/\s@]+@/i;

/**
 * Variables npm and npx set for the package they run (`npm_package_*`, `npm_lifecycle_*`, `INIT_CWD`, …): started
 * through `npx baton`, they describe Baton's package, not the project a command runs in.
 */
const npmRunVariable = /^(npm_package_|npm_lifecycle_|npm_config_local_prefix$|npm_command$|npm_execpath$|INIT_CWD$)/;

/** Variables added for every command so nothing waits on a terminal. */
const nonInteractive: Record<string, string> = { GIT_TERMINAL_PROMPT: '0', GIT_PAGER: 'cat', PAGER: 'cat' };

/**
 * Copies an environment without its secrets: API keys, tokens, passwords, cloud and NATS
 * credentials, agent sockets and URLs with embedded passwords, and what npx set for Baton's own package (its
 * `node_modules/.bin` on PATH, `npm_package_*`). Ordinary variables (PATH, HOME, LANG, NODE_OPTIONS, …) pass through;
 * non-interactive pager/prompt settings are added.
 */
export function scrubEnv(env: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined || isSecretVariable(name, value) || npmRunVariable.test(name)) continue;
    kept[name] = name === 'PATH' ? projectPath(value) : value;
  }
  return { ...kept, ...nonInteractive };
}

/**
 * A `PATH` without the `node_modules/.bin` folders npm and npx put first when they start a program (Baton's own,
 * the npx cache's, and those of the folders above): a user's command runs with the project's own toolchain, found
 * through its own scripts (`npm test` adds the worktree's `.bin`), never Baton's `vitest` or `tsc`.
 */
export function projectPath(path: string): string {
  return path
    .split(':')
    .filter((dir) => !/(^|\/)node_modules\/\.bin\/?$/.test(dir) && !/(^|\/)node-gyp-bin\/?$/.test(dir))
    .join(':');
}

/** Whether a variable looks like it carries a credential, by name or by value. */
export function isSecretVariable(name: string, value: string): boolean {
  return secretName.test(name) || secretPrefix.test(name) || credentialUrl.test(value);
}
