// Names that carry credentials: whole-name patterns, then prefixes of credential families.
const secretName =
  /(TOKEN|SECRET|PASSWORD|PASSWD|PASSPHRASE|CREDENTIAL|CREDS|PRIVATE|API_?KEY|ACCESS_?KEY|AUTH|COOKIE|SESSION|_KEY$|^KEY$|_PAT$|_DSN$)/i;
const secretPrefix =
  /^(ANTHROPIC_|CLAUDE_|OPENAI_|AWS_|AZURE_|GCP_|GOOGLE_|GCLOUD_|NATS_|BATON_NATS_|GITHUB_|GH_|GITLAB_|NPM_CONFIG__|NODE_AUTH|DOCKER_|VAULT_|SSH_|GPG_|KUBE)/i;
// Connection strings embed passwords: postgres://user:pass@host.
const credentialUrl = /[a-z][a-z0-9+.-]*:\/\/[^/\s:@]+:[^/\s@]+@/i;

/** Variables added for every command so nothing waits on a terminal. */
const nonInteractive: Record<string, string> = { GIT_TERMINAL_PROMPT: '0', GIT_PAGER: 'cat', PAGER: 'cat' };

/**
 * Copies an environment without its secrets: API keys, tokens, passwords, cloud and NATS
 * credentials, agent sockets and URLs with embedded passwords. Ordinary variables (PATH,
 * HOME, LANG, NODE_OPTIONS, …) pass through; non-interactive pager/prompt settings are added.
 */
export function scrubEnv(env: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined || isSecretVariable(name, value)) continue;
    kept[name] = value;
  }
  return { ...kept, ...nonInteractive };
}

/** Whether a variable looks like it carries a credential, by name or by value. */
export function isSecretVariable(name: string, value: string): boolean {
  return secretName.test(name) || secretPrefix.test(name) || credentialUrl.test(value);
}
