import type { CompiledPolicy } from './compile-policy.js';
import type { Decision, PolicyAction } from './decision.js';
import { evaluateBash } from './evaluate-bash.js';
import { evaluateFile } from './evaluate-file.js';

/**
 * Decides whether an action may run under a compiled policy (precedence deny > ask > allow). Async because the
 * shell parser (sh-syntax, WebAssembly) is.
 * @example await evaluate(policy, { tool: 'Bash', command: 'npm test && git push --force' }) // verdict 'deny'
 */
export async function evaluate(policy: CompiledPolicy, action: PolicyAction): Promise<Decision> {
  if (action.tool === 'Bash') return evaluateBash(policy, action.command);
  return evaluateFile(policy, action.tool, action.path, action.inScope);
}
