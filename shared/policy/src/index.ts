/** @baton/policy: permission rules (allow/ask/deny, Claude Code syntax), modes, shell command decomposition. */
export { PolicyError, RuleSyntaxError, SettingsError } from './errors.js';
export { parseRule } from './parse-rule.js';
export type { ParsedRule } from './parse-rule.js';
export { splitCommand } from './split-command.js';
export type { SimpleCommand, CommandRedirect, SplitResult, SplitOptions } from './split-command.js';
export { WrapperKind } from './command-wrappers.js';
export { compilePolicy } from './compile-policy.js';
export type { CompiledPolicy, CompiledRule, CompilePolicyOptions } from './compile-policy.js';
export { evaluate } from './evaluate.js';
export type { Decision, PartDecision, PolicyAction } from './decision.js';
export { SAFE_DEFAULTS, SAFE_DEFAULT_CHECKS } from './safe-defaults.js';
export { isReadOnlyCommand } from './read-only-commands.js';
export { loadSettings, loadEnvironmentSettings, defaultUserConfigPath, SettingsFile } from './load-settings.js';
export type { LoadSettingsOptions } from './load-settings.js';
export { inWriteScope } from './write-scope.js';
