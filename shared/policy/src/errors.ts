/** Base class of every policy error; handle by class, never by message text. */
export class PolicyError extends Error {
  override name = 'PolicyError';
}

/** A permission rule does not look like `Tool` or `Tool(specifier)`, or its specifier is invalid. */
export class RuleSyntaxError extends PolicyError {
  override name = 'RuleSyntaxError';
  constructor(
    readonly rule: string,
    readonly problem: string,
    options?: ErrorOptions,
  ) {
    super(`invalid permission rule ${JSON.stringify(rule)}: ${problem}`, options);
  }
}

/** A settings file is not valid JSON or does not match the settings schema; `file` and `keyPath` say where. */
export class SettingsError extends PolicyError {
  override name = 'SettingsError';
  constructor(
    readonly file: string,
    readonly keyPath: string,
    readonly problem: string,
    options?: ErrorOptions,
  ) {
    super(keyPath === '' ? `${file}: ${problem}` : `${file}: ${keyPath}: ${problem}`, options);
  }
}

/** The shell parser met syntax it does not understand (internal: surfaces as `{ ok: false, reason }`). */
export class ShellSyntaxError extends PolicyError {
  override name = 'ShellSyntaxError';
  constructor(
    readonly offset: number,
    readonly problem: string,
  ) {
    super(`${problem} (at offset ${offset})`);
  }
}
